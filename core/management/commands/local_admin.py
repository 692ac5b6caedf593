"""`manage.py local_admin`: a superuser for local development, and how to log in.

Only runs with DEBUG on. Creates the superuser "admin" once, with a random password kept in
var/local-admin.txt (readable by you only), and prints the admin address with the credentials
on every run. An existing "admin" user is left alone, except that a fresh password is set when
the file is missing (otherwise nobody could know it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (once) a local superuser 'admin' and print how to log in. DEBUG only."

    def add_arguments(self, parser) -> None:
        # make run passes its HOST and PORT, so the printed address is the one it serves on.
        parser.add_argument("--host", default="127.0.0.1", help="host the site is served on")
        parser.add_argument("--port", type=int, default=8000, help="port the site is served on")

    def handle(self, *args, **options) -> None:
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        host = options["host"].strip() or "127.0.0.1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # an IPv6 address in a URL
        if not settings.DEBUG:
            raise CommandError(
                "local_admin is for local development only and refuses to run with DEBUG off. "
                "On a server, create accounts with `manage.py createsuperuser`."
            )
        password_file = Path(settings.BASE_DIR) / "var" / "local-admin.txt"
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: USERNAME}).first()

        if user is None:
            password = secrets.token_urlsafe(12)
            user_model._default_manager.create_superuser(
                **{user_model.USERNAME_FIELD: USERNAME}, email="", password=password
            )
            _write_password(password_file, password)
        elif password_file.exists():
            password = password_file.read_text(encoding="utf-8").strip()
            if not user.check_password(password):
                self.stderr.write(
                    self.style.WARNING(
                        f"The password in {password_file} no longer matches the '{USERNAME}' "
                        "user (it was changed since). Delete the file and run this command again "
                        "to set a fresh one."
                    )
                )
        else:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            _write_password(password_file, password)

        admin_path = settings.ADMIN_PATH.lstrip("/")
        self.stdout.write(
            f"Admin: http://{host}:{port}/{admin_path} — user {USERNAME}, password {password}"
        )


def _write_password(path: Path, password: str) -> None:
    """Write the password to `path`, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    os.chmod(path, 0o600)  # the mode given to os.open only applies when the file is created
