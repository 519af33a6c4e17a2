"""Refusals said in the active language: the domain's (domain.messages), and the one every
service gives a value outside a field's choices."""

from django.utils.translation import gettext


def said(refusal) -> str:
    """A domain.messages.Refusal's message, translated, its values filled in."""
    template = gettext(refusal.template)
    return template % refusal.params if refusal.params else template


def must_be_one_of(field: str, choices) -> str:
    """The refusal of a value not among a field's choices."""
    return gettext("%(field)s must be one of %(choices)s") % {
        "field": field,
        "choices": ", ".join(choices),
    }
