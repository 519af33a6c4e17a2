from django.core.management.base import BaseCommand, CommandError

from seeds.loader import SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed articles and the curated seed ledger (idempotent, all or nothing)."

    def handle(self, *args, **options):
        try:
            report = load_seeds()
        except SeedError as error:
            raise CommandError(f"nothing was loaded: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
