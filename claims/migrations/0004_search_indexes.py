from django.db import migrations

from domain.text import fold_for_search

# The claims' search text and index as this migration first made them (frozen).
STATEMENT_END = "\x1e"


def claim_search_text_from(statements, subjects, topics):
    def clean(parts):
        return "\n".join(p.replace(STATEMENT_END, " ") for p in parts if p)

    names = [name for entity in subjects for name in entity]
    return fold_for_search(clean(statements) + STATEMENT_END + clean([*names, *topics]))


def add_bigram_column(schema_editor, table):
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN search_bigrams integer[] "
        "GENERATED ALWAYS AS (ledger_bigrams(search_text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {table}_search_bigrams ON {table} USING gin (search_bigrams)"
    )


def drop_bigram_column(schema_editor, table):
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_bigrams")


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
