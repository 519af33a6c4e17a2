import django.db.models.deletion
from django.db import migrations, models

from claims.search import quote_search_text
from sources.text import comparable_key


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


def remember_rejected_sentences(apps, schema_editor):
    Suggestion = apps.get_model("claims", "Suggestion")
    RejectedSentence = apps.get_model("claims", "RejectedSentence")
    remembered = {}
    for claim_id, exact in (
        Suggestion.objects.filter(status="rejected").order_by("pk").values_list("claim_id", "exact")
    ):
        remembered.setdefault((claim_id, comparable_key(exact)), exact)
    RejectedSentence.objects.bulk_create(
        RejectedSentence(claim_id=claim_id, key=key, sentence=sentence)
        for (claim_id, key), sentence in remembered.items()
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_positions")]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_suggestion_search_text, migrations.RunPython.noop),
        migrations.CreateModel(
            name="RejectedSentence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sentence", models.TextField(help_text="The sentence as it was rejected.")),
                ("key", models.CharField(editable=False, help_text="SHA-256 of the sentence's comparable text.", max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("claim", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="rejected_sentences", to="claims.claim")),
            ],
            options={
                "ordering": ["claim", "created_at", "id"],
                "constraints": [models.UniqueConstraint(fields=("claim", "key"), name="rejected_sentence_unique")],
            },
        ),
        migrations.RunPython(remember_rejected_sentences, migrations.RunPython.noop),
    ]
