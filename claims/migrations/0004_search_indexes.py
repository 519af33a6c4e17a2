from django.db import migrations

from claims.search import add_bigram_column, claim_search_text_from, drop_bigram_column


def refresh_claim_search_text(apps, schema_editor):
    # The search text now marks where the statements end, for ranking.
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.prefetch_related("subjects__aliases", "topics"):
        subjects = [
            [entity.name, entity.name_zh, *sorted(alias.name for alias in entity.aliases.all())]
            for entity in sorted(claim.subjects.all(), key=lambda e: e.name)
        ]
        topics = sorted(f"{topic.name} {topic.name_zh}" for topic in claim.topics.all())
        claim.search_text = claim_search_text_from(
            [claim.statement_en, claim.statement_zh], subjects, topics
        )
        claim.save(update_fields=["search_text"])


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        add_bigram_column(schema_editor, "claims_claim")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_bigram_column(schema_editor, "claims_claim")


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_search_indexes"),
        ("claims", "0003_reviewer_and_editor_groups"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(refresh_claim_search_text, migrations.RunPython.noop),
    ]
