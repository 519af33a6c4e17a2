"""Claims as CSV (`?format=csv` on the claim list)."""

import csv
import io

from rest_framework.renderers import BaseRenderer

CLAIM_CSV_COLUMNS = [
    "slug",
    "statement_en",
    "statement_zh",
    "kind",
    "unit",
    "status",
    "verdict",
    "rating_value",
    "disputed",
    "position_count",
    "positions_summary",
    "open_conflict_count",
    "assertion_count",
    "source_count",
    "subjects",
    "topics",
    "updated_at",
]
# Where a CSV header reads better than the JSON field's name.
CSV_HEADERS = {"positions_summary": "positions"}


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): such a cell is written with a leading ' so that it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ClaimCSVRenderer(BaseRenderer):
    """Claims as CSV rows (`?format=csv`); lists are joined with ';'. Errors render as rows too."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if isinstance(data, list):
            writer.writerow([CSV_HEADERS.get(column, column) for column in CLAIM_CSV_COLUMNS])
            for row in data:
                writer.writerow([_cell(row.get(column)) for column in CLAIM_CSV_COLUMNS])
        else:
            writer.writerow(["field", "message"])
            for field, messages in (data or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([_cell(field), _cell(message)])
        return out.getvalue().encode(self.charset)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = ";".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
