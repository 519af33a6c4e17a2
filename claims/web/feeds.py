"""An Atom feed of claims as they are published or become disputed. Published claims only.

Its ETag and Last-Modified follow the published generation of the ledger (claims.cache), so
feed readers poll with a conditional GET and get 304 until a published claim changes. Each
language has its own feed (/en/feed/, /zh-hans/feed/, /zh-hant/feed/), whose titles and
links are in that language. Links start with settings.SITE_URL, never with the request's
host.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.cache import always, conditional
from claims.jsonld import PUBLISHER_NAME
from claims.models import DISPUTING_STATUSES, Claim
from claims.web import display
from claims.web.labels import VERDICTS
from domain.citations import without_source_marks
from ledger.site import absolute_url

FEED_SIZE = 50


class ClaimFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Claims ledger: newly published and newly disputed claims")
    subtitle = gettext_lazy(
        "Contested claims in news coverage, as they are published or as sources come into "
        "conflict over them."
    )
    # RFC 4287: a feed names its author unless every entry does.
    author_name = PUBLISHER_NAME

    @method_decorator(conditional(always))
    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The newest entry's date misses a claim leaving the feed; the ledger's does not.
        del response["Last-Modified"]
        return response

    def link(self):
        return absolute_url(reverse("web:claim-index"))

    def feed_url(self):
        return absolute_url(reverse("web:feed"))

    def author_link(self):
        return absolute_url(reverse("web:claim-index"))

    def items(self):
        published_at = Coalesce("published_at", "updated_at")
        return (
            Claim.objects.published()
            .annotate(
                disputed_at=Max(
                    "conflicts__updated_at", filter=Q(conflicts__status__in=DISPUTING_STATUSES)
                )
            )
            .annotate(event_at=Greatest(published_at, Coalesce("disputed_at", published_at)))
            .order_by("-event_at", "pk")[:FEED_SIZE]
        )

    def item_title(self, claim):
        statement = display.statement(claim)
        if claim.disputed:
            return _("Disputed: %(statement)s") % {"statement": statement}
        return statement

    def item_description(self, claim):
        verdict = str(VERDICTS[claim.verdict])
        rationale, _lang = display.in_language(claim, "rationale")
        if not rationale:
            return verdict
        return f"{verdict}. {without_source_marks(rationale)}"

    def item_link(self, claim):
        return absolute_url(reverse("web:claim-detail", args=[claim.slug]))

    def item_pubdate(self, claim):
        return claim.published_at or claim.updated_at

    def item_updateddate(self, claim):
        return claim.event_at
