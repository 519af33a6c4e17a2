"""makemessages that also reads the reader pages' Jinja2 templates (templates/jinja2/).

Django turns each template into Python-like text for xgettext with its own template lexer,
which knows {% translate %} and {% blocktranslate %} but not Jinja2's {% trans %} blocks.
A Jinja2 template is parsed by Jinja2 instead, with the environment the pages render with
(so its blocks are trimmed alike), and each message it finds is written as a gettext() or
ngettext() call on the line it came from.
"""

from pathlib import Path

from django.core.management.commands import makemessages
from django.template import engines
from jinja2.ext import GETTEXT_FUNCTIONS, extract_from_ast


def as_python(source: str) -> str:
    """The messages of a Jinja2 template as gettext calls, each on its line."""
    environment = engines["jinja2"].env
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in extract_from_ast(environment.parse(source), GETTEXT_FUNCTIONS):
        strings = message if isinstance(message, tuple) else (message,)
        arguments = ", ".join(repr(s) for s in strings if s is not None)
        # ngettext's count, which xgettext needs to see but never reads.
        count = ", n" if function == "ngettext" else ""
        lines[lineno - 1] += f"{function}({arguments}{count}); "
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        # Jinja2's templates are in folders of that name, as Django's backend looks for them.
        if not (self.is_templatized and "jinja2" in Path(self.path).parts):
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(as_python(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
