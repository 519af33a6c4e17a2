"""The REST API: reads through the models' QuerySet methods, writes through the services.

Service errors map onto HTTP here, once: ValidationError (keyed by field) -> 400 with the
same keys, PermissionDenied -> 403, StaleEdit -> 412, an IntegrityError a service let
through -> 409 (logged, never shown); a body over DATA_UPLOAD_MAX_MEMORY_SIZE -> 413.
Anything else is a 500 with a JSON body (server_error, the project's handler500).

Claims, assertions and conflicts change only under If-Match with the ETag of their detail:
without one the answer is 428, with a stale one 412, and nothing is saved. A change that
would leave the object as it is saves nothing and keeps its version.
"""

import binascii
import json
import logging
import sys
from base64 import b64decode, b64encode
from datetime import UTC, datetime, timedelta

import simplejson
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Q, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    OpenApiTypes,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import ValidationError, as_serializer_error
from rest_framework.utils import encoders
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler

from claims import services
from claims.api import filters, serializers
from claims.api.detail_sql import published_claim_detail
from claims.api.exports import ClaimCSVRenderer
from claims.api.permissions import ModelPermissionsOrAnonReadOnly, ReviewersOnly
from claims.cache import cache_published
from claims.evidence import suggestion_accept, suggestion_reject
from claims.jsonld import claim_review, organization, position_reviews, quote_annotation
from claims.models import (
    Assertion,
    Claim,
    Conflict,
    Entity,
    Quote,
    SuggestionStatus,
    Topic,
    ValueOrigin,
)
from claims.permissions import is_reviewer
from claims.querysets import sources_visible_to
from claims.scans import source_import_with_suggestions
from domain.text import TextError, normalize_text
from ledger.middleware import database_outage_response, is_database_outage
from ledger.site import absolute_url

logger = logging.getLogger(__name__)

SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]{1,18}"


# A JSON-LD list of ClaimReview objects.
REVIEW_LIST = build_array_type(build_basic_type(OpenApiTypes.OBJECT))


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it; nothing was saved."
    default_code = "precondition_failed"

    def __init__(self, detail=None, current=None):
        super().__init__(detail)
        self.current = current


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"

    def __init__(self, current):
        super().__init__(
            {
                "detail": "If-Match is required: send the ETag of your GET of this object, "
                "so that a change someone made since is not lost. Nothing was saved.",
                "etag": etag(current),
            }
        )
        self.current = current


class WriteClash(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "This write clashed with another made at the same moment; nothing was saved. "
        "Read the object again and retry."
    )
    default_code = "write_clash"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this server accepts."
    default_code = "payload_too_large"


def ledger_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, services.StaleEdit):
        exc = PreconditionFailed(str(exc), current=exc.current)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, IntegrityError):
        # A race the service did not foresee; the database's words name its constraints.
        logger.warning("write refused by the database", exc_info=exc)
        exc = WriteClash()
    if isinstance(exc, ValidationError):
        exc.status_code = _refusal_status(exc)
    response = exception_handler(exc, context)
    if response is not None and getattr(exc, "current", None) is not None:
        response["ETag"] = etag(exc.current)
    return response


def _refusal_status(exc: ValidationError) -> int:
    """A body refused only for naming objects that do not exist is 404; only for clashing
    with an existing one (a slug taken), 409; any other refusal 400."""
    codes = set(_leaves(exc.get_codes()))
    if codes == {"does_not_exist"}:
        return status.HTTP_404_NOT_FOUND
    if codes and codes <= {"unique", "does_not_exist"}:
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def _leaves(codes):
    if isinstance(codes, dict):
        codes = list(codes.values())
    if isinstance(codes, list):
        for item in codes:
            yield from _leaves(item)
    else:
        yield codes


def server_error(request):
    """Django's handler500: under /api/ a JSON body like every other API error; elsewhere
    the HTML page. What went wrong is logged, never told. A database that cannot be reached
    outside a view (a middleware's query) is a 503, as DatabaseOutageMiddleware answers."""
    if is_database_outage(sys.exc_info()[1]):
        return database_outage_response(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Server error; it has been logged."}, status=500)
    return defaults.server_error(request)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any /api/ URL that names no endpoint (the routers' patterns left over)."""
    return JsonResponse({"detail": "Nothing here; /api/schema/ lists the endpoints."}, status=404)


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def version_of(obj) -> int:
    """Claims and assertions count their versions; a conflict's last change stands for one."""
    if isinstance(obj, Conflict):
        return (obj.updated_at - _EPOCH) // timedelta(microseconds=1)
    return obj.version


def etag(obj) -> str:
    return version_tag(obj.pk, version_of(obj))


def version_tag(pk: int, version: int) -> str:
    return f'"{pk}-{version}"'


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag from GET (`*` for whatever version is current). Without it the "
    "answer is 428; with a stale one 412. Either way nothing is saved.",
)
PRECONDITION_RESPONSES = {
    412: OpenApiResponse(description="If-Match names an older version; nothing was saved."),
    428: OpenApiResponse(description="If-Match is missing; nothing was saved."),
}


def if_match_version(request, obj) -> int | None:
    """The version an If-Match header names for `obj`, checked against its current version;
    None for `*`. Without the header: 428."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired(obj)
    if header.strip() == "*":
        return None
    for tag in header.split(","):
        pk, _, version = tag.strip().removeprefix("W/").strip('"').partition("-")
        if pk == str(obj.pk) and version.isdigit():
            if int(version) != version_of(obj):
                raise PreconditionFailed(
                    f"{obj._meta.verbose_name} was changed by someone else (your version "
                    f"{version}, current version {version_of(obj)}); reload it and apply your "
                    "change again",
                    current=obj,
                )
            return int(version)
    raise PreconditionFailed(
        "If-Match names no version of this object; GET it for its ETag.", current=obj
    )


def _stored(value):
    """A text as the services store it, to compare with what is stored."""
    if not isinstance(value, str):
        return value
    try:
        return normalize_text(value)
    except TextError:
        return value


def changes_nothing(obj, fields: dict) -> bool:
    """Whether setting `fields` on `obj` would leave it as it is (related sets compared by
    their members)."""
    for name, value in fields.items():
        current = getattr(obj, name)
        if hasattr(current, "all"):
            if {item.pk for item in current.all()} != {item.pk for item in value}:
                return False
        elif current != _stored(value):
            return False
    return True


# No write here nests deeper than a value inside an assertion; json.loads itself gives up
# (RecursionError) at about a thousand levels.
MAX_JSON_DEPTH = 20


class LedgerJSONParser(JSONParser):
    """JSON bodies, refused with 400 when nested deeper than MAX_JSON_DEPTH."""

    too_deep = f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.too_deep) from None
        if _json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(self.too_deep)
        return data


def _json_depth(data) -> int:
    """How deep lists and objects nest in `data`, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in item)
    return deepest


class ExactJSONEncoder(encoders.JSONEncoder):
    """DRF's encoder, writing a Decimal with all its digits where DRF's makes it a float:
    9999999999999999999.9999 would go out as 1e+19."""

    def encode(self, o):
        return simplejson.JSONEncoder(
            use_decimal=True,
            default=self.default,
            ensure_ascii=self.ensure_ascii,
            allow_nan=self.allow_nan,
            indent=self.indent,
            separators=(self.item_separator, self.key_separator),
            sort_keys=self.sort_keys,
        ).encode(o)


class LedgerJSONRenderer(JSONRenderer):
    encoder_class = ExactJSONEncoder


class JSONLDRenderer(LedgerJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class LedgerCursorPagination(CursorPagination):
    """Cursor pagination in each view's own `ordering` (a stable, non-null key)."""

    def get_ordering(self, request, queryset, view):
        return view.ordering

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        # Next and previous links start from the site's origin, not the request's Host.
        self.base_url = absolute_url(request.get_full_path())
        return page


class RankedCursorPagination(LedgerCursorPagination):
    """Pages of a search in its own order (claims.search: best match first), not re-sorted.

    The cursor holds the last row's values of every ordering key, the ranks included, and
    the next page is the rows after it in that order: each page continues the last without
    duplicates or gaps, however many rows share a rank. A search's links go forward only
    (`previous` is null): a reader pages on from the best matches.
    """

    ranked = False

    def paginate_queryset(self, queryset, request, view=None):
        if not queryset.query.order_by:
            # Nothing to search for (punctuation, spaces): the list's own order and cursor.
            return super().paginate_queryset(queryset, request, view)
        self.ranked = True
        self.base_url = absolute_url(request.get_full_path())
        self.page_size = self.get_page_size(request)
        keys = [(name.lstrip("-"), name.startswith("-")) for name in queryset.query.order_by]
        last = self.decode_ranked_cursor(request, len(keys))
        if last is not None:
            try:
                queryset = queryset.filter(_after(keys, last))
            except (TypeError, ValueError, DjangoValidationError):
                raise NotFound(self.invalid_cursor_message) from None
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        self.last_values = (
            [_cursor_value(getattr(self.page[-1], name)) for name, _ in keys] if self.page else []
        )
        return self.page

    def decode_ranked_cursor(self, request, length: int) -> list | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            values = json.loads(b64decode(encoded.encode("ascii"), validate=True))
            if not isinstance(values, list) or len(values) != length:
                raise ValueError
            return [_from_cursor_value(value) for value in values]
        except (TypeError, ValueError, KeyError, binascii.Error, UnicodeError):
            raise NotFound(self.invalid_cursor_message) from None

    def get_next_link(self):
        if not self.ranked:
            return super().get_next_link()
        if not self.has_next:
            return None
        encoded = b64encode(json.dumps(self.last_values).encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_previous_link(self):
        return super().get_previous_link() if not self.ranked else None


def _cursor_value(value):
    if isinstance(value, datetime):
        return {"at": value.isoformat()}
    if not isinstance(value, int):
        raise TypeError(f"no cursor value for {value!r}")
    return value


def _from_cursor_value(value):
    if isinstance(value, dict):
        return datetime.fromisoformat(value["at"])
    # Ranks, ids: what a cursor this API made can hold (a larger one would fail in SQL).
    if not isinstance(value, int) or isinstance(value, bool) or not -(2**63) <= value < 2**63:
        raise ValueError
    return value


def _after(keys: list[tuple[str, bool]], last: list) -> Q:
    """Rows after `last` in the order of `keys` ((name, descending) pairs): lexicographic."""
    after = Q(pk__in=[])
    for i, (name, descending) in enumerate(keys):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": last[i]})
        for earlier, value in zip(keys[:i], last[:i], strict=True):
            step &= Q(**{earlier[0]: value})
        after |= step
    return after


class LedgerViewSet(viewsets.GenericViewSet):
    permission_classes = [ModelPermissionsOrAnonReadOnly]
    parser_classes = [LedgerJSONParser, FormParser, MultiPartParser]
    renderer_classes = [LedgerJSONRenderer, BrowsableAPIRenderer]
    pagination_class = LedgerCursorPagination
    ordering = ("id",)
    lookup_value_regex = ID

    def get_exception_handler(self):
        return ledger_exception_handler

    def initial(self, request, *args, **kwargs):
        # DRF's parsers read the raw stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
        # check; reading the body through Django applies it (RequestDataTooBig -> 413).
        request.body  # noqa: B018
        if request.query_params.get("format") == "":
            raise ValidationError({"format": ["Name a format, or leave the parameter out."]})
        super().initial(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Without query parameters no filter applies; building the FilterSet and its form
        # anyway cost a median claim's detail a sixth of its time.
        if not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reviewer": is_reviewer(self.request.user)}

    def parse(self, serializer_class, instance=None, partial=False, **context):
        serializer = serializer_class(
            instance,
            data=self.request.data,
            partial=partial,
            context={**self.get_serializer_context(), **context},
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def absolute(self, name: str, *args) -> str:
        # The API speaks English (its JSON-LD says inLanguage "en"), whatever the client's
        # Accept-Language: it links the English reader pages.
        with translation.override("en"):
            return absolute_url(reverse(name, args=args))


@method_decorator(cache_published(), name="dispatch")
class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    pass


# Details of editable objects carry their version as ETag, for If-Match on writes. (A
# comment, not a docstring: drf-spectacular would describe every operation with it.)
class VersionedDetailMixin:
    def versioned_response(self, obj, status_code=status.HTTP_200_OK) -> Response:
        data = self.get_serializer(obj).data
        return Response(data, status=status_code, headers={"ETag": etag(obj)})

    def detail_response(self, obj, status_code=status.HTTP_200_OK) -> Response:
        # A service hands back the bare row; the answer shows it with what get_queryset adds.
        return self.versioned_response(self.get_queryset().get(pk=obj.pk), status_code)

    def retrieve(self, request, *args, **kwargs):
        return self.versioned_response(self.get_object())


# Claims


SUGGESTION_ID = OpenApiParameter("suggestion_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        description="Claims, newest change first; with `q`, best match first, and `next` "
        "keeps that order. Anonymous clients see published claims only. "
        "`?format=csv` answers the same rows as CSV, unpaginated.",
    ),
    retrieve=extend_schema(
        description="A claim with its assertions and conflicts. The ETag header is the "
        "claim's version, for If-Match on PUT and PATCH."
    ),
)
class ClaimViewSet(VersionedDetailMixin, ReadViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering = ("-updated_at", "-id")
    filterset_class = filters.ClaimFilter
    renderer_classes = [LedgerJSONRenderer, BrowsableAPIRenderer, ClaimCSVRenderer]

    def get_queryset(self):
        claims = Claim.objects.visible_to(self.request.user)
        if self.action == "list":
            return claims.with_counts().prefetch_related("subjects", "topics", "positions")
        if self.action == "claimreview":
            return claims.with_counts().with_evidence()
        if self.action == "claimreviews":
            return claims.with_counts().with_evidence().with_positions()
        # The detail's lists and counts are read by claim_detail_row itself, as rows; the
        # suggestion actions read the claim alone.
        return claims

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.ClaimSerializer
        return serializers.ClaimDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        # A reader's detail is one query, which PostgreSQL answers as JSON (detail_sql).
        if connection.vendor == "postgresql" and not is_reviewer(request.user):
            found = published_claim_detail(kwargs[self.lookup_field])
            if found is None:
                raise Http404(f"No {Claim._meta.object_name} matches the given query.")
            data, pk, version = found
            return Response(data, headers={"ETag": version_tag(pk, version)})
        return super().retrieve(request, *args, **kwargs)

    def versioned_response(self, obj, status_code=status.HTTP_200_OK) -> Response:
        # ClaimDetailSerializer's JSON, shaped by a plain function (see claim_detail_row):
        # for reviewers, whose detail carries notes, after writes, and on SQLite.
        data = serializers.claim_detail_row(obj, reviewer=is_reviewer(self.request.user))
        return Response(data, status=status_code, headers={"ETag": etag(obj)})

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)

    @property
    def paginator(self):
        # A search keeps its relevance order (claims.search) through its pages.
        if not hasattr(self, "_paginator"):
            searched = self.action == "list" and self.request.query_params.get("q")
            self._paginator = RankedCursorPagination() if searched else super().paginator
        return self._paginator

    @extend_schema(
        request=serializers.ClaimCreateSerializer,
        responses={201: serializers.ClaimDetailSerializer},
        description="A new claim, as a draft. Reviewers and Editors.",
    )
    def create(self, request, *args, **kwargs):
        fields = self.parse(serializers.ClaimCreateSerializer)
        claim = services.claim_create(**fields, user=request.user)
        return self.detail_response(claim, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ClaimUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.ClaimDetailSerializer, **PRECONDITION_RESPONSES},
        description="Change a claim. Verdicts, rationales and publishing need an Editor.",
    )
    def update(self, request, *args, partial=False, **kwargs):
        claim = self.get_object()
        expected_version = if_match_version(request, claim)
        fields = self.parse(serializers.ClaimUpdateSerializer, partial=partial)
        if changes_nothing(claim, fields):
            return self.versioned_response(claim)
        claim = services.claim_update(
            claim=claim, user=request.user, expected_version=expected_version, **fields
        )
        return self.detail_response(claim)

    @extend_schema(
        request=serializers.ClaimUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.ClaimDetailSerializer, **PRECONDITION_RESPONSES},
        description="Change some of a claim's fields; see PUT.",
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        responses={
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No such claim, or it has no published verdict."),
        },
        description="schema.org ClaimReview JSON-LD of a published claim with a verdict.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, LedgerJSONRenderer],
        pagination_class=None,
        filterset_class=None,
    )
    def claimreview(self, request, *args, **kwargs):
        claim = self.get_object()
        review = claim_review(
            claim,
            url=self.absolute("web:claim-detail", claim.slug),
            publisher=organization(self.absolute("web:claim-index")),
            source_url=lambda source: self.absolute("web:source-detail", source.pk),
        )
        if review is None:
            raise NotFound("This claim has no published verdict to review.")
        return Response(review)

    @extend_schema(
        responses={
            (200, "application/ld+json"): REVIEW_LIST,
            (200, "application/json"): REVIEW_LIST,
        },
        description="Every schema.org ClaimReview of a published claim, as a JSON-LD list: "
        "one per rated position (its statement as its main speaker made it), then the "
        "claim's own review when it has a verdict. Empty when nothing is rated.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        pagination_class=None,
        filterset_class=None,
    )
    def claimreviews(self, request, *args, **kwargs):
        claim = self.get_object()
        urls = {
            "url": self.absolute("web:claim-detail", claim.slug),
            "publisher": organization(self.absolute("web:claim-index")),
            "source_url": lambda source: self.absolute("web:source-detail", source.pk),
        }
        reviews = position_reviews(claim, **urls)
        overall = claim_review(claim, **urls)
        return Response(reviews + ([overall] if overall else []))

    def suggestion(self, claim, suggestion_id):
        suggestion = claim.suggestions.filter(pk=suggestion_id).first()
        if suggestion is None:
            raise NotFound("This claim has no such suggestion.")
        return suggestion

    @extend_schema(
        responses=serializers.SuggestionSerializer(many=True),
        description="Sentences of sources that may bear on the claim, pending ones first. "
        "Reviewers only.",
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[ReviewersOnly],
        pagination_class=None,
        filterset_class=None,
    )
    def suggestions(self, request, *args, **kwargs):
        pending_first = Case(When(status=SuggestionStatus.PENDING, then=0), default=1)
        rows = self.get_object().suggestions.order_by(pending_first, "source_id", "start")
        return Response(serializers.SuggestionSerializer(rows, many=True).data)

    @extend_schema(
        request=serializers.SuggestionAcceptSerializer,
        responses={201: serializers.AssertionSerializer},
        parameters=[SUGGESTION_ID],
        description="Make the suggested sentence a quote and link it to the claim with this "
        "stance (and value, else one read from the sentence). Reviewers only.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"suggestions/(?P<suggestion_id>{ID})/accept",
        permission_classes=[ReviewersOnly],
        filterset_class=None,
    )
    def accept_suggestion(self, request, *args, suggestion_id, **kwargs):
        claim = self.get_object()
        suggestion = self.suggestion(claim, suggestion_id)
        fields = self.parse(serializers.SuggestionAcceptSerializer, claim=claim)
        assertion = suggestion_accept(suggestion=suggestion, **fields, user=request.user)
        assertion = (
            Assertion.objects.visible_to(request.user)
            .select_related("claim", "quote__source", "quote__speaker")
            .get(pk=assertion.pk)
        )
        data = serializers.AssertionSerializer(assertion, context=self.get_serializer_context())
        return Response(data.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=serializers.SuggestionSerializer,
        parameters=[SUGGESTION_ID],
        description="Set a suggestion aside for good. Reviewers only.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"suggestions/(?P<suggestion_id>{ID})/reject",
        permission_classes=[ReviewersOnly],
        filterset_class=None,
    )
    def reject_suggestion(self, request, *args, suggestion_id, **kwargs):
        suggestion = suggestion_reject(
            suggestion=self.suggestion(self.get_object(), suggestion_id), user=request.user
        )
        return Response(serializers.SuggestionSerializer(suggestion).data)


# Sources


@extend_schema_view(
    list=extend_schema(
        description="Sources, without their text. Anonymous clients see only "
        "sources quoted on published claims."
    ),
    retrieve=extend_schema(description="A source with its full text and its SHA-256."),
)
class SourceViewSet(ReadViewSet):
    filterset_class = filters.SourceFilter

    def get_queryset(self):
        return sources_visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.SourceSerializer
        return serializers.SourceDetailSerializer

    @extend_schema(
        request=serializers.SourceImportSerializer,
        responses={
            201: serializers.SourceImportedSerializer,
            200: OpenApiResponse(
                serializers.SourceImportedSerializer,
                description="A source with exactly this text was already there.",
            ),
        },
        description="Import a source. Identical text is one source: it answers 200 with "
        "the existing source and `already_existed: true`. A new source's sentences that bear "
        "on existing claims are queued as suggestions for reviewers: found before the answer "
        "when the scan runs inline, later when it is queued (`scan_state`).",
    )
    def create(self, request, *args, **kwargs):
        source, created, suggestions = source_import_with_suggestions(
            **self.parse(serializers.SourceImportSerializer)
        )
        source.already_existed = not created
        source.suggestions_queued = len(suggestions)
        return Response(
            serializers.SourceImportedSerializer(source).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# Quotes


class QuoteViewSet(ReadViewSet):
    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilter

    def get_queryset(self):
        return Quote.objects.visible_to(self.request.user).with_source()

    @extend_schema(
        request=serializers.QuoteCreateSerializer,
        responses={201: serializers.QuoteSerializer},
        description="Quote a passage of a source. It is found by `exact` (with `prefix`, "
        "`suffix` or `start` to tell repeated passages apart) and answered with its resolved "
        "offsets; 400 names the reason when it is not found, ambiguous (with the count) or "
        "not at the given position.",
    )
    def create(self, request, *args, **kwargs):
        quote = services.quote_create(
            **self.parse(serializers.QuoteCreateSerializer), user=request.user
        )
        return Response(self.get_serializer(quote).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
        },
        description="W3C Web Annotation JSON-LD of the quote: a TextQuoteSelector and a "
        "TextPositionSelector into the source's text (`/api/sources/{id}/`, offsets in "
        "Unicode code points), and what it asserts about each claim.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, LedgerJSONRenderer],
        pagination_class=None,
        filterset_class=None,
    )
    def annotation(self, request, *args, **kwargs):
        quote = self.get_object()
        assertions = (
            Assertion.objects.visible_to(request.user).filter(quote=quote).select_related("claim")
        )
        return Response(
            quote_annotation(
                quote,
                assertions,
                id=absolute_url(request.get_full_path()),
                source_id=self.absolute("api:source-detail", quote.source_id),
                claim_urls={
                    a.claim_id: self.absolute("api:claim-detail", a.claim.slug) for a in assertions
                },
            )
        )


# Assertions and conflicts


@extend_schema_view(
    retrieve=extend_schema(
        description="An assertion; the ETag header is its version, for If-Match."
    ),
)
class AssertionViewSet(VersionedDetailMixin, ReadViewSet):
    serializer_class = serializers.AssertionSerializer
    filterset_class = filters.AssertionFilter

    def get_queryset(self):
        return Assertion.objects.visible_to(self.request.user).select_related(
            "claim", "quote__source", "quote__speaker"
        )

    @extend_schema(
        request=serializers.AssertionCreateSerializer,
        responses={201: serializers.AssertionSerializer},
        description="Link a quote to a claim. Without `value`, a quantity or date claim's "
        "value is read from the quote's text. The claim's conflicts are recomputed.",
    )
    def create(self, request, *args, **kwargs):
        fields = self.parse(serializers.AssertionCreateSerializer)
        assertion = services.assertion_add(**fields, user=request.user)
        return self.detail_response(assertion, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.AssertionUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.AssertionSerializer, **PRECONDITION_RESPONSES},
        description="Correct an assertion's stance, value or note; conflicts are recomputed.",
    )
    def update(self, request, *args, partial=False, **kwargs):
        assertion = self.get_object()
        expected_version = if_match_version(request, assertion)
        fields = self.parse(serializers.AssertionUpdateSerializer, assertion, partial=partial)
        if changes_nothing(assertion, _assertion_columns(assertion, fields)):
            return self.versioned_response(assertion)
        assertion = services.assertion_update(
            assertion=assertion, expected_version=expected_version, user=request.user, **fields
        )
        return self.detail_response(assertion)

    @extend_schema(
        request=serializers.AssertionUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.AssertionSerializer, **PRECONDITION_RESPONSES},
        description="Change some of an assertion's fields; see PUT.",
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


def _assertion_columns(assertion, fields: dict) -> dict:
    """The assertion's columns as services.assertion_update would set them from `fields`."""
    columns = {name: fields[name] for name in ("stance", "note") if fields.get(name) is not None}
    if "value" in fields:
        value = fields["value"]
        words = fields.get("value_text") or assertion.quote.exact
        origin = ValueOrigin.REVIEWER if value is not None else ValueOrigin.NONE
        columns.update(services.value_columns(value, words, origin))
    return columns


@extend_schema_view(
    retrieve=extend_schema(
        description="A conflict; the ETag header names its last change, for If-Match."
    ),
)
class ConflictViewSet(VersionedDetailMixin, ReadViewSet):
    serializer_class = serializers.ConflictSerializer
    filterset_class = filters.ConflictFilter

    def get_queryset(self):
        return Conflict.objects.visible_to(self.request.user).select_related("claim")

    @extend_schema(
        request=serializers.ConflictMarkSerializer,
        responses={201: serializers.ConflictSerializer},
        description="Mark two assertions on one claim as conflicting (or confirm a detected "
        "conflict between them).",
    )
    def create(self, request, *args, **kwargs):
        conflict = services.conflict_mark(
            **self.parse(serializers.ConflictMarkSerializer), user=request.user
        )
        return Response(self.get_serializer(conflict).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ConflictUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.ConflictSerializer, **PRECONDITION_RESPONSES},
        description="Settle a conflict: confirmed, dismissed or resolved (the last two need "
        "a note saying why), or open again.",
    )
    def partial_update(self, request, *args, **kwargs):
        conflict = self.get_object()
        if_match_version(request, conflict)
        fields = self.parse(serializers.ConflictUpdateSerializer, partial=True)
        with transaction.atomic():
            # Conflicts keep no version: the row is held while its last change is compared.
            locked = self.get_queryset().select_for_update(of=("self",))
            conflict = get_object_or_404(locked, pk=conflict.pk)
            if_match_version(request, conflict)
            fields.setdefault("status", conflict.status)  # a note alone keeps the status
            # A blank note keeps the note there.
            if changes_nothing(conflict, {name: v for name, v in fields.items() if v}):
                return self.versioned_response(conflict)
            conflict = services.conflict_set_status(conflict=conflict, **fields, user=request.user)
        return self.versioned_response(conflict)


# Entities and topics


class EntityViewSet(ReadViewSet):
    serializer_class = serializers.EntitySerializer
    filterset_class = filters.EntityFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering = ("slug",)

    def get_queryset(self):
        return Entity.objects.visible_to(self.request.user).prefetch_related("aliases")


class TopicViewSet(ReadViewSet):
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering = ("slug",)

    def get_queryset(self):
        return Topic.objects.visible_to(self.request.user)
