"""Every admin page renders for the seed ledger, in a number of queries that does not grow."""

from django.contrib import admin

from claims import evidence, services
from claims.models import Claim, Suggestion, Topic
from sources.models import Source
from tests.admin.forms import admin_url
from tests.admin.ledger import article, exact, sentence
from tests.factories import make_claim, make_entity, make_source

CHANGELIST_BUDGET = 10
CHANGE_PAGE_BUDGET = 15


def registered_models():
    return [m for m in admin.site._registry if m._meta.app_label in ("claims", "sources")]


def test_every_admin_page_renders_for_the_seed_ledger(seeded, reviewer_client, editor_client):
    for source in Source.objects.all():
        evidence.suggestions_find(source=source)
    for client in (reviewer_client, editor_client):
        for model in registered_models():
            assert client.get(admin_url(model, "changelist")).status_code == 200, model
            # Suggestions come from sources, not from a form.
            adding = 403 if model is Suggestion else 200
            assert client.get(admin_url(model, "add")).status_code == adding, model
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"the seed ledger has no {model.__name__}"
            for view in ("change", "history"):
                response = client.get(admin_url(model, view, obj.pk))
                assert response.status_code == 200, (model, view)


class Ledger:
    """Grows every kind of row the admin lists, through the services."""

    def __init__(self):
        self.article = make_source(text=article(600))
        self.entity = make_entity()
        # Each new value on this claim conflicts with every value before it.
        self.disputed = make_claim()

    def grow(self, count: int) -> None:
        done = self.article.quotes.count()
        for n in range(done, done + count):
            make_source(text=article(1))
            quote = services.quote_create(source=self.article, exact=sentence(n))
            claim = make_claim()
            services.assertion_add(claim=claim, quote=quote, stance="supports", value=exact(n))
            if n % 10 == 0:
                services.claim_set_status(claim=claim, status="in_review")
            make_entity(aliases=[f"别名{n}"])
            self.entity.aliases.create(name=f"又名{n}")
            Topic.objects.create(slug=f"topic-{n}", name=f"Topic {n}")
        target = self.disputed.conflicts.count() + count
        while self.disputed.conflicts.count() < target:
            quote = self.article.quotes.exclude(assertions__claim=self.disputed).first()
            value = exact(1_000_000 * (self.disputed.assertions.count() + 1))
            services.assertion_add(claim=self.disputed, quote=quote, stance="supports", value=value)

    def pages(self) -> dict[str, int]:
        """Each page and its query budget."""
        conflict = self.disputed.conflicts.order_by("pk").first()
        pages = {admin_url(model, "changelist"): CHANGELIST_BUDGET for model in registered_models()}
        for model, pk in [
            (Source, self.article.pk),
            (type(self.entity), self.entity.pk),
            (type(conflict), conflict.pk),
            (type(conflict.first), conflict.first_id),
            (type(conflict.first.quote), conflict.first.quote_id),
        ]:
            pages[admin_url(model, "change", pk)] = CHANGE_PAGE_BUDGET
        # The first assertion conflicts with every later one: all go with it when deleted.
        pages[admin_url(conflict.first, "delete", conflict.first_id)] = CHANGE_PAGE_BUDGET
        return pages


def count_queries(client, pages, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_admin_pages_cost_the_same_queries_with_10_and_500_rows(
    seeded, reviewer_client, django_assert_max_num_queries
):
    """Changelists with 10 and 500 rows of each kind; a source with 10 and 500 quotes; an
    entity with 10 and 500 aliases; conflict, assertion and quote pages in either ledger; the
    deletion of an assertion with 4 and 32 conflicts."""
    ledger = Ledger()
    ledger.grow(10)
    pages = ledger.pages()
    for url in pages:
        assert reviewer_client.get(url).status_code == 200  # fills the per-process caches
    small = count_queries(reviewer_client, pages, django_assert_max_num_queries)
    ledger.grow(490)
    assert ledger.article.quotes.count() == 500
    assert ledger.disputed.conflicts.count() >= 500
    large = count_queries(reviewer_client, pages, django_assert_max_num_queries)
    grown = {url: (small[url], large[url]) for url in pages if large[url] != small[url]}
    assert not grown, f"queries grow with the rows: {grown}"


def test_claim_page_queries_do_not_grow_with_its_assertions_conflicts_and_comments(
    seeded, editor, editor_client, django_assert_max_num_queries
):
    # 10 vs 100 assertions: assertion_add judges every pair of a claim's assertions, so
    # building 500 on one claim takes minutes; a query per row shows just the same.
    claim, source = make_claim(), make_source(text=article(100))
    url = admin_url(Claim, "change", claim.pk)

    def grow(count: int) -> None:
        done = claim.assertions.count()
        for n in range(done, done + count):
            quote = services.quote_create(source=source, exact=sentence(n))
            stance = "contradicts" if n % 5 == 4 else "mentions"
            services.assertion_add(claim=claim, quote=quote, stance=stance)
            services.claim_comment_add(claim=claim, text=f"Note {n}", user=editor)

    grow(10)
    assert editor_client.get(url).status_code == 200
    with django_assert_max_num_queries(CHANGE_PAGE_BUDGET) as small:
        assert editor_client.get(url).status_code == 200
    grow(90)
    services.conflict_mark(first=claim.assertions.first(), second=claim.assertions.last())
    with django_assert_max_num_queries(CHANGE_PAGE_BUDGET) as large:
        response = editor_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="assertion-quote"') == 100
    assert page.count('class="conflict-side"') == 2
    assert page.count('class="claim-comment"') == 100
    assert len(large) == len(small)
