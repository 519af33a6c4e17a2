from django.db import migrations

# The SQL as this migration first ran it (frozen: later code may change).
BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_bigrams(text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array(
        SELECT DISTINCT mod(ascii(pair.first)::bigint * 2097152 + ascii(pair.second),
                            2147483647)::integer
        FROM (SELECT string_to_array($1, NULL) AS chars) AS split,
             unnest(split.chars, split.chars[2:]) AS pair(first, second)
        WHERE pair.second IS NOT NULL
    )
$$
"""


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
