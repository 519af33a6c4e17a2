from django.db import migrations

# The SQL as this migration first ran it (frozen: later code may change).
BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_bigrams(text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array(
        SELECT DISTINCT (least(ascii(pair.first), 65535)::bigint * 65536
                         + least(ascii(pair.second), 65535) - 2147483648)::integer
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
