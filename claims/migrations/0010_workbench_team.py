from django.db import migrations, models

from claims.search import quote_search_text


def fill_suggestion_search_text(apps, schema_editor):
    Suggestion = apps.get_model("claims", "Suggestion")
    batch = []
    for suggestion in Suggestion.objects.only("pk", "exact").iterator(chunk_size=2000):
        suggestion.search_text = quote_search_text(suggestion.exact)
        batch.append(suggestion)
        if len(batch) == 2000:
            Suggestion.objects.bulk_update(batch, ["search_text"])
            batch = []
    Suggestion.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_positions")]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_suggestion_search_text, migrations.RunPython.noop),
    ]
