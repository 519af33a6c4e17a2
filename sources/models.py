from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from domain.text import bidi_control_in


class DisplayTextMixin:
    """Refuses bidi controls (domain.text.BIDI_CONTROLS) in `display_text_fields`, the
    titles, names and statements readers see. Checked by full_clean(), so the admin's forms,
    the services and the API all refuse them, naming the field."""

    display_text_fields: tuple[str, ...] = ()

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.display_text_fields:
            found = bidi_control_in(getattr(self, name) or "")
            if found is None or name in errors or name in (exclude or ()):
                continue
            offset, char = found
            errors[name] = [
                ValidationError(
                    gettext(
                        "%(field)s contains the bidirectional control character U+%(code)04X "
                        "at offset %(offset)s, which would reorder the text as shown"
                    )
                    % {"field": name, "code": ord(char), "offset": offset},
                    code="bidi_control",
                )
            ]
        if errors:
            raise ValidationError(errors)


class Language(models.TextChoices):
    ZH_HANS = "zh-Hans", _("Chinese (simplified)")
    ZH_HANT = "zh-Hant", _("Chinese (traditional)")
    EN = "en", _("English")


class SourceKind(models.TextChoices):
    NEWS = "news", _("News article")
    BLOG = "blog", _("Blog post")
    COURT_FILING = "court_filing", _("Court filing")
    EMAIL = "email", _("Email")
    SOCIAL_POST = "social_post", _("Social media post")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class ScanState(models.TextChoices):
    """Where the scan for suggested evidence (claims.scans) stands for a source."""

    NOT_SCANNED = "", _("Not scanned")
    QUEUED = "queued", _("Queued")
    SCANNING = "scanning", _("Scanning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SourceQuerySet(models.QuerySet):
    def with_quote_counts(self):
        return self.annotate(quote_count=models.Count("quotes", distinct=True))


class Source(DisplayTextMixin, models.Model):
    """One document as published. Identical text is one source (deduplicated by SHA-256)."""

    display_text_fields = ("title", "outlet", "author")

    title = models.CharField(verbose_name=_("title"), max_length=500)
    outlet = models.CharField(verbose_name=_("outlet"), max_length=200, blank=True)
    author = models.CharField(verbose_name=_("author"), max_length=200, blank=True)
    url = models.URLField(verbose_name=_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(verbose_name=_("published on"), null=True, blank=True)
    published_precision = models.CharField(
        verbose_name=_("published precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    published_stated = models.BooleanField(
        verbose_name=_("date stated"),
        default=True,
        help_text=_(
            "Off when the text states no date and published_on is inferred from the "
            "events it reports; readers are told the date is not stated."
        ),
    )
    language = models.CharField(verbose_name=_("language"), max_length=7, choices=Language.choices)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=12, choices=SourceKind.choices, default=SourceKind.NEWS
    )
    text = models.TextField(
        verbose_name=_("text"), help_text=_("The full text, NFC-normalised with LF line endings.")
    )
    reader_note = models.TextField(
        verbose_name=_("reader note"),
        blank=True,
        help_text=_(
            "Shown to readers on the source's page and beside its quotes, e.g. "
            "“This copy of the article contains machine-spun wording.”"
        ),
    )
    reader_note_zh = models.TextField(
        verbose_name=_("reader note (Chinese)"),
        blank=True,
        help_text=_("The reader note in Chinese."),
    )
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64, unique=True, editable=False)
    search_text = models.TextField(verbose_name=_("search text"), blank=True, editable=False)
    # The scan's progress is the machine's, not the source's: kept out of its history, set
    # only by claims.scans (the services that write sources leave it alone).
    scan_state = models.CharField(
        verbose_name=_("scan for suggestions"),
        max_length=8,
        choices=ScanState.choices,
        default=ScanState.NOT_SCANNED,
        blank=True,
    )
    scan_sentences = models.PositiveIntegerField(
        verbose_name=_("sentences scanned"), null=True, blank=True
    )
    scan_suggestions = models.PositiveIntegerField(
        verbose_name=_("suggestions found"), null=True, blank=True
    )
    scan_message = models.CharField(verbose_name=_("scan message"), max_length=500, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "search_text",
            "scan_state",
            "scan_sentences",
            "scan_suggestions",
            "scan_message",
        ]
    )
    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="source_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_precision__in=DatePrecision.values),
                name="source_published_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(scan_state__in=ScanState.values), name="source_scan_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["published_on"])]

    def __str__(self):
        return self.title

    @property
    def scan_display(self) -> str:
        """The scan's state as the admin shows it: "Done: 120 sentences, 4 suggestions"."""
        state = self.get_scan_state_display()
        if self.scan_state == ScanState.DONE:
            return _("%(state)s: %(sentences)s sentences, %(suggestions)s suggestions") % {
                "state": state,
                "sentences": self.scan_sentences,
                "suggestions": self.scan_suggestions,
            }
        if self.scan_state == ScanState.FAILED and self.scan_message:
            return f"{state}: {self.scan_message}"
        return state

    @property
    def published_display(self) -> str:
        if self.published_on is None:
            return ""
        formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
        return self.published_on.strftime(formats[self.published_precision])
