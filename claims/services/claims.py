"""Claims: their words, status and verdict, who works on them, and their comment thread."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimComment, ClaimKind, ClaimStatus, Entity, Topic, Verdict
from claims.permissions import can_publish, can_review, require_publisher
from claims.search import claim_search_text
from claims.services.common import (
    StaleEdit,
    _claim_changed,
    _ledger_changed,
    records_user,
    refuse_unknown_fields,
)
from domain.units import normalize_unit
from ledger.refusals import must_be_one_of
from sources.services import clean_text

# Which status changes the workflow allows.
TRANSITIONS = {
    ClaimStatus.DRAFT: {ClaimStatus.IN_REVIEW, ClaimStatus.ARCHIVED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.DRAFT, ClaimStatus.PUBLISHED, ClaimStatus.ARCHIVED},
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW, ClaimStatus.ARCHIVED},
    ClaimStatus.ARCHIVED: {ClaimStatus.DRAFT},
}


EDITOR_ONLY_FIELDS = {"verdict", "rationale", "rationale_zh"}


# What a claim's verdict was given on: a change by a Reviewer returns a published claim to
# review, so its verdict is never shown beside words the Editor did not see.
REVIEWED_FIELDS = {"statement_en", "statement_zh", "kind", "unit", "slug"}


CLAIM_UPDATE_FIELDS = (
    REVIEWED_FIELDS
    | EDITOR_ONLY_FIELDS
    | {
        "status",
        "reviewer_notes",
        "match_terms",
    }
)


def _validate_claim_fields(fields: dict) -> dict:
    for name in (
        "statement_en",
        "statement_zh",
        "rationale",
        "rationale_zh",
        "reviewer_notes",
        "match_terms",
        "unit",
        "slug",
    ):
        if name in fields:
            fields[name] = clean_text(fields[name] or "", name)
    if "unit" in fields:
        fields["unit"] = normalize_unit(fields["unit"])
    if "statement_en" in fields and not fields["statement_en"].strip():
        raise ValidationError({"statement_en": _("statement_en is empty")})
    if "kind" in fields and fields["kind"] not in ClaimKind.values:
        raise ValidationError({"kind": must_be_one_of("kind", ClaimKind.values)})
    if "verdict" in fields and fields["verdict"] not in Verdict.values:
        raise ValidationError({"verdict": must_be_one_of("verdict", Verdict.values[1:])})
    return fields


def _refresh_search_text(claim: Claim) -> None:
    claim.search_text = claim_search_text(claim)
    Claim.objects.filter(pk=claim.pk).update(search_text=claim.search_text)


@records_user
@transaction.atomic
def claim_create(
    *,
    slug: str,
    statement_en: str,
    kind: str,
    statement_zh: str = "",
    unit: str = "",
    subjects: Iterable[Entity] = (),
    topics: Iterable[Topic] = (),
    reviewer_notes: str = "",
    match_terms: str = "",
    user=None,
) -> Claim:
    fields = _validate_claim_fields(
        {
            "match_terms": match_terms,
            "slug": slug,
            "statement_en": statement_en,
            "statement_zh": statement_zh,
            "kind": kind,
            "unit": unit,
            "reviewer_notes": reviewer_notes,
        }
    )
    claim = Claim(**fields)
    claim.full_clean(exclude=["search_text"])
    claim.save()
    claim.subjects.set(subjects)
    claim.topics.set(topics)
    _refresh_search_text(claim)
    _ledger_changed(public=False)  # a new claim is a draft
    return claim


@records_user
@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    user=None,
    expected_version: int | None = None,
    subjects: Iterable[Entity] | None = None,
    topics: Iterable[Topic] | None = None,
    **fields,
) -> Claim:
    """Change a claim's fields; refused if it changed since `expected_version` was read.

    A published claim whose statement, kind, unit, slug or subjects a Reviewer changes goes
    back to review, its verdict kept but unpublished until an Editor publishes it again.
    """
    subjects = None if subjects is None else list(subjects)
    refuse_unknown_fields(fields, CLAIM_UPDATE_FIELDS, what="a claim update")
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    fields = _validate_claim_fields(fields)
    changed_editor_fields = {
        name
        for name in EDITOR_ONLY_FIELDS & fields.keys()
        if getattr(current, name) != fields[name]
    }
    if changed_editor_fields:
        require_publisher(user, _("set a verdict or its rationale"))
    reworded = any(
        getattr(current, name) != fields[name] for name in REVIEWED_FIELDS & fields.keys()
    ) or (
        subjects is not None
        and {s.pk for s in subjects} != set(current.subjects.values_list("pk", flat=True))
    )
    status = fields.pop("status", current.status)
    if reworded and current.status == ClaimStatus.PUBLISHED and not can_publish(user):
        current.status = ClaimStatus.IN_REVIEW
        status = ClaimStatus.IN_REVIEW if status == ClaimStatus.PUBLISHED else status
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["search_text"])
    current.version += 1
    current.save()
    if subjects is not None:
        current.subjects.set(subjects)
    if topics is not None:
        current.topics.set(topics)
    _refresh_search_text(current)
    _claim_changed(current.pk)
    if status != current.status:
        current = claim_set_status(claim=current, status=status, user=user)
    return current


@records_user
@transaction.atomic
def claim_set_status(*, claim: Claim, status: str, user=None) -> Claim:
    if status not in ClaimStatus.values:
        raise ValidationError({"status": must_be_one_of("status", ClaimStatus.values)})
    if status == claim.status:
        return claim
    if status not in TRANSITIONS[claim.status]:
        raise ValidationError(
            {
                "status": _("a %(status)s claim cannot become %(new_status)s")
                % {"status": claim.get_status_display().lower(), "new_status": status}
            }
        )
    if ClaimStatus.PUBLISHED in (status, claim.status):
        require_publisher(user, _("publish or unpublish claims"))
    # The row, not the caller's copy, says whether readers saw the claim until now.
    was_published = Claim.objects.select_for_update().filter(pk=claim.pk).published().exists()
    claim.status = status
    if status == ClaimStatus.PUBLISHED:
        claim.published_at = claim.published_at or timezone.now()
    claim.version += 1
    claim.save(update_fields=["status", "published_at", "version", "updated_at"])
    _ledger_changed(public=was_published or status == ClaimStatus.PUBLISHED)
    return claim


@records_user
@transaction.atomic
def claim_set_verdict(
    *, claim: Claim, verdict: str, rationale: str, rationale_zh: str = "", user=None
) -> Claim:
    return claim_update(
        claim=claim, user=user, verdict=verdict, rationale=rationale, rationale_zh=rationale_zh
    )


@records_user
@transaction.atomic
def claim_assign(
    *, claim: Claim, assignee, user=None, expected_version: int | None = None
) -> Claim:
    """Give a claim to a reviewer to work on, or to no one (`assignee=None`).

    A change to the claim like any other: recorded in its history, and refused if the
    claim changed since `expected_version` was read.
    """
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    if assignee is not None and not can_review(assignee):
        raise ValidationError(
            {"assignee": _("%(user)s is not a Reviewer or Editor") % {"user": assignee}}
        )
    if current.assignee_id == (assignee.pk if assignee is not None else None):
        return current
    current.assignee = assignee
    current.version += 1
    current.save(update_fields=["assignee", "version", "updated_at"])
    _ledger_changed()
    return current


@records_user
@transaction.atomic
def claim_comment_add(*, claim: Claim, text: str, user) -> ClaimComment:
    """Add a note to a claim's thread. The claim itself does not change: a comment never
    makes anyone's open edit of the claim stale, and readers never see it."""
    if user is not None and not can_review(user):
        raise PermissionDenied(_("only Reviewers and Editors comment on claims"))
    text = clean_text(text, "text")
    if not text.strip():
        raise ValidationError({"text": _("the comment is empty")})
    return ClaimComment.objects.create(claim_id=claim.pk, author=user, text=text)
