from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from claims.scans import scan_worker


class Command(BaseCommand):
    help = (
        "Work the queue of imported sources to scan for suggested evidence (RQ on REDIS_URL). "
        "Run one beside the web processes; without Redis, imports scan inline instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")

    def handle(self, *args, burst=False, **options):
        try:
            scan_worker(burst=burst)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
