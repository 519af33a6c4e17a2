"""Each page runs the same number of queries however many quotes, sources or claims it shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.web.claim_page import CARDS_PER_PAGE, CARDS_PER_STANCE
from tests.factories import make_claim, make_entity, publish

# A ceiling, so a regression that adds queries fails even if it adds them evenly. The claim
# page's 12, through the ORM (SQLite): the reader's ledger state, the claim, its subjects,
# topics, conflicts, positions and ratings, its evidence rows, the quotes it names, their
# sources, its sources' list, and the sources its rationales cite. PostgreSQL reads the claim
# with its subjects, topics, conflicts, positions and ratings in one query
# (claims.web.claim_reads).
MAX_QUERIES = 12


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_claim_page_queries_do_not_grow_with_quotes(
    client, quoted_claim, django_assert_max_num_queries
):
    claim, _source, grow = quoted_claim
    url = f"/en/claims/{claim.slug}/"
    grow(10)
    few, response = queries_for(client, url)
    assert response.content.count(b'class="quote-card') == 10
    grow(500)
    with django_assert_max_num_queries(MAX_QUERIES):
        many, response = queries_for(client, url)
    assert response.content.count(b'class="quote-card') == CARDS_PER_STANCE
    with django_assert_max_num_queries(MAX_QUERIES):
        listed, response = queries_for(client, f"{url}?stance=supports&page=2")
    assert response.content.count(b'class="quote-card') == CARDS_PER_PAGE
    # A claim whose page shows all its assertions reads them whole in the query that lists
    # them; a longer one reads the cards it shows in a second query.
    assert few < many == listed


def test_source_page_queries_do_not_grow_with_quotes(
    client, quoted_claim, django_assert_max_num_queries
):
    _claim, source, grow = quoted_claim
    url = f"/en/sources/{source.pk}/"
    grow(10)
    few, response = queries_for(client, url)
    assert response.content.count(b'<mark class="quote" id="quote-') == 10
    grow(500)
    with django_assert_max_num_queries(MAX_QUERIES):
        many, response = queries_for(client, url)
    assert response.content.count(b'<mark class="quote" id="quote-') == 500
    assert many == few


def make_claims(count, entity):
    return [
        publish(make_claim(statement_en=f"Claim number {n}?", subjects=[entity]))
        for n in range(count)
    ]


def test_index_and_entity_pages_queries_do_not_grow_with_claims(
    client, db, django_assert_max_num_queries
):
    entity = make_entity(slug="someone", name="Someone")
    make_claims(3, entity)
    few_index, _ = queries_for(client, "/en/")
    few_entity, _ = queries_for(client, "/en/entities/someone/")
    make_claims(27, entity)
    with django_assert_max_num_queries(MAX_QUERIES):
        many_index, response = queries_for(client, "/en/")
    assert response.content.count(b'class="claim-row"') == 20
    with django_assert_max_num_queries(MAX_QUERIES):
        many_entity, response = queries_for(client, "/en/entities/someone/")
    assert response.content.count(b'class="claim-row"') == 20
    assert b"30 claims about them" in response.content
    assert (many_index, many_entity) == (few_index, few_entity)
