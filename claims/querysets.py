"""Reads as chainable QuerySet methods; every "who may see this" rule is a `visible_to(user)`.

API, reader pages, feed and admin all read through these, so readers and anonymous clients
see published claims and what hangs off them everywhere alike; Reviewers and Editors see
everything (claims.permissions.is_reviewer). The models are read when a query is built
(`ledger.`), since they are defined with these QuerySets as their managers.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Substr

from claims import models as ledger
from claims.permissions import is_reviewer
from sources.models import Source


def _context(context: int, quote: str = "") -> dict:
    """A quote's `context_window`: its source's text from `context_offset` to `context`
    characters either side of it, plus one, which tells whether the text goes on. `quote`
    is the path to the quote ("quote__" from an assertion).

    Only the window leaves the database, not the whole article text.
    """
    offset = Greatest(models.F(f"{quote}start") - (context + 1), 0)
    return {
        "context_offset": offset,
        "context_window": Substr(
            f"{quote}source__text", offset + 1, models.F(f"{quote}end") + context + 1 - offset
        ),
    }


class QuoteQuerySet(models.QuerySet):
    def with_source(self):
        return self.select_related("source", "speaker")

    def with_context(self, context: int):
        """Each quote's context window (_context)."""
        return self.annotate(**_context(context))

    def visible_to(self, user):
        if is_reviewer(user):
            return self
        return self.filter(
            Exists(
                ledger.Assertion.objects.filter(
                    quote=OuterRef("pk"), claim__status=ledger.ClaimStatus.PUBLISHED
                )
            )
        )


def ranked_positions():
    """Positions in rank order, each with its ratings (and their speakers) as a list,
    `ratings_latest_first`: the first is the rating in force."""
    ratings = ledger.PositionRating.objects.select_related("speaker").order_by("-rated_at", "-pk")
    return ledger.Position.objects.order_by("rank").prefetch_related(
        models.Prefetch("ratings", queryset=ratings, to_attr="ratings_latest_first")
    )


def _count_of(queryset, field="pk"):
    """How many distinct `field`s `queryset` has for the claim (OuterRef "claim_id")."""
    counted = queryset.order_by().values("claim_id").annotate(n=models.Count(field, distinct=True))
    return Coalesce(Subquery(counted.values("n"), output_field=models.IntegerField()), 0)


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ledger.ClaimStatus.PUBLISHED)

    def visible_to(self, user):
        """Readers and anonymous clients see published claims only; reviewers see all."""
        if is_reviewer(user):
            return self
        return self.published()

    def disputed(self, value: bool = True):
        return self.filter(disputed=value)

    def assigned_to(self, user):
        return self.filter(assignee_id=user.pk)

    def with_counts(self):
        """Counts as correlated subqueries, computed only for the rows a page returns.

        A GROUP BY over assertions, quotes and conflicts would aggregate every claim in the
        list before the page is cut: 10 s for the disputed claims at 1,000,000 assertions.
        """
        mine = {"claim_id": OuterRef("pk")}
        return self.annotate(
            assertion_count=_count_of(ledger.Assertion.objects.filter(**mine)),
            source_count=_count_of(ledger.Assertion.objects.filter(**mine), "quote__source_id"),
            open_conflict_count=_count_of(
                ledger.Conflict.objects.filter(**mine, status__in=ledger.DISPUTING_STATUSES)
            ),
        )

    def with_positions(self):
        """Positions in rank order, each with its ratings, the latest first: two queries."""
        return self.prefetch_related(models.Prefetch("positions", queryset=ranked_positions()))

    def with_assertion_count(self):
        """Each claim's number of assertions (a correlated subquery, as with_counts())."""
        return self.annotate(
            assertion_count=_count_of(ledger.Assertion.objects.filter(claim=OuterRef("pk")))
        )

    def with_evidence(self):
        """Every assertion with its quote and source, for exports (ClaimReview, annotations).

        The claim page reads less (claims.web.claim_page): a thousand assertions as rows,
        and whole only those it shows.
        """
        assertions = (
            ledger.Assertion.objects.select_related("quote__source", "quote__speaker")
            .defer(*ledger.EVIDENCE_UNSHOWN)
            .order_by(*ledger.EVIDENCE_ORDER)
        )
        return self.prefetch_related(
            "subjects__aliases",
            "topics",
            models.Prefetch("assertions", queryset=assertions),
            models.Prefetch("conflicts"),
        )


class EntityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers see the people and bodies a claim they see is about or a quote names."""
        if is_reviewer(user):
            return self
        return self.filter(
            Q(Exists(ledger.Claim.objects.visible_to(user).filter(subjects=OuterRef("pk"))))
            | Q(Exists(ledger.Quote.objects.visible_to(user).filter(speaker=OuterRef("pk"))))
        )


class TopicQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_reviewer(user):
            return self
        return self.filter(
            Exists(ledger.Claim.objects.visible_to(user).filter(topics=OuterRef("pk")))
        )


class AssertionQuerySet(models.QuerySet):
    def with_context(self, context: int):
        """Each assertion's quote's context window (_context), read with the assertion."""
        return self.annotate(**_context(context, quote="quote__"))

    def visible_to(self, user):
        if is_reviewer(user):
            return self
        return self.filter(claim__in=ledger.Claim.objects.visible_to(user))


class ConflictQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_reviewer(user):
            return self
        return self.filter(claim__in=ledger.Claim.objects.visible_to(user))


def sources_visible_to(user):
    """Readers see the sources a quote they see comes from (sources know nothing of claims,
    so the rule lives here rather than on their QuerySet)."""
    if is_reviewer(user):
        return Source.objects.all()
    return Source.objects.filter(
        Exists(ledger.Quote.objects.visible_to(user).filter(source=OuterRef("pk")))
    )
