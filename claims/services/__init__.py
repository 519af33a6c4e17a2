"""Every write that touches claims, quotes, assertions or conflicts goes through here.

Admin, API, seed loader and tests call the same functions, so a rule holds on every path.
Errors are ValidationError keyed by the field at fault, PermissionDenied, or StaleEdit.
One module per area; callers import the package (`from claims import services`).
"""

from claims.permissions import can_publish, can_review
from claims.services.assertions import (
    assertion_add,
    assertion_delete,
    assertion_set_aside,
    assertion_update,
    assertions_overlapping,
)
from claims.services.claims import (
    CLAIM_UPDATE_FIELDS,
    EDITOR_ONLY_FIELDS,
    REVIEWED_FIELDS,
    TRANSITIONS,
    claim_assign,
    claim_comment_add,
    claim_create,
    claim_set_status,
    claim_set_verdict,
    claim_update,
)
from claims.services.common import StaleEdit
from claims.services.conflicts import (
    conflict_mark,
    conflict_set_status,
    conflicts_detect,
    dispute_confirm,
)
from claims.services.positions import (
    _position_evidence,
    across_positions,
    position_rate,
    positions_merge,
    positions_rebuild,
    positions_refresh,
)
from claims.services.quotes import (
    ReanchorReport,
    quote_create,
    quote_delete,
    quote_set_speaker,
    quotes_reanchor,
    source_changed,
)
from claims.services.restore import assertion_restore, conflict_restore, quote_restore
from claims.services.values import (
    assertion_interval,
    interval_from,
    value_columns,
    value_interval,
    value_read,
    value_typed,
    value_unit,
)

__all__ = [
    "CLAIM_UPDATE_FIELDS",
    "EDITOR_ONLY_FIELDS",
    "REVIEWED_FIELDS",
    "TRANSITIONS",
    "ReanchorReport",
    "StaleEdit",
    "_position_evidence",
    "across_positions",
    "assertion_add",
    "assertion_delete",
    "assertion_interval",
    "assertion_restore",
    "assertion_set_aside",
    "assertion_update",
    "assertions_overlapping",
    "can_publish",
    "can_review",
    "claim_assign",
    "claim_comment_add",
    "claim_create",
    "claim_set_status",
    "claim_set_verdict",
    "claim_update",
    "conflict_mark",
    "conflict_restore",
    "conflict_set_status",
    "conflicts_detect",
    "dispute_confirm",
    "interval_from",
    "position_rate",
    "positions_merge",
    "positions_rebuild",
    "positions_refresh",
    "quote_create",
    "quote_delete",
    "quote_restore",
    "quote_set_speaker",
    "quotes_reanchor",
    "source_changed",
    "value_columns",
    "value_interval",
    "value_read",
    "value_typed",
    "value_unit",
]
