"""The dispute queue: reviewers work on a claim's dispute as its positions, not pair by pair.

`disputes/` lists the disputed claims, each with its positions side by side and its open
conflicts folded under it; `<id>/dispute/` is one claim's dispute, where reviewers merge
positions and set assertions aside, and Editors confirm the dispute and rate positions.
Every change goes through claims.services; the conflict queue stays the audit of the
pairwise findings underneath. Each page reads a fixed number of queries, however many
claims, assertions and conflicts it shows.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.forms import Media
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims import services
from claims.forms import (
    AssertionBringBackForm,
    AssertionSetAsideForm,
    DisputeConfirmForm,
    PositionMergeForm,
    PositionRatingForm,
    add_service_errors,
    as_validation_error,
    value_words,
)
from claims.models import (
    EVIDENCE_ORDER,
    EVIDENCE_UNSHOWN,
    Assertion,
    Claim,
    Conflict,
    ConflictStatus,
    Entity,
    Position,
    PositionRating,
    SetAside,
)
from sources.models import Source

DISPUTE_MEDIA = Media(css={"all": ["claims/admin/disputes.css"]})
QUEUE_PAGE_SIZE = 20
QUEUE_MEMBERS_SHOWN = 3  # member quotes per position in the queue; the dispute page shows all
QUEUE_CONFLICTS_SHOWN = 5  # open conflicts folded under each claim in the queue
EXCERPT_LENGTH = 120
# Open conflicts first, then confirmed ones, then settled ones, as in the conflict queue.
STATUS_ORDER = [ConflictStatus.OPEN, ConflictStatus.CONFIRMED]


def counted(number: int, noun: str) -> str:
    """ "1 conflict", "3 positions", in the admin's language."""
    forms = {
        "conflict": ngettext("%(count)s conflict", "%(count)s conflicts", number),
        "position": ngettext("%(count)s position", "%(count)s positions", number),
    }
    return forms[noun] % {"count": number}


def excerpt(text: str, around: str = "", limit: int = EXCERPT_LENGTH) -> str:
    """A quote shortened to `limit` characters around the words its value was read from."""
    if len(text) <= limit:
        return text
    at = text.find(around) if around else -1
    centre = at + len(around) // 2 if at >= 0 else 0
    start = min(max(centre - limit // 2, 0), len(text) - limit)
    shown = text[start : start + limit]
    if start > 0:
        shown = "…" + shown[1:]
    if start + limit < len(text):
        shown = shown[:-1] + "…"
    return shown


def conflict_summary(counts: dict[str, int]) -> str:
    """Counts by status, as "5 conflicts: 3 open, 1 confirmed, 1 dismissed"."""
    total = sum(counts.values())
    if not total:
        return _("No conflicts")
    parts = [
        f"{counts[status]} {ConflictStatus(status).label.lower()}"
        for status in ConflictStatus.values
        if counts.get(status)
    ]
    return f"{counted(total, 'conflict')}: {_(', ').join(parts)}"


def dispute_top(claim: Claim) -> str:
    """The dispute page at its messages: a form posts to its own anchor further down."""
    return reverse("admin:claims_claim_dispute", args=[claim.pk]) + "#content-start"


def conflicts_url(claim_id: int, **filters) -> str:
    """The conflict queue showing one claim's conflicts."""
    query = urlencode({"claim__id__exact": claim_id, **filters})
    return f"{reverse('admin:claims_conflict_changelist')}?{query}"


# What the pages show


@dataclass
class Member:
    assertion: Assertion
    excerpt: str
    value: str
    bridging: bool


@dataclass
class PositionCard:
    position: Position
    sources: list[str]
    speakers: list[str]
    members: list[Member]
    hidden: int  # members not shown
    rating: PositionRating | None


@dataclass
class ConflictLine:
    conflict: Conflict
    first: str  # where each side stands: its positions' labels, or why it is in none
    second: str
    across: bool  # between two positions
    first_member: Member | None = None
    second_member: Member | None = None

    @property
    def sides(self) -> list[tuple[str, Member | None]]:
        return [(self.first, self.first_member), (self.second, self.second_member)]


@dataclass
class DisputeRow:
    """One disputed claim in the queue."""

    claim: Claim
    cards: list[PositionCard]
    open_conflicts: list[ConflictLine]
    conflict_counts: dict[str, int]
    ratings_flagged: int

    @property
    def conflict_summary(self) -> str:
        return conflict_summary(self.conflict_counts)

    @property
    def more_open(self) -> int:
        return self.conflict_counts.get(ConflictStatus.OPEN, 0) - len(self.open_conflicts)

    @property
    def open_conflicts_url(self) -> str:
        return conflicts_url(self.claim.pk, status__exact=ConflictStatus.OPEN)

    @property
    def all_conflicts_url(self) -> str:
        return conflicts_url(self.claim.pk)


def member_of(assertion: Assertion, bridging=()) -> Member:
    interval = services.assertion_interval(assertion)
    return Member(
        assertion=assertion,
        excerpt=excerpt(assertion.quote.exact, assertion.value_text),
        value=value_words(interval) if interval else assertion.get_stance_display(),
        bridging=assertion.pk in bridging,
    )


def assertions_read(**filters) -> list[Assertion]:
    """Assertions with their quotes, sources and speakers; no article text."""
    return list(
        Assertion.objects.filter(**filters)
        .select_related("quote__source", "quote__speaker")
        .defer(*EVIDENCE_UNSHOWN)
        .order_by(*EVIDENCE_ORDER)
    )


def position_cards(
    stored: list[Position], assertions: dict, ratings: list[PositionRating], shown=None
) -> list[PositionCard]:
    """Cards for positions (of one or many claims), naming their sources and speakers in
    two queries. `shown` members per position, or all of them."""
    source_ids = {s for p in stored for s in p.source_ids}
    slugs = {s for p in stored for s in p.speakers}
    titles = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "title"))
    names = dict(Entity.objects.filter(slug__in=slugs).values_list("slug", "name"))
    rating_of = {r.position_id: r for r in ratings if r.position_id is not None}
    cards = []
    for position in stored:
        member_ids = position.assertion_ids[:shown]
        bridging = set(position.bridging_ids)
        cards.append(
            PositionCard(
                position=position,
                sources=[titles.get(s, f"#{s}") for s in position.source_ids],
                speakers=[names.get(s, s) for s in position.speakers],
                members=[member_of(assertions[m], bridging) for m in member_ids if m in assertions],
                hidden=len(position.assertion_ids) - len(member_ids),
                rating=rating_of.get(position.pk),
            )
        )
    return cards


def standing(assertion_id: int, stored: list[Position], set_aside=frozenset()) -> str:
    """Where an assertion stands in the dispute, as a conflict's side reads it."""
    labels = [f"“{p.label}”" for p in stored if assertion_id in p.assertion_ids]
    if labels:
        return _(" and ").join(labels)
    return _("set aside") if assertion_id in set_aside else _("in no position")


def conflict_line(conflict: Conflict, stored: list[Position], set_aside=frozenset(), **sides):
    return ConflictLine(
        conflict=conflict,
        first=standing(conflict.first_id, stored, set_aside),
        second=standing(conflict.second_id, stored, set_aside),
        across=services.across_positions(conflict, stored),
        **sides,
    )


def queue_rows(claims: list[Claim]) -> list[DisputeRow]:
    """The queue's rows for a page of claims, in seven queries however many there are."""
    ids = [claim.pk for claim in claims]
    by_claim = defaultdict(list)
    for position in Position.objects.filter(claim_id__in=ids).order_by("claim_id", "rank"):
        by_claim[position.claim_id].append(position)
    stored = [p for claim_id in ids for p in by_claim[claim_id]]
    shown_ids = {m for p in stored for m in p.assertion_ids[:QUEUE_MEMBERS_SHOWN]}
    assertions = {a.pk: a for a in assertions_read(pk__in=shown_ids)}
    ratings = defaultdict(list)
    for rating in PositionRating.objects.filter(claim_id__in=ids).only(
        "claim_id", "position_id", "verdict", "statement", "evidence_changed"
    ):
        ratings[rating.claim_id].append(rating)
    cards = defaultdict(list)
    every_rating = [r for claim_ratings in ratings.values() for r in claim_ratings]
    for card in position_cards(stored, assertions, every_rating, QUEUE_MEMBERS_SHOWN):
        cards[card.position.claim_id].append(card)
    counts = defaultdict(dict)
    for claim_id, status, number in (
        Conflict.objects.filter(claim_id__in=ids)
        .order_by()
        .values_list("claim_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[claim_id][status] = number
    open_conflicts = defaultdict(list)
    for conflict in (
        Conflict.objects.filter(claim_id__in=ids, status=ConflictStatus.OPEN)
        .annotate(row=Window(RowNumber(), partition_by=F("claim_id"), order_by=F("id").asc()))
        .filter(row__lte=QUEUE_CONFLICTS_SHOWN)
        .only("claim_id", "first_id", "second_id", "kind", "status")
        .order_by("claim_id", "id")
    ):
        line = conflict_line(conflict, by_claim[conflict.claim_id])
        open_conflicts[conflict.claim_id].append(line)
    return [
        DisputeRow(
            claim=claim,
            cards=cards[claim.pk],
            open_conflicts=open_conflicts[claim.pk],
            conflict_counts=counts[claim.pk],
            ratings_flagged=sum(r.evidence_changed for r in ratings[claim.pk]),
        )
        for claim in claims
    ]


@dataclass
class Dispute:
    """One claim's dispute as its page shows it, read in six queries."""

    claim: Claim
    positions: list[Position]
    assertions: list[Assertion]
    ratings: list[PositionRating]
    conflicts: list[Conflict]
    cards: list[PositionCard] = field(init=False)
    lines: list[ConflictLine] = field(init=False)

    def __post_init__(self):
        by_id = {a.pk: a for a in self.assertions}
        self.cards = position_cards(self.positions, by_id, self.ratings)
        aside = {member.assertion.pk for member in self.set_aside}
        members = {a.pk: member_of(a) for a in self.assertions}
        self.conflicts.sort(key=lambda c: (conflict_rank(c.status), c.pk))
        self.lines = [
            conflict_line(
                c,
                self.positions,
                aside,
                first_member=members.get(c.first_id),
                second_member=members.get(c.second_id),
            )
            for c in self.conflicts
        ]

    @classmethod
    def read(cls, claim: Claim) -> "Dispute":
        return cls(
            claim=claim,
            positions=list(Position.objects.filter(claim_id=claim.pk).order_by("rank")),
            assertions=assertions_read(claim_id=claim.pk),
            ratings=list(
                PositionRating.objects.filter(claim_id=claim.pk).select_related(
                    "speaker", "position"
                )
            ),
            conflicts=list(Conflict.objects.filter(claim_id=claim.pk)),
        )

    @property
    def in_positions(self) -> list[Assertion]:
        members = {m for p in self.positions for m in p.assertion_ids}
        return [a for a in self.assertions if a.pk in members]

    @property
    def set_aside(self) -> list[Member]:
        return [member_of(a) for a in self.assertions if a.set_aside]

    @property
    def outside(self) -> int:
        """Assertions in no position and not set aside: those that qualify or mention."""
        members = {m for p in self.positions for m in p.assertion_ids}
        return sum(1 for a in self.assertions if a.pk not in members and not a.set_aside)

    @property
    def open_across(self) -> list[ConflictLine]:
        return [
            line
            for line in self.lines
            if line.across and line.conflict.status == ConflictStatus.OPEN
        ]

    @property
    def flagged_ratings(self) -> list[PositionRating]:
        return [r for r in self.ratings if r.evidence_changed]

    @property
    def conflict_summary(self) -> str:
        return conflict_summary(Counter(c.status for c in self.conflicts))

    def main_speaker(self, position: Position) -> Entity | None:
        """The speaker quoted in most of the position's members."""
        members = set(position.assertion_ids)
        speakers = Counter(
            a.quote.speaker for a in self.assertions if a.pk in members and a.quote.speaker
        )
        return speakers.most_common(1)[0][0] if speakers else None

    def rating_form(self, position: Position | None = None, data=None) -> PositionRatingForm:
        """The form rating a position: posted, or begun from its rating or main speaker."""
        if data is not None:
            return PositionRatingForm(data, positions=self.positions, prefix="rate")
        rating = next((r for r in self.ratings if r.position_id == position.pk), None)
        if rating is not None:
            initial = {
                name: getattr(rating, name)
                for name in ("verdict", "statement", "statement_zh", "rationale", "rationale_zh")
            }
            initial["speaker"] = rating.speaker_id
        else:
            speaker = self.main_speaker(position)
            initial = {"speaker": speaker.pk if speaker else None}
        initial["position"] = position.pk
        return PositionRatingForm(positions=self.positions, initial=initial, prefix="rate")


def conflict_rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


# The views


class DisputeViews:
    """The dispute queue and pages of a claim admin, which renders them with its
    `render_page(request, template, title, media, **context)`."""

    def get_urls(self):
        views = [
            path(
                "disputes/",
                self.admin_site.admin_view(self.dispute_queue_view),
                name="claims_claim_disputes",
            ),
            path(
                "<path:object_id>/dispute/",
                self.admin_site.admin_view(self.dispute_view),
                name="claims_claim_dispute",
            ),
        ]
        return [*views, *super().get_urls()]

    def dispute_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        claims = (
            Claim.objects.disputed()
            .defer("search_text", "rationale", "reviewer_notes")
            .order_by("-updated_at", "id")
        )
        page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
        return self.render_page(
            request,
            "admin/claims/claim/disputes.html",
            _("Dispute queue"),
            DISPUTE_MEDIA,
            page=page,
            rows=queue_rows(list(page.object_list)),
        )

    def dispute_view(self, request, object_id):
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        dispute = Dispute.read(claim)
        page_forms = {a: self.dispute_form(request, dispute, a) for a in DISPUTE_ACTIONS}
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action not in DISPUTE_ACTIONS:
                self.message_user(
                    request, _("No such action; nothing was changed."), messages.ERROR
                )
                return redirect(dispute_top(claim))
            if not self.may(request, action, posting=True):
                raise PermissionDenied
            form = page_forms[action] = self.dispute_form(request, dispute, action, request.POST)
            if form.is_valid():
                try:
                    act = getattr(self, DISPUTE_ACTIONS[action])
                    done = act(request, dispute, form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    add_service_errors(form, as_validation_error(error))
                else:
                    self.log_change(request, claim, done)
                    self.message_user(request, done, messages.SUCCESS)
                    return redirect(dispute_top(claim))
        shown = {action: form for action, form in page_forms.items() if form is not None}
        return self.render_page(
            request,
            "admin/claims/claim/dispute.html",
            _("Dispute: %(statement)s") % {"statement": claim.statement_en},
            sum((form.media for form in shown.values()), DISPUTE_MEDIA),
            original=claim,
            dispute=dispute,
            dispute_forms=shown,
            conflicts_url=conflicts_url(claim.pk),
            can_judge=self.may(request, "rate"),
        )

    def may(self, request, action: str, posting=False) -> bool:
        """Whether the page offers the action; posted, Editors' actions go to the services,
        which refuse anyone else (the refusal shows on the form)."""
        if action in EDITORS_ACTIONS:
            return posting or services.can_publish(request.user)
        return request.user.has_perm(REVIEWERS_ACTIONS[action])

    def dispute_form(self, request, dispute: Dispute, action: str, data=None):
        """The page's form for an action: bound to `data` when posted, None where not offered."""
        if data is None and not self.may(request, action):
            return None
        if action == "merge":
            return PositionMergeForm(data, positions=dispute.positions, prefix=action)
        if action == "set_aside":
            return AssertionSetAsideForm(
                data,
                assertions=dispute.in_positions,
                initial={"assertion": request.GET.get("set_aside")},
                prefix=action,
            )
        if action == "bring_back":
            aside = [member.assertion for member in dispute.set_aside]
            return AssertionBringBackForm(data, assertions=aside, prefix=action)
        if action == "confirm":
            return DisputeConfirmForm(data, prefix=action)
        if data is not None:
            return dispute.rating_form(data=data)
        chosen = request.GET.get("rate")
        position = next((p for p in dispute.positions if str(p.pk) == chosen), None)
        return dispute.rating_form(position) if position is not None else None

    # The actions: each calls one service and says what changed.

    def merge_positions(self, request, dispute: Dispute, data) -> str:
        first, second = data["first"], data["second"]
        one, other = set(first.assertion_ids), set(second.assertion_ids)
        before = dismissed_between(one - other, other - one)
        now = services.positions_merge(
            first=first, second=second, note=data["note"], user=request.user
        )
        dismissed = len(dismissed_between(one - other, other - one) - before)
        merged = next((p for p in now if one | other <= set(p.assertion_ids)), None)
        values = {
            "first": first.label,
            "second": second.label,
            "dismissed": counted(dismissed, "conflict"),
            "positions": counted(len(now), "position"),
        }
        if merged is None:
            return (
                _(
                    "Merged “%(first)s” and “%(second)s”: dismissed %(dismissed)s; "
                    "the claim now has %(positions)s."
                )
                % values
            )
        return _(
            "Merged “%(first)s” and “%(second)s” into “%(merged)s”: dismissed %(dismissed)s; "
            "the claim now has %(positions)s."
        ) % {**values, "merged": merged.label}

    def set_assertion_aside(self, request, dispute: Dispute, data) -> str:
        assertion = services.assertion_set_aside(
            assertion=data["assertion"],
            set_aside=data["set_aside"],
            note=data["set_aside_note"],
            user=request.user,
        )
        kind = SetAside(assertion.set_aside).label.lower()
        return _("Set aside %(assertion)s (%(kind)s); the claim now has %(positions)s.") % {
            "assertion": shown_assertion(data["assertion"]),
            "kind": kind,
            "positions": positions_now(dispute.claim),
        }

    def bring_assertion_back(self, request, dispute: Dispute, data) -> str:
        services.assertion_set_aside(assertion=data["assertion"], set_aside="", user=request.user)
        return _(
            "Brought %(assertion)s back into the dispute; the claim now has %(positions)s."
        ) % {
            "assertion": shown_assertion(data["assertion"]),
            "positions": positions_now(dispute.claim),
        }

    def confirm_dispute(self, request, dispute: Dispute, data) -> str:
        confirmed = services.dispute_confirm(
            claim=dispute.claim, note=data["note"], user=request.user
        )
        if not confirmed:
            raise ValidationError(_("No conflict between two positions is open: none to confirm."))
        return _("Confirmed %(conflicts)s between positions; the claim has %(positions)s.") % {
            "conflicts": counted(len(confirmed), "conflict"),
            "positions": positions_now(dispute.claim),
        }

    def rate_position(self, request, dispute: Dispute, data) -> str:
        position = data["position"]
        rating = services.position_rate(
            position=position,
            verdict=data["verdict"],
            rationale=data["rationale"],
            rationale_zh=data["rationale_zh"],
            statement=data["statement"],
            statement_zh=data["statement_zh"],
            speaker=data["speaker"],
            user=request.user,
        )
        return _("Rated “%(position)s”: %(verdict)s.") % {
            "position": position.label,
            "verdict": rating.get_verdict_display(),
        }


# The page's actions: which method does each, and what a reviewer needs for it. Confirming
# and rating are the Editors' (claims.publish_claim, which the services require).
DISPUTE_ACTIONS = {
    "merge": "merge_positions",
    "set_aside": "set_assertion_aside",
    "bring_back": "bring_assertion_back",
    "confirm": "confirm_dispute",
    "rate": "rate_position",
}
REVIEWERS_ACTIONS = {
    "merge": "claims.change_conflict",
    "set_aside": "claims.change_assertion",
    "bring_back": "claims.change_assertion",
}
EDITORS_ACTIONS = {"confirm", "rate"}


def dismissed_between(one: set, other: set) -> set[int]:
    """The dismissed conflicts between two sets of assertions."""
    between = Q(first_id__in=one, second_id__in=other) | Q(first_id__in=other, second_id__in=one)
    dismissed = Conflict.objects.filter(between, status=ConflictStatus.DISMISSED)
    return set(dismissed.values_list("pk", flat=True))


def shown_assertion(assertion: Assertion) -> str:
    return f"#{assertion.pk} «{excerpt(assertion.quote.exact, assertion.value_text, 60)}»"


def positions_now(claim: Claim) -> str:
    return counted(Position.objects.filter(claim_id=claim.pk).count(), "position")
