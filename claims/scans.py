"""Scanning an imported source for suggested evidence, in the background when Redis is there.

A scan reads every sentence of a text (claims.evidence.suggestions_scan): seconds for a long
court filing, too long for the request that imports it. With REDIS_URL set and Redis
answering, the import marks the source queued and an RQ job scans it in the worker that
`python manage.py scan_worker` starts; without Redis (the SQLite first run), the import scans
inline as before. Either way the source records where its scan stands (sources.ScanState)
with the sentences read and the suggestions made, or the failure's message, also when the
worker died mid-scan (source_scan_stopped).
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Worker

from claims import evidence
from claims.models import Suggestion
from sources.models import ScanState, Source
from sources.services import source_import

logger = logging.getLogger(__name__)

_MESSAGE_LENGTH = Source._meta.get_field("scan_message").max_length
_STATE_FIELDS = ["scan_state", "scan_sentences", "scan_suggestions", "scan_message"]


def scan_queue(*, for_worker: bool = False) -> Queue | None:
    """The queue scans go to, or None when Redis is not configured or not answering.

    A request waits at most about a second for Redis; the worker blocks on the queue, so its
    connection has no read timeout.
    """
    if not settings.REDIS_URL:
        return None
    connection = Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=None if for_worker else 1
    )
    try:
        connection.ping()
    except RedisError:
        logger.warning("Redis is not answering at REDIS_URL: scans run inline")
        return None
    return Queue(settings.SCAN_QUEUE, connection=connection)


def _mark(source_id: int, state: ScanState, **counts) -> None:
    # update(), not save(): the source's own fields, its history and updated_at stay as they are.
    Source.objects.filter(pk=source_id).update(scan_state=state, **counts)


def _scan(source_id: int) -> evidence.Scan:
    _mark(source_id, ScanState.SCANNING, scan_message="")
    try:
        with transaction.atomic():
            scan = evidence.suggestions_scan(source=Source.objects.get(pk=source_id))
            _mark(
                source_id,
                ScanState.DONE,
                scan_sentences=scan.sentences,
                scan_suggestions=len(scan.suggestions),
            )
    except Exception as error:
        message = f"{type(error).__name__}: {error}"[:_MESSAGE_LENGTH]
        _mark(source_id, ScanState.FAILED, scan_message=message)
        raise
    return scan


def source_scan(source_id: int) -> int:
    """The job the worker runs: scan one source, recording its state; returns how many
    suggestions it made. A failure marks the source failed with the error's message and is
    raised again, so the queue keeps the job as failed too."""
    return len(_scan(source_id).suggestions)


def source_scan_stopped(job, connection, error_type, error, traceback) -> None:
    """The job's failure callback. A scan that raised has marked its source failed with its
    message already; one whose worker died mid-scan has not, and RQ calls this when a
    worker cleaning the registries finds the job abandoned."""
    (source_id,) = job.args
    Source.objects.filter(
        pk=source_id, scan_state__in=[ScanState.QUEUED, ScanState.SCANNING]
    ).update(
        scan_state=ScanState.FAILED,
        scan_message=f"{error_type.__name__}: the worker stopped before the scan finished",
    )


def source_scan_request(*, source: Source) -> list[Suggestion]:
    """Queue the source's scan, or, without Redis, run it now and return what it made.

    The job is queued once the import's transaction commits, so the worker finds the source;
    if Redis fails by then, the scan runs inline after all.
    """
    queue = scan_queue()
    if queue is None:
        return _scan_inline(source)
    _mark(source.pk, ScanState.QUEUED)
    source.scan_state = ScanState.QUEUED

    def enqueue():
        try:
            queue.enqueue(
                source_scan,
                source.pk,
                job_timeout=settings.SCAN_JOB_TIMEOUT,
                result_ttl=3600,
                on_failure=Callback(source_scan_stopped),
            )
        except RedisError:
            logger.exception("could not queue the scan of source %s: scanning inline", source.pk)
            _scan_inline(source)

    transaction.on_commit(enqueue)
    return []


def _scan_inline(source: Source) -> list[Suggestion]:
    # A failed scan must not lose the import: the source keeps it, marked failed.
    try:
        made = _scan(source.pk).suggestions
    except Exception:
        logger.exception("the scan of source %s failed", source.pk)
        made = []
    source.refresh_from_db(fields=_STATE_FIELDS)
    return made


@transaction.atomic
def source_import_with_suggestions(**source_fields) -> tuple[Source, bool, list[Suggestion]]:
    """Import a source (sources.services.source_import) and, if it is new, scan it: inline,
    returning the suggestions made, or in the background, returning none yet."""
    source, created = source_import(**source_fields)
    return source, created, source_scan_request(source=source) if created else []


def scan_worker(*, burst: bool = False) -> None:
    """Work the scan queue: forever, or with burst until it is empty."""
    queue = scan_queue(for_worker=True)
    if queue is None:
        raise ImproperlyConfigured("the scan worker needs REDIS_URL set and Redis answering")
    Worker([queue], connection=queue.connection).work(burst=burst)
