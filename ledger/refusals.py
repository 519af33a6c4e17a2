"""The domain's refusals (domain.messages) said in the active language."""

from django.utils.translation import gettext


def said(refusal) -> str:
    """A domain.messages.Refusal's message, translated, its values filled in."""
    template = gettext(refusal.template)
    return template % refusal.params if refusal.params else template
