"""Write the traditional Chinese interface catalog: the simplified one through OpenCC.

    python manage.py traditional_catalog

Run after editing locale/zh_Hans/LC_MESSAGES/django.po; it writes and compiles
locale/zh_Hant/LC_MESSAGES/django.po. Translators write one Chinese catalog, and the
traditional pages (/zh-hant/…) never lag behind it (tests/web/test_locale_urls.py checks).
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from domain.text import to_traditional


def simplified_catalog() -> Path:
    return Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def traditional_catalog() -> Path:
    return Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def traditional_po(simplified: str) -> str:
    """The catalog with every msgstr (and its continuation lines) in traditional script;
    msgids, references and flags unchanged."""
    lines, in_msgstr = [], False
    for line in simplified.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        lines.append(to_traditional(line) if in_msgstr else line)
    text = "".join(lines)
    return (
        text.replace("Chinese (simplified)", "Chinese (traditional)", 2)
        .replace('"Language: zh_Hans\\n"', '"Language: zh_Hant\\n"', 1)
        .replace("Language-Team: Chinese (simplified)", "Language-Team: Chinese (traditional)")
    )


class Command(BaseCommand):
    help = "Write and compile locale/zh_Hant from locale/zh_Hans through OpenCC."

    def handle(self, *args, **options):
        target = traditional_catalog()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(traditional_po(simplified_catalog().read_text(encoding="utf-8")))
        call_command("compilemessages", locale=["zh_Hant"], verbosity=0)
        self.stdout.write(f"wrote {target.relative_to(settings.BASE_DIR)}")
