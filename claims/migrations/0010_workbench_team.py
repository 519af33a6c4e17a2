import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from claims.search import quote_search_text
from domain.text import comparable_key


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
    """Rejections made before they followed the sentence: one per claim and sentence."""
    Suggestion = apps.get_model("claims", "Suggestion")
    RejectedSentence = apps.get_model("claims", "RejectedSentence")
    remembered = {}
    rejected = Suggestion.objects.filter(status="rejected").order_by("pk")
    for claim_id, exact in rejected.values_list("claim_id", "exact"):
        remembered.setdefault((claim_id, comparable_key(exact)), exact)
    RejectedSentence.objects.bulk_create(
        RejectedSentence(claim_id=claim_id, key=key, sentence=sentence)
        for (claim_id, key), sentence in remembered.items()
    )


class Migration(migrations.Migration):
    """Suggestions searchable by their sentence, rejections remembered by sentence and claim,
    claims assigned to reviewers, and each claim's comment thread."""

    dependencies = [
        ("claims", "0009_positions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

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
        migrations.AddField(
            model_name="claim",
            name="assignee",
            field=models.ForeignKey(blank=True, help_text="The reviewer working on it.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="assigned_claims", to=settings.AUTH_USER_MODEL, verbose_name="assigned to"),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="assignee",
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The reviewer working on it.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="assigned to"),
        ),
        migrations.CreateModel(
            name="ClaimComment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("claim", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="claims.claim")),
            ],
            options={
                "ordering": ["claim", "created_at", "id"],
                "indexes": [models.Index(fields=["claim", "created_at"], name="claims_clai_claim_i_6c366a_idx")],
            },
        ),
        migrations.CreateModel(
            name="HistoricalClaimComment",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("text", models.TextField()),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                ("author", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("claim", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="claims.claim")),
                ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "historical claim comment",
                "verbose_name_plural": "historical claim comments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
