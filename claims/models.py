from datetime import UTC

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from claims.querysets import (
    AssertionQuerySet,
    ClaimQuerySet,
    ConflictQuerySet,
    EntityQuerySet,
    QuoteQuerySet,
    TopicQuerySet,
)
from domain.text import fold_for_search
from sources.models import DisplayTextMixin, Source


def choice_constraint(field: str, choices: type[models.TextChoices], name: str, blank=False):
    """Choices alone do not constrain the data; this makes the database refuse others."""
    allowed = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": allowed}), name=name)


class EntityKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Entity(DisplayTextMixin, models.Model):
    """A person or organisation, known under many spellings (see Alias)."""

    display_text_fields = ("name", "name_zh")

    slug = models.SlugField(verbose_name=_("slug"), max_length=100, unique=True)
    name = models.CharField(
        verbose_name=_("name"), max_length=200, help_text=_("Canonical English name.")
    )
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=200, blank=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=EntityKind.choices)
    description = models.TextField(verbose_name=_("description"), blank=True)
    description_zh = models.TextField(
        verbose_name=_("description (Chinese)"),
        blank=True,
        help_text=_("The description in Chinese."),
    )

    history = HistoricalRecords()
    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [choice_constraint("kind", EntityKind, "entity_kind_valid")]

    def __str__(self):
        return self.name


class Alias(DisplayTextMixin, models.Model):
    display_text_fields = ("name",)

    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(verbose_name=_("name"), max_length=200)
    folded = models.CharField(
        verbose_name=_("folded"), max_length=200, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["entity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity")
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, kept beside the name it is derived from.
        self.folded = fold_for_search(self.name)
        super().save(*args, **kwargs)


class Topic(DisplayTextMixin, models.Model):
    display_text_fields = ("name", "name_zh")

    slug = models.SlugField(verbose_name=_("slug"), max_length=100, unique=True)
    name = models.CharField(verbose_name=_("name"), max_length=200)
    name_zh = models.CharField(verbose_name=_("name (Chinese)"), max_length=200, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", _("Anchored")
    FUZZY = "fuzzy", _("Re-anchored fuzzily (check it)")
    REVIEW = "review", _("Needs review (several places fit)")
    ORPHANED = "orphaned", _("Orphaned (text no longer found)")


# A placed quote's offsets point at its words; a quote to review or orphaned keeps the
# offsets it had, which may no longer hold its words, so only placed quotes are highlighted
# and only they must not share a span.
PLACED_ANCHOR_STATES = (AnchorState.ANCHORED, AnchorState.FUZZY)


class Quote(models.Model):
    """An exact span of a source's text (W3C TextQuoteSelector + TextPositionSelector)."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="quotes"
    )
    exact = models.TextField(verbose_name=_("exact text"))
    start = models.PositiveIntegerField(verbose_name=_("start offset"))
    end = models.PositiveIntegerField(verbose_name=_("end offset"))
    prefix = models.CharField(verbose_name=_("prefix"), max_length=64, blank=True)
    suffix = models.CharField(verbose_name=_("suffix"), max_length=64, blank=True)
    speaker = models.ForeignKey(
        Entity,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text=_("Who the article quotes; empty for the article's own voice."),
    )
    anchor_state = models.CharField(
        verbose_name=_("anchor state"),
        max_length=8,
        choices=AnchorState.choices,
        default=AnchorState.ANCHORED,
    )
    search_text = models.TextField(verbose_name=_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["source", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="quote_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["source", "start", "end"],
                condition=Q(anchor_state__in=PLACED_ANCHOR_STATES),
                name="quote_unique_span",
            ),
            choice_constraint("anchor_state", AnchorState, "quote_anchor_state_valid"),
        ]

    def __str__(self):
        return self.exact if len(self.exact) <= 60 else self.exact[:59] + "…"

    @property
    def is_placed(self) -> bool:
        return self.anchor_state in PLACED_ANCHOR_STATES


class ClaimKind(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    YES_NO = "yes_no", _("Yes / no")
    DATE = "date", _("Date")
    TEXT = "text", _("Free text")


class ClaimStatus(models.TextChoices):
    # In a context of their own: "Published" is also the reader pages' publication date.
    DRAFT = "draft", pgettext_lazy("claim status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("claim status", "In review")
    PUBLISHED = "published", pgettext_lazy("claim status", "Published")
    ARCHIVED = "archived", pgettext_lazy("claim status", "Archived")


class Verdict(models.TextChoices):
    """A rating scale that maps onto schema.org ClaimReview (see RATING_VALUES)."""

    NONE = "", _("No verdict yet")
    TRUE = "true", pgettext_lazy("verdict", "True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    MIXED = "mixed", _("Mixed")
    MOSTLY_FALSE = "mostly_false", _("Mostly false")
    FALSE = "false", pgettext_lazy("verdict", "False")
    UNPROVEN = "unproven", _("Unproven")


# The verdicts an Editor can give (every one but "no verdict yet").
GIVEN_VERDICTS = Verdict.choices[1:]

# ClaimReview reviewRating.ratingValue on a 1 (worst) to 5 (best) scale.
RATING_VALUES = {
    Verdict.TRUE: 5,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.MIXED: 3,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.FALSE: 1,
}


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    RESOLVED = "resolved", _("Resolved")


DISPUTING_STATUSES = [ConflictStatus.OPEN, ConflictStatus.CONFIRMED]


# A claim's evidence is shown in the order its sources were published.
EVIDENCE_ORDER = ("quote__source__published_on", "quote__source_id", "quote__start")
# What no page or export of a claim's evidence shows: left in the database, since a claim
# with 1,000 assertions would otherwise carry 1,000 article texts and 6,000 timestamps.
EVIDENCE_UNSHOWN = (
    "note",
    "created_at",
    "updated_at",
    "quote__search_text",
    "quote__created_at",
    "quote__updated_at",
    "quote__source__text",
    "quote__source__search_text",
    "quote__source__created_at",
    "quote__source__updated_at",
)


class Claim(DisplayTextMixin, models.Model):
    """A contested proposition, stated neutrally, with its workflow status and verdict."""

    display_text_fields = ("statement_en", "statement_zh")

    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)
    statement_en = models.CharField(verbose_name=_("statement (English)"), max_length=300)
    statement_zh = models.CharField(
        verbose_name=_("statement (Chinese)"), max_length=300, blank=True
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=8, choices=ClaimKind.choices)
    unit = models.CharField(
        verbose_name=_("unit"), max_length=20, blank=True, help_text=_("USD, people, date …")
    )
    subjects = models.ManyToManyField(
        Entity, verbose_name=_("subjects"), blank=True, related_name="claims"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="claims"
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=9,
        choices=ClaimStatus.choices,
        default=ClaimStatus.DRAFT,
    )
    verdict = models.CharField(
        verbose_name=_("verdict"), max_length=12, choices=Verdict.choices, blank=True, default=""
    )
    rationale = models.TextField(verbose_name=_("rationale"), blank=True)
    rationale_zh = models.TextField(
        verbose_name=_("rationale (Chinese)"), blank=True, help_text=_("The rationale in Chinese.")
    )
    reviewer_notes = models.TextField(
        verbose_name=_("reviewer notes"), blank=True, help_text=_("Never shown to readers.")
    )
    match_terms = models.TextField(
        verbose_name=_("match terms"),
        blank=True,
        help_text=_(
            "Words for what the claim says happened, one a line, in English and Chinese "
            "(donated / 捐赠 / 投资): a sentence is suggested for the claim when it names a "
            "subject and uses one of them."
        ),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        verbose_name=_("assigned to"),
        help_text=_("The reviewer working on it."),
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    search_text = models.TextField(verbose_name=_("search text"), blank=True, editable=False)
    published_at = models.DateTimeField(
        verbose_name=_("published at"), null=True, blank=True, editable=False
    )
    # Whether it has open or confirmed conflicts, kept by Claim.refresh_disputed(): lists
    # of disputed claims filter and count on it instead of probing conflicts per claim.
    disputed = models.BooleanField(verbose_name=_("disputed"), default=False, editable=False)
    # How many sides its dispute has, kept with its positions (claims.services.positions).
    position_count = models.PositiveSmallIntegerField(
        verbose_name=_("position count"), default=0, editable=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[subjects, topics],
        excluded_fields=["search_text", "disputed", "position_count"],
    )
    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-updated_at", "id"]
        permissions = [("publish_claim", "Can publish claims and set verdicts")]
        constraints = [
            choice_constraint("kind", ClaimKind, "claim_kind_valid"),
            choice_constraint("status", ClaimStatus, "claim_status_valid"),
            choice_constraint("verdict", Verdict, "claim_verdict_valid", blank=True),
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["status", "disputed", "-updated_at"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.statement_en

    def save(self, *args, **kwargs):
        # `disputed` and `position_count` are written only with the positions, never from a
        # copy that may have been read before the claim's evidence changed.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in ("disputed", "position_count")
            ]
        super().save(*args, **kwargs)

    @staticmethod
    def refresh_disputed(claim_ids) -> None:
        """Set `disputed` from the positions and conflicts as they are now.

        Disputed: two or more positions, or an open or confirmed conflict a reviewer marked.
        """
        marked = Exists(
            Conflict.objects.filter(
                claim=OuterRef("pk"),
                status__in=DISPUTING_STATUSES,
                origin=ConflictOrigin.REVIEWER,
            )
        )
        disputing = Q(position_count__gte=2) | Q(marked)
        # Only the rows whose flag changes: an UPDATE of an unchanged row still leaves a
        # dead copy behind for VACUUM.
        claims = Claim.objects.filter(pk__in=claim_ids)
        claims.filter(disputing, disputed=False).update(disputed=True)
        claims.filter(~disputing, disputed=True).update(disputed=False)

    @property
    def rating_value(self) -> int | None:
        return RATING_VALUES.get(self.verdict)


class ClaimComment(models.Model):
    """A note in a claim's thread, where reviewers and editors talk its evidence over."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(verbose_name=_("text"))
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["claim", "created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"])]

    def __str__(self):
        return f"{self.author or 'someone'} on {self.claim_id}: {self.text[:40]}"


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    QUALIFIES = "qualifies", _("Qualifies")
    MENTIONS = "mentions", _("Mentions")


class ValueKind(models.TextChoices):
    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    UPPER_BOUND = "upper_bound", _("Upper bound")
    LOWER_BOUND = "lower_bound", _("Lower bound")
    RANGE = "range", _("Range")


class ValueOrigin(models.TextChoices):
    NONE = "", _("No value")
    EXTRACTED = "extracted", _("Read from the quote")
    REVIEWER = "reviewer", _("Set by a reviewer")


class SetAside(models.TextChoices):
    NO = "", _("In the dispute")
    OUTLIER = "outlier", _("Outlier")
    OTHER_MEASURE = "other_measure", _("Measures something else")


class Assertion(models.Model):
    """What one quote says about one claim: a stance and, for quantities and dates, a value.

    The value is an interval [low, high]; an open bound is null. Date values are stored as
    proleptic Gregorian day numbers (date.toordinal()) so one interval logic serves both.
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="assertions"
    )
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.PROTECT, related_name="assertions"
    )
    stance = models.CharField(verbose_name=_("stance"), max_length=11, choices=Stance.choices)
    low = models.DecimalField(
        verbose_name=_("low bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        verbose_name=_("high bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    value_kind = models.CharField(
        verbose_name=_("value kind"), max_length=11, choices=ValueKind.choices, blank=True
    )
    unit = models.CharField(verbose_name=_("unit"), max_length=20, blank=True)
    value_text = models.CharField(
        verbose_name=_("value text"),
        max_length=200,
        blank=True,
        help_text=_("The words in the quote the value was read from."),
    )
    value_origin = models.CharField(
        verbose_name=_("value origin"),
        max_length=9,
        choices=ValueOrigin.choices,
        blank=True,
        default="",
    )
    note = models.TextField(
        verbose_name=_("note"), blank=True, help_text=_("Reviewer's note; not shown to readers.")
    )
    set_aside = models.CharField(
        verbose_name=_("set aside"),
        max_length=13,
        choices=SetAside.choices,
        blank=True,
        default="",
        help_text=_("Left out of the claim's positions; readers see it as such."),
    )
    set_aside_note = models.TextField(
        verbose_name=_("set aside note"), blank=True, help_text=_("Why, for readers.")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AssertionQuerySet.as_manager()

    class Meta:
        verbose_name = _("assertion")
        verbose_name_plural = _("assertions")
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "claim"], name="assertion_one_per_quote_claim"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="assertion_low_not_above_high",
            ),
            models.CheckConstraint(
                condition=Q(value_kind="") | Q(low__isnull=False) | Q(high__isnull=False),
                name="assertion_value_has_a_bound",
            ),
            choice_constraint("stance", Stance, "assertion_stance_valid"),
            choice_constraint("value_kind", ValueKind, "assertion_value_kind_valid", blank=True),
            choice_constraint(
                "value_origin", ValueOrigin, "assertion_value_origin_valid", blank=True
            ),
            choice_constraint("set_aside", SetAside, "assertion_set_aside_valid", blank=True),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.quote}"

    @property
    def has_value(self) -> bool:
        return bool(self.value_kind)


class ConflictKind(models.TextChoices):
    VALUE = "value", _("Values do not overlap")
    STANCE = "stance", _("Opposite stances")
    DATE = "date", _("Incompatible dates")
    OTHER = "other", _("Other (marked by a reviewer)")


class ConflictOrigin(models.TextChoices):
    AUTO = "auto", _("Detected")
    REVIEWER = "reviewer", _("Marked by a reviewer")


class Conflict(models.Model):
    """Two assertions on one claim that cannot both hold. `first` has the lower id."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="conflicts"
    )
    first = models.ForeignKey(
        Assertion, verbose_name=_("first assertion"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Assertion, verbose_name=_("second assertion"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=6, choices=ConflictKind.choices)
    origin = models.CharField(
        verbose_name=_("origin"), max_length=8, choices=ConflictOrigin.choices
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=9,
        choices=ConflictStatus.choices,
        default=ConflictStatus.OPEN,
    )
    reason = models.CharField(
        verbose_name=_("reason"),
        max_length=500,
        blank=True,
        help_text=_("Why the two cannot both hold."),
    )
    note = models.TextField(
        blank=True,
        verbose_name=_("public note"),
        help_text=_("Shown to readers on the claim's page: how the conflict was settled."),
    )
    reviewer_note = models.TextField(
        blank=True,
        verbose_name=_("reviewers' note"),
        help_text=_("For reviewers only; never shown to readers or in the public API."),
    )
    note_zh = models.TextField(
        verbose_name=_("public note (Chinese)"), blank=True, help_text=_("The note in Chinese.")
    )
    # The values the conflict was judged on; a dismissal stands until one of them changes.
    values_signature = models.CharField(
        verbose_name=_("values signature"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        ordering = ["claim", "status", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="conflict_pair_ordered"
            ),
            models.UniqueConstraint(fields=["first", "second"], name="conflict_one_per_pair"),
            choice_constraint("kind", ConflictKind, "conflict_kind_valid"),
            choice_constraint("origin", ConflictOrigin, "conflict_origin_valid"),
            choice_constraint("status", ConflictStatus, "conflict_status_valid"),
        ]
        indexes = [models.Index(fields=["claim", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.claim.slug}"

    @property
    def assertion_ids(self) -> list[int]:
        return [self.first_id, self.second_id]


class Position(models.Model):
    """One side of a claim's dispute (domain.positions), rewritten with its evidence."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="positions"
    )
    rank = models.PositiveSmallIntegerField(
        verbose_name=_("rank"), help_text=_("0 is the position most sources hold.")
    )
    stance = models.CharField(verbose_name=_("stance"), max_length=11, choices=Stance.choices)
    label = models.CharField(verbose_name=_("label"), max_length=200)
    label_zh = models.CharField(verbose_name=_("label (Chinese)"), max_length=200)
    low = models.DecimalField(
        verbose_name=_("low bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        verbose_name=_("high bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    value_kind = models.CharField(
        verbose_name=_("value kind"), max_length=11, choices=ValueKind.choices, blank=True
    )
    unit = models.CharField(verbose_name=_("unit"), max_length=20, blank=True)
    # Derived lists, stored so that a claim's positions are read in one query.
    assertion_ids = models.JSONField(verbose_name=_("assertion IDs"), default=list)
    bridging_ids = models.JSONField(verbose_name=_("bridging assertion IDs"), default=list)
    source_ids = models.JSONField(verbose_name=_("source IDs"), default=list)
    speakers = models.JSONField(
        verbose_name=_("speakers"), default=list, help_text=_("Speakers' entity slugs.")
    )
    first_published_on = models.DateField(
        verbose_name=_("first published on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["claim", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "rank"], name="position_unique_rank"),
            choice_constraint("stance", Stance, "position_stance_valid"),
        ]

    def __str__(self):
        return self.label


class PositionRating(models.Model):
    """An Editor's rating of one position, kept when the evidence under it changes.

    It follows the position whose members overlap most with those it was given on; when
    they differ it is flagged for the editor, and it is never dropped.
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="position_ratings"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    assertion_ids = models.JSONField(
        verbose_name=_("assertion IDs"), default=list, help_text=_("The members it was rated on.")
    )
    verdict = models.CharField(
        verbose_name=_("verdict"), max_length=12, choices=Verdict.choices[1:]
    )
    statement = models.CharField(
        verbose_name=_("statement"),
        max_length=300,
        blank=True,
        help_text=_("The position as someone made it, attributed."),
    )
    statement_zh = models.CharField(
        verbose_name=_("statement (Chinese)"), max_length=300, blank=True
    )
    speaker = models.ForeignKey(
        Entity,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rationale = models.TextField(verbose_name=_("rationale"), blank=True)
    rationale_zh = models.TextField(verbose_name=_("rationale (Chinese)"), blank=True)
    evidence_changed = models.BooleanField(verbose_name=_("evidence changed"), default=False)
    rated_at = models.DateTimeField(verbose_name=_("rated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position rating")
        verbose_name_plural = _("position ratings")
        ordering = ["claim", "-rated_at", "-id"]
        constraints = [
            choice_constraint("verdict", Verdict, "position_rating_verdict_valid"),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()}: {self.statement or self.position}"

    @property
    def rating_value(self) -> int | None:
        return RATING_VALUES.get(self.verdict)


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """A sentence in a source that may bear on a claim, queued for a reviewer to judge."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="suggestions"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="suggestions"
    )
    start = models.PositiveIntegerField(verbose_name=_("start offset"))
    end = models.PositiveIntegerField(verbose_name=_("end offset"))
    exact = models.TextField(verbose_name=_("exact text"))
    reason = models.CharField(
        verbose_name=_("reason"),
        max_length=300,
        help_text=_("What in the sentence matched the claim."),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=8,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    assertion = models.ForeignKey(
        Assertion,
        verbose_name=_("assertion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(verbose_name=_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["claim", "source", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "start", "end"], name="suggestion_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="suggestion_start_before_end"
            ),
            choice_constraint("status", SuggestionStatus, "suggestion_status_valid"),
        ]
        indexes = [models.Index(fields=["claim", "status"])]

    def __str__(self):
        return self.exact if len(self.exact) <= 60 else self.exact[:59] + "…"


class RejectedSentence(models.Model):
    """A sentence a reviewer rejected as evidence for a claim, remembered by its words.

    It is not suggested for the claim again from any source: not when its quotes,
    punctuation or spacing are written otherwise (`key`), nor when it is nearly the same
    (claims.evidence), as in a near-identical copy of the article.
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="rejected_sentences"
    )
    sentence = models.TextField(
        verbose_name=_("sentence"), help_text=_("The sentence as it was rejected.")
    )
    key = models.CharField(
        verbose_name=_("key"),
        max_length=64,
        editable=False,
        help_text=_("SHA-256 of the sentence's comparable text."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rejected sentence")
        verbose_name_plural = _("rejected sentences")
        ordering = ["claim", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="rejected_sentence_unique")
        ]

    def __str__(self):
        return self.sentence if len(self.sentence) <= 60 else self.sentence[:59] + "…"


class LedgerState(models.Model):
    """Rows whose numbers writes to the ledger raise, inside the write's own transaction.

    Row EVERY_CHANGE counts every write; row PUBLISHED only those readers can see, so the
    validators and cached responses readers get never move with a draft (which would tell
    them of private work). Pages take their ETag and Last-Modified from one row read, where
    finding the latest change and the row counts of every table took 600 ms at a million
    quotes; the published-response cache keys its entries by the same read (claims.cache).
    """

    EVERY_CHANGE = 1
    PUBLISHED = 2

    generation = models.BigIntegerField(verbose_name=_("generation"), default=0)
    changed_at = models.DateTimeField(verbose_name=_("changed at"), default=timezone.now)

    def __str__(self):
        return f"Ledger generation {self.generation}, changed {self.changed_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record_change(cls, *, public: bool | models.QuerySet = True) -> None:
        """Call it inside every write; pages and cached responses move on at its commit.

        `public` says whether readers can see the change: a QuerySet is asked once this
        write holds the EVERY_CHANGE row, which every other write waits for, so a claim
        published at the same moment is either seen as published here or commits after us.
        """
        cls._raise(cls.EVERY_CHANGE)
        if public is True or (public is not False and public.exists()):
            cls._raise(cls.PUBLISHED)

    @classmethod
    def _raise(cls, pk: int) -> None:
        now = timezone.now()
        raised = cls.objects.filter(pk=pk).update(
            generation=models.F("generation") + 1, changed_at=now
        )
        if not raised:  # a flushed database
            cls.objects.get_or_create(pk=pk, defaults={"generation": 1, "changed_at": now})

    @classmethod
    def current(cls, *, public: bool) -> tuple:
        """(generation, changed_at) of what readers (`public`) or reviewers can see.

        Read by every reader page and API read, so in SQL: building the ORM's query took
        longer than running it.
        """
        pk = cls.PUBLISHED if public else cls.EVERY_CHANGE
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT generation, changed_at FROM {cls._meta.db_table} WHERE id = %s", [pk]
            )
            found = cursor.fetchone()
        if found is None:
            return (0,)
        generation, changed_at = found
        if timezone.is_naive(changed_at):  # SQLite keeps UTC without its zone; the ORM adds it
            changed_at = changed_at.replace(tzinfo=UTC)
        return generation, changed_at


def _entity_changed(sender, **kwargs):
    LedgerState.record_change()


# Entities, aliases and topics are edited in the admin directly, not through a service.
for _model in (Entity, Alias, Topic):
    post_save.connect(_entity_changed, sender=_model, dispatch_uid=f"ledger-{_model.__name__}")
    post_delete.connect(_entity_changed, sender=_model, dispatch_uid=f"ledger-{_model.__name__}-")
