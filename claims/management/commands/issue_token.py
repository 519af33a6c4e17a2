from django.core.management.base import BaseCommand, CommandError

from claims.api.permissions import TokenRefused, token_for


class Command(BaseCommand):
    help = (
        "Print the REST API token of a Reviewer or Editor, creating it on first use. "
        "Clients send it as the header 'Authorization: Token <key>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            token = token_for(username)
        except TokenRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(token.key)
