from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as this migration first made them (frozen: later lists need a migration of their own).
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
ROLES = {"Reviewer": REVIEWER_PERMISSIONS, "Editor": EDITOR_PERMISSIONS}


def sync_roles(group_model, permission_model):
    for name, codes in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reviewer", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("claims", "0002_suggestion"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
