import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.roles import EDITOR, REVIEWER, sync_roles

DEMO_USERS = {"reviewer": REVIEWER, "editor": EDITOR}


@transaction.atomic
def create_demo_users() -> dict[str, str]:
    """A staff user per role with a fresh random password; run again, it resets them."""
    sync_roles(Group, Permission)
    passwords = {}
    for username, role in DEMO_USERS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff, user.is_active, user.is_superuser = True, True, False
        passwords[username] = secrets.token_urlsafe(12)
        user.set_password(passwords[username])
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    return passwords


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo admin logins 'reviewer' and 'editor' with new random "
        "passwords, printed once. Only with DEBUG on: these are for a local demo."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo users are for local use: run with DEBUG=1")
        for username, password in create_demo_users().items():
            role = DEMO_USERS[username]
            self.stdout.write(f"{username} ({role}): {password}")
        self.stdout.write("Log in at /admin/ with either.")
