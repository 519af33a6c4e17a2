"""Query-string filters for the list endpoints. Bad values answer 400 naming the parameter.

Each filter narrows rows the caller may see, and matches them only through rows the caller
may see: a draft's slug answers an anonymous client as an unknown slug does.
"""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.models import (
    Assertion,
    Claim,
    ClaimKind,
    ClaimStatus,
    Conflict,
    ConflictKind,
    ConflictOrigin,
    ConflictStatus,
    Entity,
    EntityKind,
    Quote,
    Stance,
    Verdict,
)
from claims.search import MAX_QUERY_LENGTH, search_claims, search_sources
from sources.models import Language, Source, SourceKind

# Ids are 64-bit; a larger number could never match and some databases refuse it.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$", "maxLength": 120})
class SlugFilter(django_filters.CharFilter):
    """A slug, as long as the longest (a claim's); anything else is a 400."""

    field_class = forms.SlugField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=120, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 1000})
class PositionCountFilter(django_filters.NumberFilter):
    """A number of positions, 0 to 1000."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, max_value=1000, **kwargs)


@extend_schema_field({"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": r"^[^\x00]*$"})
class SearchFilter(django_filters.CharFilter):
    """Words to search for, at most MAX_QUERY_LENGTH characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=MAX_QUERY_LENGTH, **kwargs)


class ClaimFilter(django_filters.FilterSet):
    # Strict: an unrecognised value is a 400, not a silently ignored filter.
    disputed = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        method="filter_disputed",
        help_text="Claims with (true) or without (false) open or confirmed conflicts.",
    )
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices[1:])
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    entity = SlugFilter(field_name="subjects__slug", help_text="Slug of a subject entity.")
    topic = SlugFilter(field_name="topics__slug", help_text="Slug of a topic.")
    source = IdFilter(method="filter_source", help_text="Id of a source quoted on the claim.")
    q = SearchFilter(
        method="filter_search",
        help_text="Search statements, subjects (under every alias) and topics; "
        "simplified and traditional Chinese match each other.",
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", help_text="ISO 8601 date and time."
    )
    positions = PositionCountFilter(
        field_name="position_count",
        help_text="Claims whose dispute has exactly this many positions.",
    )
    min_positions = PositionCountFilter(
        field_name="position_count",
        lookup_expr="gte",
        help_text="Claims whose dispute has at least this many positions.",
    )

    class Meta:
        model = Claim
        fields = []

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_disputed(self, queryset, name, value):
        return queryset.disputed(value)

    def filter_source(self, queryset, name, value):
        return queryset.filter(
            pk__in=Assertion.objects.filter(quote__source_id=value).values("claim_id")
        )

    def filter_search(self, queryset, name, value):
        return search_claims(queryset, value)


class SourceFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(choices=Language.choices)
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    q = SearchFilter(method="filter_search", help_text="Search titles and texts.")

    class Meta:
        model = Source
        fields = []

    def filter_search(self, queryset, name, value):
        return search_sources(queryset, value)


class QuoteFilter(django_filters.FilterSet):
    source = IdFilter(field_name="source_id")
    speaker = SlugFilter(field_name="speaker__slug", help_text="Entity slug.")
    claim = SlugFilter(method="filter_claim", help_text="Claim slug.")

    class Meta:
        model = Quote
        fields = []

    def filter_claim(self, queryset, name, value):
        # A quote may also be on claims the caller may not see.
        assertions = Assertion.objects.visible_to(self.request.user).filter(claim__slug=value)
        return queryset.filter(pk__in=assertions.values("quote_id"))


class AssertionFilter(django_filters.FilterSet):
    claim = SlugFilter(field_name="claim__slug", help_text="Claim slug.")
    # Not "quote_id": Quote has a field called `exact`, which would shadow the lookup.
    quote = IdFilter(field_name="quote__pk")
    source = IdFilter(field_name="quote__source_id")
    stance = django_filters.ChoiceFilter(choices=Stance.choices)

    class Meta:
        model = Assertion
        fields = []


class ConflictFilter(django_filters.FilterSet):
    claim = SlugFilter(field_name="claim__slug", help_text="Claim slug.")
    status = django_filters.ChoiceFilter(choices=ConflictStatus.choices)
    origin = django_filters.ChoiceFilter(choices=ConflictOrigin.choices)
    kind = django_filters.ChoiceFilter(choices=ConflictKind.choices)

    class Meta:
        model = Conflict
        fields = []


class EntityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)

    class Meta:
        model = Entity
        fields = []
