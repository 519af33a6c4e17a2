"""Chinese claim pages speak Chinese: every reader-facing field, quotes excepted."""

import re
from html.parser import HTMLParser

import pytest

from claims.models import Claim

# Words that only English prose uses; a Chinese page shows none outside quotes and the
# English statement it names beside the Chinese one. ("The" is left out: "The Verge".)
ENGLISH = re.compile(
    r"\b(of|and|or|vs|exact|exactly|about|at most|at least|percent|sources?|claims?|"
    r"quotes?|values?|between|from|with|is|are|was|were|not|overlap|approximately|"
    r"billion|million|range|unit)\b",
    re.I,
)


class ReaderText(HTMLParser):
    """The page's text, leaving out quotes, source titles and the English statement."""

    SKIPPED_CLASSES = {"quote-text", "sentence", "source-title", "quote-exact", "other-statement"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = (
            tag in {"script", "style", "blockquote", "q", "cite", "title", "svg"}
            or classes & self.SKIPPED_CLASSES
        )
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source"}:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source"} and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


def english_in(html: str) -> list[str]:
    parser = ReaderText()
    parser.feed(html)
    lines = [" ".join(line.split()) for line in "\n".join(parser.text).splitlines()]
    return [line for line in lines if ENGLISH.search(line)]


@pytest.mark.django_db
def test_every_seed_claim_page_in_chinese_has_no_english_reader_text(seeded, client):
    found = {}
    for claim in Claim.objects.published():
        html = client.get(f"/zh-hans/claims/{claim.slug}/").content.decode()
        if english := english_in(html):
            found[claim.slug] = english
    assert not found, "\n".join(
        f"{slug}: {line}" for slug, lines in found.items() for line in lines
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_rationales_name_their_sources_as_readers_see_them(seeded, client, language):
    for claim in Claim.objects.published().exclude(rationale=""):
        html = client.get(f"/{language}/claims/{claim.slug}/").content.decode()
        rationale = re.search(r'<p class="rationale"[^>]*>(.*?)</p>', html, re.S).group(1)
        assert "[[source" not in html
        # Seed file keys ("002") are not a name any page shows.
        assert not re.search(r"(?<![\d/-])00[0-4](?![\d%])", re.sub(r"<[^>]+>", "", rationale))
        cited = rf'<a class="cited-source" href="/{language}/sources/(\d+)/">'
        for link in re.findall(cited, rationale):
            assert claim.assertions.filter(quote__source_id=int(link)).exists()
