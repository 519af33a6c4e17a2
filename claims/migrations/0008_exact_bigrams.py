from django.db import migrations

from claims.search import BIGRAMS_FUNCTION, add_bigram_column, drop_bigram_column

TABLES = ["sources_source", "claims_claim", "claims_quote"]


def number_bigrams_exactly(apps, schema_editor):
    # The stored columns are computed by the function: drop them, replace it, add them back.
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            drop_bigram_column(schema_editor, table)
        schema_editor.execute(BIGRAMS_FUNCTION)
        for table in TABLES:
            add_bigram_column(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_search_indexes"),
        ("claims", "0007_claim_disputed_flag"),
    ]

    # No way back to the hashed numbers; the new ones serve the same queries.
    operations = [migrations.RunPython(number_bigrams_exactly, migrations.RunPython.noop)]
