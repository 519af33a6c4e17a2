"""Suggested evidence: the sentences of a source that may bear on claims already in the ledger.

Each sentence is scored against each claim (domain.relevance): it must name the subjects the
claim's statement names, under any alias or given name and in either script (or point back
to them with a pronoun right after a sentence that names them), use one of the claim's match
terms (the words for what the claim says happened), and, for a quantity or a date, carry a
value of the claim's kind and unit. Suggestions above the threshold are made best first, each
with the reason it was made ("names Elon Musk; 'donated'; an amount in USD (4400万美元)").
Reviewers accept a suggestion, which makes the quote and the assertion in one step, or
reject it, which is remembered by the sentence's words and the claim, not by the source: a
rejected sentence is never suggested for the claim again, from any source, however its
quotes, punctuation and spacing are written, nor when nearly the same (a near-identical
copy of the article, domain.text.NEAR_DUPLICATE).
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims import services
from claims.models import (
    Assertion,
    Claim,
    EntityKind,
    Quote,
    RejectedSentence,
    Suggestion,
    SuggestionStatus,
)
from domain import extraction, relevance
from domain.intervals import Interval
from domain.text import comparable_key, comparable_text, nearly_one_of
from sources.models import Source

_QUOTED = re.compile(r"“([^”]+)”|「([^」]+)」|‘([^’]+)’|\"([^\"]+)\"|(?<!\w)'([^']+)'(?!\w)")
_REASON_LENGTH = Suggestion._meta.get_field("reason").max_length


def claim_profile(claim: Claim) -> relevance.ClaimProfile:
    """The claim as the scoring reads it: subjects under every alias, terms, kind and unit."""
    return relevance.profile(
        claim.pk,
        subjects=[
            (
                entity.name,
                entity.kind == EntityKind.PERSON,
                [entity.name, entity.name_zh, *(alias.name for alias in entity.aliases.all())],
            )
            for entity in claim.subjects.all()
        ],
        statements=[claim.statement_en, claim.statement_zh],
        match_terms=claim.match_terms or _quoted_terms(claim),
        kind=claim.kind,
        unit=claim.unit,
    )


def _quoted_terms(claim: Claim) -> str:
    """For a claim with no match terms yet: the phrases its statements quote (“创始协议”)."""
    return "\n".join(
        term
        for statement in (claim.statement_en, claim.statement_zh)
        for groups in _QUOTED.findall(statement)
        for term in groups
        if term.strip()
    )


@dataclass(frozen=True)
class Scan:
    """What one scan of a source read and made."""

    sentences: int
    suggestions: list[Suggestion]


def suggestions_find(*, source: Source) -> list[Suggestion]:
    """Queue the source's sentences that bear on claims; returns the suggestions it made."""
    return suggestions_scan(source=source).suggestions


@transaction.atomic
def suggestions_scan(*, source: Source) -> Scan:
    """Read every sentence of the source and queue those that bear on claims.

    Idempotent: a sentence already suggested for a claim (pending, accepted or rejected) or
    already quoted for it is left alone, and so is one rejected for it in any source.
    """
    profiles = [
        claim_profile(claim) for claim in Claim.objects.prefetch_related("subjects__aliases")
    ]
    if not profiles:
        return Scan(sentences=0, suggestions=[])
    # order_by(): the models' default orderings would join tables this does not need.
    suggested = Suggestion.objects.filter(source=source).order_by()
    taken = set(suggested.values_list("claim_id", "start", "end"))
    quoted: dict[int, list[tuple[int, int]]] = {}
    assertions = Assertion.objects.filter(quote__source=source).order_by()
    for claim_id, start, end in assertions.values_list("claim_id", "quote__start", "quote__end"):
        quoted.setdefault(claim_id, []).append((start, end))
    values = extraction.extract(
        source.text, published_on=source.published_on, precision=source.published_precision
    )
    new, sentences = [], 0
    for (start, end), folded, matches in relevance.scan(source.text, profiles, values):
        sentences += 1
        for match in matches:
            claim_id = match.key
            if (claim_id, start, end) in taken or any(
                q_start < end and start < q_end for q_start, q_end in quoted.get(claim_id, ())
            ):
                continue
            new.append(
                Suggestion(
                    claim_id=claim_id,
                    source=source,
                    start=start,
                    end=end,
                    exact=source.text[start:end],
                    reason=match.reason[:_REASON_LENGTH],
                    search_text=folded,
                )
            )
    return Scan(sentences, Suggestion.objects.bulk_create(_not_rejected(new)))


def _not_rejected(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions whose sentence was not rejected for their claim, nor one nearly like it."""
    rejected = defaultdict(list)
    claim_ids = {suggestion.claim_id for suggestion in suggestions}
    for claim_id, sentence in RejectedSentence.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "sentence"
    ):
        rejected[claim_id].append(comparable_text(sentence))
    return [s for s in suggestions if not nearly_one_of(s.exact, rejected[s.claim_id])]


def _pending(suggestion: Suggestion) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update()
        .select_related("source", "claim")
        .get(pk=suggestion.pk)
    )
    if current.status != SuggestionStatus.PENDING:
        raise ValidationError(
            {"status": _("this suggestion was already %(status)s") % {"status": current.status}}
        )
    return current


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    stance: str,
    value: Interval | None = None,
    value_text: str = "",
    user=None,
) -> Assertion:
    """Make the suggested sentence a quote and link it to the claim, in one step.

    Without a value, the claim's quantity or date is read from the sentence.
    """
    current = _pending(suggestion)
    quote = Quote.objects.filter(
        source_id=current.source_id, start=current.start, end=current.end
    ).first() or services.quote_create(
        source=current.source, exact=current.exact, start=current.start, end=current.end
    )
    assertion = services.assertion_add(
        claim=current.claim,
        quote=quote,
        stance=stance,
        value=value,
        value_text=value_text,
        user=user,
    )
    current.status, current.assertion = SuggestionStatus.ACCEPTED, assertion
    current.save()
    suggestion.status, suggestion.assertion = current.status, assertion
    return assertion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user=None) -> Suggestion:
    """Set a suggestion aside for good: suggestions_find never makes it, or its sentence
    for the same claim in another source, again."""
    current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if current.status == SuggestionStatus.ACCEPTED:
        raise ValidationError(
            {"status": _("this suggestion was accepted; remove its assertion instead")}
        )
    current.status = SuggestionStatus.REJECTED
    current.save()
    RejectedSentence.objects.get_or_create(
        claim_id=current.claim_id,
        key=comparable_key(current.exact),
        defaults={"sentence": current.exact},
    )
    return current
