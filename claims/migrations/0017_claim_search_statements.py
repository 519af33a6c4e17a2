from django.db import migrations

# What the statements' part of a claim's search text is (claims.search.STATEMENT_END ends it),
# stored so a search ranks by it without cutting every matching claim's text again.
ADD = (
    "ALTER TABLE claims_claim ADD COLUMN search_statements text GENERATED ALWAYS AS "
    "(left(search_text, strpos(search_text, E'\\x1e') - 1)) STORED"
)
DROP = "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_statements"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_quote_review_state")]

    operations = [migrations.RunPython(add_column, drop_column)]
