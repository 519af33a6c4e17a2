"""Sources cited in a reviewer's text: `[[source:N]]` marks, N a source's id.

The seed ledger writes N as the seed file's key ("002"); its loader resolves the keys to ids
before saving, so stored texts only ever name ids, which the reader pages turn into links.
"""

import re
from collections.abc import Callable, Mapping

SOURCE_MARK = re.compile(r"\[\[source:([\w-]+)\]\]")


def cited_keys(text: str) -> list[str]:
    """The keys or ids the text cites, in order, each once."""
    return list(dict.fromkeys(SOURCE_MARK.findall(text)))


def resolve_source_marks(text: str, ids: Mapping[str, int]) -> str:
    """Each mark's key replaced by its source's id; a key not in `ids` is refused unless it
    is already an id (a whole number, no leading zero: "004" is a seed key)."""
    unknown = [
        key
        for key in cited_keys(text)
        if key not in ids and not (key.isdigit() and not key.startswith("0"))
    ]
    if unknown:
        raise ValueError(f"cites unknown sources: {', '.join(unknown)}")
    return SOURCE_MARK.sub(lambda m: f"[[source:{ids.get(m.group(1), m.group(1))}]]", text)


def replace_source_marks(text: str, cite: Callable[[str], str], plain: Callable[[str], str]):
    """The text with `plain` applied to what lies between marks and `cite` to each mark's id."""
    pieces, at = [], 0
    for match in SOURCE_MARK.finditer(text):
        pieces += [plain(text[at : match.start()]), cite(match.group(1))]
        at = match.end()
    pieces.append(plain(text[at:]))
    return "".join(pieces)


def without_source_marks(text: str, names: Mapping[str, str] | None = None) -> str:
    """Plain text for places without links (feeds, JSON-LD): each mark as its source's name
    from `names`, else as "a source"."""
    names = names or {}
    return replace_source_marks(text, lambda key: names.get(key, "a source"), str)
