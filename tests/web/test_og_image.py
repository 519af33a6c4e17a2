"""A claim's og:image: its value picture as a PNG, drawn on the server from the same SVG."""

import re
import struct

import pytest
from django.conf import settings

from claims import services
from claims.models import Claim
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
SLUG = "musk-contribution-to-openai"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def og_image(page: str) -> str:
    return re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_claim_page_links_its_picture_as_a_png_of_sensible_size(seeded, client, language):
    page = client.get(f"/{language}/claims/{SLUG}/").content.decode()
    url = og_image(page)
    assert url == f"{settings.SITE_URL}/{language}/claims/{SLUG}/picture.png"
    assert 'property="og:image:alt"' in page
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    width, height = png_size(response.content)
    marks = len(re.findall(r'<g class="mark', page))
    assert marks and width == 1200
    assert 100 <= height <= 60 * max(marks, 1) + 200
    # Not blank: a white picture compresses to almost nothing.
    assert len(response.content) > 5_000


def test_the_picture_has_validators_and_revalidates(seeded, client):
    url = f"/en/claims/{SLUG}/picture.png"
    first = client.get(url)
    assert first["ETag"] and first["ETag"] != client.get(f"/en/claims/{SLUG}/")["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_no_picture_for_a_claim_without_values_or_one_readers_cannot_see(seeded, client):
    empty = make_claim(slug="no-values-yet", statement_en="Has anyone said a number?")
    services.claim_set_status(claim=empty, status="in_review")
    services.claim_set_status(claim=empty, status="published")
    page = client.get("/en/claims/no-values-yet/").content.decode()
    assert 'property="og:image"' not in page
    assert client.get("/en/claims/no-values-yet/picture.png").status_code == 404
    draft = Claim.objects.exclude(status="published").first()
    assert client.get(f"/en/claims/{draft.slug}/picture.png").status_code == 404
