from django.core.management.base import BaseCommand

from claims.models import Claim
from claims.services import positions_refresh


class Command(BaseCommand):
    help = "Recompute every claim's positions from its evidence (ratings follow their positions)."

    def handle(self, *args, **options):
        claim_ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
        for claim_id in claim_ids:
            positions_refresh(claim_id=claim_id)
        self.stdout.write(f"Positions of {len(claim_ids)} claims recomputed.")
