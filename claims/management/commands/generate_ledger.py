from django.core.management.base import BaseCommand, CommandError

from seeds.synthetic import Scale, generate_ledger, vacuum


class Command(BaseCommand):
    help = (
        "Add a synthetic ledger made from the seeds, for benchmarks: deterministic from --seed, "
        "bulk-loaded (COPY on PostgreSQL), all or nothing."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        parser.add_argument("--sources", type=int, default=defaults.sources)
        parser.add_argument("--quotes", type=int, default=defaults.quotes)
        parser.add_argument("--claims", type=int, default=defaults.claims)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["quotes"] < options["sources"]:
            raise CommandError("--quotes must be at least --sources (every source has a quote)")
        scale = Scale(options["sources"], options["quotes"], options["claims"])
        try:
            report = generate_ledger(scale=scale, seed=options["seed"], log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        vacuum()
        for line in report.lines():
            self.stdout.write(line)
