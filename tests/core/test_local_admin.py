from __future__ import annotations

import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def password_file(settings, tmp_path):
    """DEBUG on, BASE_DIR in a temporary directory: nothing is written into the repository."""
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    settings.ADMIN_PATH = "admin/"
    return tmp_path / "var" / "local-admin.txt"


def run() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("local_admin", stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def line(password: str, path: str = "admin/") -> str:
    return f"Admin: http://127.0.0.1:8000/{path} — user admin, password {password}"


@pytest.mark.django_db
def test_refuses_when_debug_is_off(password_file, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not get_user_model().objects.filter(username="admin").exists()
    assert not password_file.exists()


@pytest.mark.django_db
def test_creates_a_superuser_and_keeps_its_password(password_file):
    out, _ = run()
    password = password_file.read_text().strip()
    assert len(password) >= 16
    assert out == line(password)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)


@pytest.mark.django_db
def test_later_runs_print_the_same_password_and_leave_the_user_alone(password_file):
    first, _ = run()
    hashed = get_user_model().objects.get(username="admin").password
    second, err = run()
    assert second == first
    assert err == ""
    assert get_user_model().objects.get(username="admin").password == hashed
    assert get_user_model().objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_existing_user_without_the_file_gets_a_fresh_password(password_file):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    out, _ = run()
    password = password_file.read_text().strip()
    assert password != TEST_PASSWORD
    assert out == line(password)
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_warns_when_the_file_is_out_of_date(password_file):
    run()
    user = get_user_model().objects.get(username="admin")
    user.set_password("changed-by-hand")
    user.save()
    _, err = run()
    assert "no longer matches" in err
    assert get_user_model().objects.get(username="admin").check_password("changed-by-hand")


@pytest.mark.django_db
def test_uses_the_configured_admin_path(password_file, settings):
    settings.ADMIN_PATH = "backstage/"
    out, _ = run()
    assert out == line(password_file.read_text().strip(), "backstage/")


@pytest.mark.django_db
def test_prints_the_address_make_run_serves_on(password_file):
    out = StringIO()
    call_command("local_admin", "--host", "0.0.0.0", "--port", "8123", stdout=out)

    password = password_file.read_text(encoding="utf-8").strip()
    assert out.getvalue().strip() == (
        f"Admin: http://0.0.0.0:8123/admin/ — user admin, password {password}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("port", ["0", "70000"])
def test_refuses_a_port_that_cannot_be(password_file, port):
    with pytest.raises(CommandError, match="between 1 and 65535"):
        call_command("local_admin", "--port", port, stdout=StringIO())


def test_make_run_passes_its_host_and_port():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "manage.py local_admin --host $(HOST) --port $(PORT)" in makefile
