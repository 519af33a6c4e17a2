from django.db import migrations, models

from domain.text import fold_for_search

# The quotes' search text and index as this migration first made them (frozen).
quote_search_text = fold_for_search


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


def fill_quote_search_text(apps, schema_editor):
    Quote = apps.get_model("claims", "Quote")
    batch = []
    for quote in Quote.objects.only("pk", "exact").iterator(chunk_size=2000):
        quote.search_text = quote_search_text(quote.exact)
        batch.append(quote)
        if len(batch) == 2000:
            Quote.objects.bulk_update(batch, ["search_text"])
            batch = []
    Quote.objects.bulk_update(batch, ["search_text"])


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        add_bigram_column(schema_editor, "claims_quote")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_bigram_column(schema_editor, "claims_quote")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_quote_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
