from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
                    f"{name} contains the bidirectional control character U+{ord(char):04X} "
                    f"at offset {offset}, which would reorder the text as shown",
                    code="bidi_control",
                )
            ]
        if errors:
            raise ValidationError(errors)


class Language(models.TextChoices):
    ZH_HANS = "zh-Hans", "Chinese (simplified)"
    ZH_HANT = "zh-Hant", "Chinese (traditional)"
    EN = "en", "English"


class SourceKind(models.TextChoices):
    NEWS = "news", "News article"
    BLOG = "blog", "Blog post"
    COURT_FILING = "court_filing", "Court filing"
    EMAIL = "email", "Email"
    SOCIAL_POST = "social_post", "Social media post"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class SourceQuerySet(models.QuerySet):
    def with_quote_counts(self):
        return self.annotate(quote_count=models.Count("quotes", distinct=True))


class Source(DisplayTextMixin, models.Model):
    """One document as published. Identical text is one source (deduplicated by SHA-256)."""

    display_text_fields = ("title", "outlet", "author")

    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    published_stated = models.BooleanField(
        default=True,
        help_text="Off when the text states no date and published_on is inferred from the "
        "events it reports; readers are told the date is not stated.",
    )
    language = models.CharField(max_length=7, choices=Language.choices)
    kind = models.CharField(max_length=12, choices=SourceKind.choices, default=SourceKind.NEWS)
    text = models.TextField(help_text="The full text, NFC-normalised with LF line endings.")
    reader_note = models.TextField(
        blank=True,
        help_text="Shown to readers on the source's page and beside its quotes, e.g. "
        "“This copy of the article contains machine-spun wording.”",
    )
    reader_note_zh = models.TextField(blank=True, help_text="The reader note in Chinese.")
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = SourceQuerySet.as_manager()

    class Meta:
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
        ]
        indexes = [models.Index(fields=["published_on"])]

    def __str__(self):
        return self.title

    @property
    def published_display(self) -> str:
        if self.published_on is None:
            return ""
        formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
        return self.published_on.strftime(formats[self.published_precision])
