"""Serializers: output shapes for reads, and input parsing for the services' writes.

Reads get their rows from the QuerySet methods the views call (nothing here queries per
row). Writes are parsed here and carried out by claims.services / sources.services.
Texts that must stay exact (article text, quotes and their context) are never trimmed.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import services
from claims.models import (
    DISPUTING_STATUSES,
    EVIDENCE_ORDER,
    RATING_VALUES,
    Assertion,
    Claim,
    ClaimKind,
    ClaimStatus,
    Conflict,
    ConflictKind,
    ConflictStatus,
    Entity,
    Quote,
    Stance,
    Suggestion,
    Topic,
    ValueKind,
    Verdict,
)
from domain.intervals import DATE_UNIT
from sources.models import DatePrecision, Language, Source, SourceKind

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# SQLite keeps decimals as floating point: a larger bound could round up past the column's
# 24 digits and no longer be read back.
LARGEST_BOUND = Decimal(10) ** 19


class StrictTextMixin:
    """Text fields take strings only: a number where text belongs is a mistake, not text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(StrictTextMixin, serializers.CharField):
    pass


class Slug(StrictTextMixin, serializers.SlugField):
    pass


# Narrower than what URLField takes, so that every URL the schema allows is one it takes.
@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        "pattern": r"^https?://[a-z0-9]+(\.[a-z0-9]+)*\.[a-z]{2,20}(/[A-Za-z0-9._~-]*)*$",
    }
)
class Url(StrictTextMixin, serializers.URLField):
    pass


class WriteSerializer(serializers.Serializer):
    """Parses a write. A field it does not know is refused, naming it, not silently dropped:
    a misspelt field would otherwise look saved."""

    # Sent by the browsable API's forms alongside the fields.
    IGNORED = {"csrfmiddlewaretoken"}

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            known = ", ".join(name for name, field in self.fields.items() if not field.read_only)
            unknown = {
                name: [f"Unknown field; the fields are {known}."]
                for name in sorted(set(data) - set(self.fields) - self.IGNORED)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class ReviewerFieldsMixin:
    """Drops fields only reviewers may see unless the view says the client is one."""

    reviewer_only_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("reviewer"):
            for name in self.reviewer_only_fields:
                data.pop(name, None)
        return data


# Sources


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "outlet", "published_on", "url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "outlet",
            "author",
            "url",
            "published_on",
            "published_precision",
            "language",
            "kind",
            "sha256",
            "created_at",
            "updated_at",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]


class SourceImportedSerializer(SourceDetailSerializer):
    already_existed = serializers.BooleanField(
        read_only=True, help_text="True when a source with exactly this text was already there."
    )
    suggestions_queued = serializers.IntegerField(
        read_only=True,
        help_text="How many of its sentences were queued as suggestions for existing claims "
        "(GET /api/claims/{slug}/suggestions/); 0 for a source that already existed, and 0 "
        "while its scan is queued.",
    )
    scan_state = serializers.CharField(
        read_only=True,
        help_text="Where the scan for suggestions stands: queued (a background worker will "
        "scan it), scanning, done or failed.",
    )

    class Meta(SourceDetailSerializer.Meta):
        fields = [
            *SourceDetailSerializer.Meta.fields,
            "already_existed",
            "suggestions_queued",
            "scan_state",
        ]


class SourceImportSerializer(WriteSerializer):
    title = Text(max_length=500)
    text = Text(trim_whitespace=False)
    language = serializers.ChoiceField(choices=Language.choices)
    outlet = Text(max_length=200, required=False, allow_blank=True)
    author = Text(max_length=200, required=False, allow_blank=True)
    url = Url(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    published_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)


# Entities and topics


class EntitySerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Entity
        fields = ["slug", "name", "name_zh", "kind", "description", "aliases"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "name_zh"]


# Quotes


class QuoteSerializer(serializers.ModelSerializer):
    speaker = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "source",
            "exact",
            "start",
            "end",
            "prefix",
            "suffix",
            "speaker",
            "anchor_state",
            "created_at",
            "updated_at",
        ]


class QuoteInAssertionSerializer(serializers.ModelSerializer):
    source = SourceSummarySerializer(read_only=True)

    class Meta:
        model = Quote
        fields = ["id", "exact", "start", "end", "prefix", "suffix", "anchor_state", "source"]


class QuoteCreateSerializer(WriteSerializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    exact = Text(trim_whitespace=False)
    prefix = Text(trim_whitespace=False, required=False, allow_blank=True)
    suffix = Text(trim_whitespace=False, required=False, allow_blank=True)
    start = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    end = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    speaker = serializers.SlugRelatedField(
        slug_field="slug", queryset=Entity.objects.all(), required=False, allow_null=True
    )


# Values


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "format": "date"}],
        "nullable": True,
        "description": "A number, or an ISO date (YYYY-MM-DD) when the unit is 'date'; "
        "null for an open bound.",
    }
)
class BoundField(serializers.DecimalField):
    """One bound of a value: a number, or an ISO date for date values."""

    default_error_messages = {
        "invalid_date": "Enter a real date as YYYY-MM-DD.",
        "out_of_range": f"Enter a number between -{LARGEST_BOUND:,} and {LARGEST_BOUND:,}.",
    }

    def __init__(self, **kwargs):
        super().__init__(max_digits=24, decimal_places=4, coerce_to_string=False, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and ISO_DATE.fullmatch(data.strip()):
            try:
                return date.fromisoformat(data.strip())
            except ValueError:
                self.fail("invalid_date")
        value = super().to_internal_value(data)
        if abs(value) > LARGEST_BOUND:
            self.fail("out_of_range")
        return value


class ValueSerializer(WriteSerializer):
    """A value as an interval; `text` is the words it was read from."""

    low = BoundField(required=False, allow_null=True)
    high = BoundField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ValueKind.choices)
    unit = Text(max_length=20, required=False, allow_blank=True)
    text = Text(max_length=200, required=False, allow_blank=True)
    origin = Text(
        read_only=True, help_text="extracted (read from the quote) or reviewer (set by one)."
    )


def _show_bound(value: Decimal | None, unit: str):
    """A bound as JSON shows it: an ISO date, or the number with all its digits (a Decimal,
    which the API's renderer writes exactly), whole numbers without a fraction."""
    if value is None:
        return None
    if unit == DATE_UNIT:
        return date.fromordinal(int(value)).isoformat()
    return int(value) if value == value.to_integral_value() else value.normalize()


@extend_schema_field(ValueSerializer(allow_null=True))
class AssertionValueField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, assertion):
        if not assertion.has_value:
            return None
        return {
            "low": _show_bound(assertion.low, assertion.unit),
            "high": _show_bound(assertion.high, assertion.unit),
            "kind": assertion.value_kind,
            "unit": assertion.unit,
            "text": assertion.value_text,
            "origin": assertion.value_origin,
        }


def interval_for(value: dict | None, claim: Claim):
    """The Interval a parsed value stands for on this claim; dates become day numbers."""
    if value is None:
        return None
    is_date = (value.get("unit") or services.value_unit(claim)) == DATE_UNIT
    bounds = {}
    for name in ("low", "high"):
        bound = value.get(name)
        if bound is None:
            bounds[name] = None
        elif isinstance(bound, date) != is_date:
            wanted = "an ISO date (YYYY-MM-DD)" if is_date else "a number"
            raise serializers.ValidationError({f"value.{name}": f"{name} must be {wanted}"})
        else:
            bounds[name] = Decimal(bound.toordinal()) if is_date else bound
    return services.value_interval(
        {**bounds, "kind": value["kind"], "unit": value.get("unit", "")}, claim=claim
    )


# Assertions and conflicts


class AssertionSerializer(ReviewerFieldsMixin, serializers.ModelSerializer):
    reviewer_only_fields = ("note",)

    claim = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    quote = QuoteInAssertionSerializer(read_only=True)
    value = AssertionValueField()
    speaker = serializers.SlugRelatedField(
        source="quote.speaker", read_only=True, slug_field="slug", allow_null=True
    )
    # Not read-only, so that the schema does not require what anonymous clients never get.
    note = serializers.CharField(
        required=False, help_text="Reviewer's note; only reviewers see it."
    )

    class Meta:
        model = Assertion
        fields = [
            "id",
            "claim",
            "stance",
            "value",
            "speaker",
            "quote",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]


class AssertionCreateSerializer(WriteSerializer):
    claim = serializers.SlugRelatedField(slug_field="slug", queryset=Claim.objects.all())
    quote = serializers.PrimaryKeyRelatedField(queryset=Quote.objects.all())
    stance = serializers.ChoiceField(choices=Stance.choices)
    value = ValueSerializer(
        required=False,
        allow_null=True,
        help_text="Omit it on a quantity or date claim to have it read from the quote.",
    )
    note = Text(required=False, allow_blank=True)

    def validate(self, attrs):
        attrs["value_text"] = (attrs.get("value") or {}).get("text", "")
        attrs["value"] = interval_for(attrs.get("value"), attrs["claim"])
        return attrs


class AssertionUpdateSerializer(WriteSerializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    value = ValueSerializer(
        required=False, allow_null=True, help_text="null clears the value; omit it to keep it."
    )
    note = Text(required=False, allow_blank=True)

    def validate(self, attrs):
        if "value" in attrs:
            attrs["value_text"] = (attrs["value"] or {}).get("text", "")
            attrs["value"] = interval_for(attrs["value"], self.instance.claim)
        return attrs


class ConflictSerializer(ReviewerFieldsMixin, serializers.ModelSerializer):
    reviewer_only_fields = ("reviewer_note",)

    claim = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    note = serializers.CharField(read_only=True, help_text="How it was settled; shown to readers.")
    # Not read-only, so that the schema does not require what anonymous clients never get.
    reviewer_note = serializers.CharField(
        required=False, help_text="Reviewers' own note; only reviewers see it."
    )
    assertions = serializers.ListField(
        source="assertion_ids",
        child=serializers.IntegerField(),
        read_only=True,
        help_text="The two assertions that cannot both hold, lower id first.",
    )

    class Meta:
        model = Conflict
        fields = [
            "id",
            "claim",
            "kind",
            "status",
            "origin",
            "assertions",
            "reason",
            "note",
            "reviewer_note",
            "created_at",
            "updated_at",
        ]


class ConflictMarkSerializer(WriteSerializer):
    first = serializers.PrimaryKeyRelatedField(queryset=Assertion.objects.all())
    second = serializers.PrimaryKeyRelatedField(queryset=Assertion.objects.all())
    note = Text(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ConflictKind.choices, required=False)


class ConflictUpdateSerializer(WriteSerializer):
    status = serializers.ChoiceField(choices=ConflictStatus.choices)
    note = Text(required=False, allow_blank=True, help_text="Shown to readers.")
    reviewer_note = Text(required=False, help_text="Only reviewers see it.")


# Claims


class PositionValueSerializer(serializers.Serializer):
    low = serializers.JSONField(allow_null=True, help_text="A number, or an ISO date.")
    high = serializers.JSONField(allow_null=True, help_text="A number, or an ISO date.")
    unit = serializers.CharField()


class PositionSerializer(serializers.Serializer):
    """One side of the claim's dispute (see the README's "Positions")."""

    id = serializers.IntegerField()
    label = serializers.CharField(help_text='"about $100M", "$44M–$45M", "Yes".')
    label_zh = serializers.CharField()
    value = PositionValueSerializer(
        allow_null=True, help_text="What every member admits; null on yes/no and text claims."
    )
    stance = serializers.ChoiceField(choices=Stance.choices)
    assertions = serializers.ListField(child=serializers.IntegerField())
    bridging = serializers.ListField(
        child=serializers.IntegerField(), help_text="Members that are in another position too."
    )
    sources = serializers.ListField(child=serializers.IntegerField())
    speakers = serializers.ListField(child=serializers.SlugField())
    first_published_on = serializers.DateField(allow_null=True)
    rating = serializers.ChoiceField(choices=Verdict.choices[1:], allow_null=True)
    rating_label = serializers.CharField(allow_null=True)
    rating_value = serializers.IntegerField(allow_null=True)
    statement = serializers.CharField(allow_null=True)
    statement_zh = serializers.CharField(allow_null=True)
    rationale = serializers.CharField(allow_null=True)
    rationale_zh = serializers.CharField(allow_null=True)
    rated_evidence_changed = serializers.BooleanField(allow_null=True)


# A position's columns and its ratings', newest first, as claim_position_rows reads them.
POSITION_COLUMNS = (
    "id",
    "label",
    "label_zh",
    "low",
    "high",
    "value_kind",
    "unit",
    "stance",
    "assertion_ids",
    "bridging_ids",
    "source_ids",
    "speakers",
    "first_published_on",
    "ratings__verdict",
    "ratings__statement",
    "ratings__statement_zh",
    "ratings__rationale",
    "ratings__rationale_zh",
    "ratings__evidence_changed",
)


def claim_position_rows(claim: Claim) -> list[dict]:
    """The claim's positions in rank order as PositionSerializer documents them, each with
    its latest rating: one query of rows, where prefetching positions and ratings as models
    took two queries and 1.7 times the Python calls."""
    rows = claim.positions.order_by("rank", "-ratings__rated_at", "-ratings__pk").values_list(
        *POSITION_COLUMNS
    )
    latest = {}
    for row in rows:
        latest.setdefault(row[0], row)  # a position's first row carries its latest rating
    return [position_row(row) for row in latest.values()]


def position_row(row: tuple) -> dict:
    """One row of POSITION_COLUMNS as PositionSerializer documents the position."""
    (
        pk, label, label_zh, low, high, value_kind, unit, stance,
        assertion_ids, bridging_ids, source_ids, speakers, first_published_on,
        verdict, statement, statement_zh, rationale, rationale_zh, evidence_changed,
    ) = row  # fmt: skip
    rated = verdict is not None
    return {
        "id": pk,
        "label": label,
        "label_zh": label_zh,
        "value": {
            "low": _show_bound(low, unit),
            "high": _show_bound(high, unit),
            "unit": unit,
        }
        if value_kind
        else None,
        "stance": stance,
        "assertions": assertion_ids,
        "bridging": bridging_ids,
        "sources": source_ids,
        "speakers": speakers,
        "first_published_on": _DATE.to_representation(first_published_on),
        "rating": verdict,
        "rating_label": english_label(Verdict(verdict)) if rated else None,
        "rating_value": RATING_VALUES.get(verdict) if rated else None,
        "statement": statement,
        "statement_zh": statement_zh,
        "rationale": rationale,
        "rationale_zh": rationale_zh,
        "rated_evidence_changed": evidence_changed,
    }


def english_label(choice) -> str:
    # The API speaks English (its JSON-LD says inLanguage "en"), whatever the client accepts.
    with translation.override("en"):
        return str(choice.label)


def positions_summary(labelled_sources) -> str:
    """ "about $100M (3) | $44M–$45M (4)": each position's label and how many sources, from
    (label, source ids) pairs."""
    return " | ".join(f"{label} ({len(sources)})" for label, sources in labelled_sources)


class ClaimSerializer(ReviewerFieldsMixin, serializers.ModelSerializer):
    reviewer_only_fields = ("reviewer_notes",)

    subjects = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    disputed = serializers.BooleanField(
        read_only=True,
        help_text="Its dispute has two or more positions, or a conflict a reviewer marked.",
    )
    position_count = serializers.IntegerField(read_only=True)
    positions_summary = serializers.SerializerMethodField(
        help_text='Each position\'s label and number of sources: "about $100M (3) | $44M (4)".'
    )
    open_conflict_count = serializers.IntegerField(read_only=True)
    assertion_count = serializers.IntegerField(read_only=True)
    source_count = serializers.IntegerField(read_only=True)
    rating_value = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The verdict as a schema.org rating, 1 (false) to 5 (true).",
    )
    reviewer_notes = serializers.CharField(required=False, help_text="Only reviewers see it.")

    class Meta:
        model = Claim
        fields = [
            "slug",
            "statement_en",
            "statement_zh",
            "kind",
            "unit",
            "status",
            "verdict",
            "rating_value",
            "rationale",
            "subjects",
            "topics",
            "disputed",
            "position_count",
            "positions_summary",
            "open_conflict_count",
            "assertion_count",
            "source_count",
            "reviewer_notes",
            "version",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def get_positions_summary(self, claim) -> str:
        return positions_summary((p.label, p.source_ids) for p in claim.positions.all())


# The columns of one assertion as the claim detail shows it, in the order evidence_row reads.
EVIDENCE_COLUMNS = (
    "id",
    "stance",
    "low",
    "high",
    "value_kind",
    "unit",
    "value_text",
    "value_origin",
    "quote__speaker__slug",
    "quote_id",
    "quote__exact",
    "quote__start",
    "quote__end",
    "quote__prefix",
    "quote__suffix",
    "quote__anchor_state",
    "quote__source_id",
    "quote__source__title",
    "quote__source__outlet",
    "quote__source__published_on",
    "quote__source__url",
    "note",
    "version",
    "created_at",
    "updated_at",
)
_DATE = serializers.DateField()


def _moment(value: datetime | None) -> str | None:
    """A datetime as DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC
    as Z), without its per-call settings lookups: a large claim writes thousands."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def evidence_row(row: tuple, *, claim_slug: str, reviewer: bool) -> dict:
    """One row of EVIDENCE_COLUMNS as AssertionSerializer shows the same assertion."""
    (
        pk, stance, low, high, value_kind, unit, value_text, value_origin, speaker,
        quote_id, exact, start, end, prefix, suffix, anchor_state,
        source_id, title, outlet, published_on, url,
        note, version, created_at, updated_at,
    ) = row  # fmt: skip
    shown = {
        "id": pk,
        "claim": claim_slug,
        "stance": stance,
        "value": {
            "low": _show_bound(low, unit),
            "high": _show_bound(high, unit),
            "kind": value_kind,
            "unit": unit,
            "text": value_text,
            "origin": value_origin,
        }
        if value_kind
        else None,
        "speaker": speaker,
        "quote": {
            "id": quote_id,
            "exact": exact,
            "start": start,
            "end": end,
            "prefix": prefix,
            "suffix": suffix,
            "anchor_state": anchor_state,
            "source": {
                "id": source_id,
                "title": title,
                "outlet": outlet,
                "published_on": _DATE.to_representation(published_on),
                "url": url,
            },
        },
        "note": note,
        "version": version,
        "created_at": _moment(created_at),
        "updated_at": _moment(updated_at),
    }
    if not reviewer:
        del shown["note"]
    return shown


class ClaimDetailSerializer(ClaimSerializer):
    positions = serializers.SerializerMethodField()
    assertions = serializers.SerializerMethodField()
    conflicts = ConflictSerializer(many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "positions", "assertions", "conflicts"]

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, claim) -> list[dict]:
        return claim_position_rows(claim)

    @extend_schema_field(AssertionSerializer(many=True))
    def get_assertions(self, claim) -> list[dict]:
        return claim_assertion_rows(claim, reviewer=bool(self.context.get("reviewer")))


# The claim detail as plain functions over the prefetched claim: the same JSON as
# ClaimDetailSerializer (a test holds them equal), without building some sixty DRF fields
# per request, which cost a median claim's API read more than its queries did
# (benchmarks/README.md, per-request cost).


def _text(value):
    return None if value is None else str(value)


CONFLICT_COLUMNS = (
    "id",
    "kind",
    "status",
    "origin",
    "first_id",
    "second_id",
    "reason",
    "note",
    "reviewer_note",
    "created_at",
    "updated_at",
)


def conflict_row(row: tuple, *, claim_slug: str, reviewer: bool) -> dict:
    """One row of CONFLICT_COLUMNS as ConflictSerializer shows the conflict."""
    (
        pk, kind, status, origin, first_id, second_id,
        reason, note, reviewer_note, created_at, updated_at,
    ) = row  # fmt: skip
    shown = {
        "id": pk,
        "claim": claim_slug,
        "kind": kind,
        "status": status,
        "origin": origin,
        "assertions": [first_id, second_id],
        "reason": _text(reason),
        "note": _text(note),
        "reviewer_note": _text(reviewer_note),
        "created_at": _moment(created_at),
        "updated_at": _moment(updated_at),
    }
    if not reviewer:
        del shown["reviewer_note"]
    return shown


def claim_detail_row(claim: Claim, *, reviewer: bool) -> dict:
    """A claim as ClaimDetailSerializer shows it.

    Its lists are read as rows, one query each: prefetching them as model instances cost a
    median claim's read more than the database's work did. Its counts come from those rows,
    where a list's come from with_counts(): three subqueries cost a fifth of the read.
    """
    positions = claim_position_rows(claim)
    assertions = claim_assertion_rows(claim, reviewer=reviewer)
    conflicts = claim.conflicts.order_by("status", "pk").values_list(*CONFLICT_COLUMNS)
    shown = {
        "slug": claim.slug,
        "statement_en": claim.statement_en,
        "statement_zh": claim.statement_zh,
        "kind": claim.kind,
        "unit": claim.unit,
        "status": claim.status,
        "verdict": claim.verdict,
        "rating_value": claim.rating_value,
        "rationale": claim.rationale,
        "subjects": list(claim.subjects.values_list("slug", flat=True)),
        "topics": list(claim.topics.values_list("slug", flat=True)),
        "disputed": claim.disputed,
        "position_count": claim.position_count,
        "positions_summary": positions_summary((p["label"], p["sources"]) for p in positions),
        "open_conflict_count": sum(row[2] in DISPUTING_STATUSES for row in conflicts),
        "assertion_count": len(assertions),
        "source_count": len({a["quote"]["source"]["id"] for a in assertions}),
        "reviewer_notes": claim.reviewer_notes,
        "version": claim.version,
        "published_at": _moment(claim.published_at),
        "created_at": _moment(claim.created_at),
        "updated_at": _moment(claim.updated_at),
        "positions": positions,
        "assertions": assertions,
        "conflicts": [
            conflict_row(row, claim_slug=claim.slug, reviewer=reviewer) for row in conflicts
        ],
    }
    if not reviewer:
        del shown["reviewer_notes"]
    return shown


def claim_assertion_rows(claim: Claim, *, reviewer: bool) -> list[dict]:
    # Read as rows in one query, not as model instances: building and serialising
    # ~4,000 instances for a claim with 1,000 assertions cost 5-7x the SQL floor
    # (benchmarks/README.md, claim detail).
    rows = claim.assertions.order_by(*EVIDENCE_ORDER).values_list(*EVIDENCE_COLUMNS)
    return [evidence_row(row, claim_slug=claim.slug, reviewer=reviewer) for row in rows]


class ClaimCreateSerializer(WriteSerializer):
    slug = Slug(max_length=120)
    statement_en = Text(max_length=300)
    statement_zh = Text(max_length=300, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    unit = Text(max_length=20, required=False, allow_blank=True)
    subjects = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Entity.objects.all(), required=False
    )
    topics = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Topic.objects.all(), required=False
    )
    reviewer_notes = Text(required=False, allow_blank=True)


class ClaimUpdateSerializer(ClaimCreateSerializer):
    status = serializers.ChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        help_text="Publishing or unpublishing needs an Editor.",
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices, required=False, help_text="Editors only."
    )
    rationale = Text(required=False, allow_blank=True, help_text="Editors only.")


# Suggestions


class SuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = [
            "id",
            "source",
            "start",
            "end",
            "exact",
            "reason",
            "status",
            "assertion",
            "created_at",
            "updated_at",
        ]


class SuggestionAcceptSerializer(WriteSerializer):
    """Accepting needs the claim in the context, to read the value in its unit."""

    stance = serializers.ChoiceField(choices=Stance.choices)
    value = ValueSerializer(
        required=False,
        allow_null=True,
        help_text="Omit it on a quantity or date claim to have it read from the sentence.",
    )

    def validate(self, attrs):
        attrs["value_text"] = (attrs.get("value") or {}).get("text", "")
        attrs["value"] = interval_for(attrs.get("value"), self.context["claim"])
        return attrs
