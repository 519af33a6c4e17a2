from django.db import migrations, models


def new_fields():
    """Fresh field instances for each model: a field belongs to one model."""
    return [
        (
            "published_stated",
            models.BooleanField(
                verbose_name="date stated",
                default=True,
                help_text="Off when the text states no date and published_on is inferred "
                "from the events it reports; readers are told the date is not stated.",
            ),
        ),
        (
            "reader_note",
            models.TextField(
                verbose_name="reader note",
                blank=True,
                help_text="Shown to readers on the source's page and beside its quotes, "
                "e.g. “This copy of the article contains machine-spun wording.”",
            ),
        ),
        (
            "reader_note_zh",
            models.TextField(
                verbose_name="reader note (Chinese)",
                blank=True,
                help_text="The reader note in Chinese.",
            ),
        ),
    ]


class Migration(migrations.Migration):
    """A source's reader note (both languages) and whether its text states its date."""

    dependencies = [
        ("sources", "0004_source_scan_state"),
    ]

    operations = [
        migrations.AddField(model_name=model, name=name, field=field)
        for model in ("source", "historicalsource")
        for name, field in new_fields()
    ]
