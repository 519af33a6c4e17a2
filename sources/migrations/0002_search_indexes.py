from django.db import migrations

from claims.search import BIGRAMS_FUNCTION, add_bigram_column, drop_bigram_column


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BIGRAMS_FUNCTION)
        add_bigram_column(schema_editor, "sources_source")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_bigram_column(schema_editor, "sources_source")
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
