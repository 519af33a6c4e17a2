"""Scans of imported sources: inline without Redis, in an RQ worker with it."""

import time
import uuid

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry, StartedJobRegistry

from claims import evidence, scans
from claims.models import Suggestion
from claims.roles import REVIEWER
from sources.models import ScanState, Source
from tests.factories import logged_in, make_claim, make_entity, make_user

pytestmark = pytest.mark.django_db

ARTICLE = "马斯克说他给了OpenAI 4400万美元。天气很好。奥特曼说马斯克只给了不到4500万美元。"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def musk_claim(db):
    musk = make_entity(slug="elon-musk", name="Elon Musk", aliases=["马斯克"])
    return make_claim(slug="musk-gave", subjects=[musk], match_terms="给了\n捐")


def import_article(text=ARTICLE):
    return scans.source_import_with_suggestions(title="New", text=text, language="zh-Hans")


def test_without_redis_the_import_scans_inline_and_records_the_counts(musk_claim):
    source, created, made = import_article()
    assert created and len(made) == 2
    source.refresh_from_db()
    assert source.scan_state == ScanState.DONE
    assert (source.scan_sentences, source.scan_suggestions) == (3, 2)
    assert source.scan_display == "Done: 3 sentences, 2 suggestions"


def test_with_redis_not_answering_the_import_scans_inline(settings, musk_claim):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    source, _, made = import_article()
    assert len(made) == 2
    assert Source.objects.get(pk=source.pk).scan_state == ScanState.DONE


def test_an_inline_scan_that_fails_keeps_the_import_and_says_why(monkeypatch, musk_claim):
    def reader_fault(*args, **kwargs):
        raise ValueError("the reader broke")

    monkeypatch.setattr(evidence.extraction, "extract", reader_fault)
    source, created, made = import_article()
    assert created and made == []
    source = Source.objects.get(pk=source.pk)
    assert source.scan_state == ScanState.FAILED
    assert source.scan_message == "ValueError: the reader broke"
    assert not Suggestion.objects.exists()


def test_the_admin_lists_and_shows_each_sources_scan_state(musk_claim):
    source, _, _ = import_article()
    client = logged_in(make_user("rita", REVIEWER))
    listing = client.get("/admin/sources/source/").content.decode()
    assert "Scan for suggestions" in listing and "Done: 3 sentences, 2 suggestions" in listing
    page = client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert "Done: 3 sentences, 2 suggestions" in page


def test_the_api_answers_the_scan_state_of_an_import(musk_claim):
    client = logged_in(make_user("rita", REVIEWER))
    response = client.post(
        "/api/sources/",
        {"title": "New", "text": ARTICLE, "language": "zh-Hans"},
        "application/json",
    )
    assert response.status_code == 201
    assert (response.json()["scan_state"], response.json()["suggestions_queued"]) == ("done", 2)


@pytest.fixture
def scan_queue(settings):
    """A queue of the local Redis of its own, emptied after the test; skipped without Redis."""
    try:
        Redis.from_url(LOCAL_REDIS, socket_connect_timeout=1).ping()
    except RedisError:
        pytest.skip("needs Redis at 127.0.0.1:6379")
    settings.REDIS_URL = LOCAL_REDIS
    settings.SCAN_QUEUE = f"test-scans-{uuid.uuid4().hex}"
    queue = scans.scan_queue()
    yield queue
    queue.delete(delete_jobs=True)
    FailedJobRegistry(queue=queue).cleanup()


def work(queue: Queue) -> None:
    # In this process, so the job sees the test's database transaction.
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


@pytest.mark.postgres
def test_with_redis_the_import_is_queued_and_a_worker_scans_it(
    scan_queue, musk_claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source, created, made = import_article()
    assert created and made == []
    assert Source.objects.get(pk=source.pk).scan_state == ScanState.QUEUED
    assert scan_queue.count == 1 and not Suggestion.objects.exists()

    work(scan_queue)

    source.refresh_from_db()
    assert source.scan_state == ScanState.DONE
    assert (source.scan_sentences, source.scan_suggestions) == (3, 2)
    assert Suggestion.objects.filter(source=source, claim=musk_claim).count() == 2
    assert scan_queue.count == 0


@pytest.mark.postgres
def test_a_job_that_fails_marks_the_source_failed_with_the_message(
    scan_queue, musk_claim, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []

    def reader_fault(text, **kwargs):
        seen.append(Source.objects.get(text=text).scan_state)
        raise ValueError("the reader broke")

    monkeypatch.setattr(evidence.extraction, "extract", reader_fault)
    with django_capture_on_commit_callbacks(execute=True):
        source, _, _ = import_article()

    work(scan_queue)

    assert seen == [ScanState.SCANNING]
    source.refresh_from_db()
    assert source.scan_state == ScanState.FAILED
    assert source.scan_message == "ValueError: the reader broke"
    assert FailedJobRegistry(queue=scan_queue).count == 1
    assert not Suggestion.objects.exists()


@pytest.mark.postgres
def test_a_scan_whose_worker_died_is_marked_failed_when_the_next_worker_cleans_up(
    scan_queue, musk_claim, django_capture_on_commit_callbacks
):
    """A worker killed mid-scan (out of memory, a deploy) cannot mark its source. RQ finds
    the job abandoned once its heartbeat lapses, when a worker next cleans the registries,
    and the source is marked failed then, instead of scanning for ever."""
    with django_capture_on_commit_callbacks(execute=True):
        source, _, _ = import_article()
    # What a worker does up to running the job, and then the process is gone.
    dying = SimpleWorker([scan_queue], connection=scan_queue.connection)
    job = scan_queue.dequeue_any([scan_queue], timeout=None, connection=scan_queue.connection)[0]
    dying.prepare_execution(job)
    dying.prepare_job_execution(job)
    Source.objects.filter(pk=source.pk).update(scan_state=ScanState.SCANNING)

    # The next worker's maintenance, once the dead worker's heartbeat has lapsed.
    StartedJobRegistry(queue=scan_queue).cleanup(timestamp=time.time() + 3600)

    source.refresh_from_db()
    assert source.scan_state == ScanState.FAILED
    assert "worker stopped" in source.scan_message
    assert FailedJobRegistry(queue=scan_queue).count == 1
    # Running it again works as ever.
    scans.source_scan_request(source=source)
    assert Source.objects.get(pk=source.pk).scan_state == ScanState.QUEUED


@pytest.mark.postgres
def test_a_failed_scan_keeps_its_own_message_after_cleanup(
    scan_queue, musk_claim, django_capture_on_commit_callbacks, monkeypatch
):
    def reader_fault(text, **kwargs):
        raise ValueError("the reader broke")

    monkeypatch.setattr(evidence.extraction, "extract", reader_fault)
    with django_capture_on_commit_callbacks(execute=True):
        source, _, _ = import_article()
    work(scan_queue)
    StartedJobRegistry(queue=scan_queue).cleanup(timestamp=time.time() + 3600)
    assert Source.objects.get(pk=source.pk).scan_message == "ValueError: the reader broke"
