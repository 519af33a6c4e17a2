"""The two reviewer roles. Reviewers build the ledger; Editors also publish and judge.

The same groups govern the admin and the API; the service layer enforces publishing
(claims.publish_claim) on every path.
"""

REVIEWER = "Reviewer"
EDITOR = "Editor"

REVIEWER_PERMISSIONS = [
    "sources.add_source",
    "sources.change_source",
    "sources.view_source",
    "claims.add_entity",
    "claims.change_entity",
    "claims.view_entity",
    "claims.add_alias",
    "claims.change_alias",
    "claims.delete_alias",
    "claims.view_alias",
    "claims.add_topic",
    "claims.change_topic",
    "claims.view_topic",
    "claims.add_quote",
    "claims.change_quote",
    "claims.delete_quote",
    "claims.view_quote",
    "claims.add_claim",
    "claims.change_claim",
    "claims.view_claim",
    "claims.add_assertion",
    "claims.change_assertion",
    "claims.delete_assertion",
    "claims.view_assertion",
    "claims.add_conflict",
    "claims.change_conflict",
    "claims.view_conflict",
    "claims.add_suggestion",
    "claims.change_suggestion",
    "claims.view_suggestion",
]
EDITOR_PERMISSIONS = [
    *REVIEWER_PERMISSIONS,
    "claims.publish_claim",
    "claims.delete_claim",
    "claims.delete_conflict",
    "sources.delete_source",
]
ROLES = {REVIEWER: REVIEWER_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS}


def sync_roles(group_model, permission_model) -> None:
    """Create the groups and give each exactly its permissions."""
    for name, codes in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
