"""The reviewers' workbench: one module per area, on a small shared base (base.py).

Importing each module registers its admins; custom flows are named views in `get_urls`.
"""

from claims.admin import (  # noqa: F401
    assertions,
    claims,
    conflicts,
    entities,
    quotes,
    sources,
    suggestions,
)
