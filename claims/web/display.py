"""How the ledger's things read in the reader's language: statements, names, sources."""

from django.utils import translation

# A source's short name in the picture's labels, where the width is that of a phone.
SHORT_TITLE = 16


def chinese() -> bool:
    return translation.get_language().startswith("zh")


def language_code() -> str:
    """ "zh" or "en", as domain.values takes it."""
    return "zh" if chinese() else "en"


def statement(claim) -> str:
    return claim.statement_zh if chinese() and claim.statement_zh else claim.statement_en


def name(entity_or_topic) -> str:
    return (
        entity_or_topic.name_zh if chinese() and entity_or_topic.name_zh else entity_or_topic.name
    )


def short(text: str, limit: int = SHORT_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_name(source) -> str:
    return source.outlet or short(source.title)
