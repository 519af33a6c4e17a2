import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from claims.services import can_publish


def run(settings, debug: bool) -> dict[str, str]:
    settings.DEBUG = debug
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    return dict(re.findall(r"^(\w+) \(\w+\): (\S+)$", out.getvalue(), re.MULTILINE))


def test_demo_users_are_refused_without_debug(db, settings):
    with pytest.raises(CommandError, match="DEBUG"):
        run(settings, debug=False)
    assert not User.objects.exists()


def test_demo_users_get_their_roles_and_printed_passwords_and_a_rerun_resets_them(db, settings):
    first = run(settings, debug=True)

    assert set(first) == {"reviewer", "editor"}
    reviewer = authenticate(username="reviewer", password=first["reviewer"])
    editor = authenticate(username="editor", password=first["editor"])
    assert reviewer.is_staff and editor.is_staff
    assert not reviewer.is_superuser
    assert [g.name for g in reviewer.groups.all()] == ["Reviewer"]
    assert [g.name for g in editor.groups.all()] == ["Editor"]
    assert not can_publish(reviewer)
    assert can_publish(editor)

    second = run(settings, debug=True)

    assert User.objects.count() == 2
    assert second["reviewer"] != first["reviewer"]
    assert authenticate(username="reviewer", password=first["reviewer"]) is None
    assert authenticate(username="reviewer", password=second["reviewer"]) is not None
