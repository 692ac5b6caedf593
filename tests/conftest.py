from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import UserFactory, superuser
from tests.objectstore import s3_down, s3_media, s3_server  # noqa: F401 (fixtures)

FROZEN_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture, which could undo this
def pytest_collection_modifyitems(config, items):
    """Browser tests (marker `browser`) run after all the others, keeping their order.

    Playwright's sync API leaves an asyncio loop running in the test thread from the first
    browser test to the end of the session, and Django's ORM refuses to run beside it unless its
    async-safety check is switched off (tests/browser/conftest.py). Last, the check stays on for
    everything else."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True, scope="session")
def _jinja2_renders_recorded():
    """The test client's `response.context` and `response.templates`, for the public pages' Jinja2
    templates too: Django records what its own engine renders (setup_test_environment
    instruments it), not what the Jinja2 backend renders. This sends the same signal."""
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    render = backend.Template.render

    def recorded(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)
        # After rendering, as the context then holds what the backend and the context
        # processors added (request, csrf_token, site), as Django's own record does.
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    backend.Template.render = recorded
    yield
    backend.Template.render = render


@pytest.fixture(autouse=True)
def _migration_data_restored(django_db_serialized_rollback):
    """Every test that commits (transactional_db: the browser tests, the two hosts, the backup
    drills) starts with what the migrations wrote: content types, permissions, the editorial
    roles' groups, the menus.

    Such a test empties every table afterwards instead of rolling back, and serialized rollback
    puts the migrations' rows back before the next one. It must be every such test, not some:
    an emptying that is not followed by the serialized rows lets Django create content types
    afresh under new ids, and the next serialized test's rows then collide with them. Tests
    that roll back are unaffected."""


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Most tests change data and look again inside one transaction, where the cache's
    invalidation (run on commit) never fires. tests/pagecache/test_store.py turns it on."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": False}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages live in the cache, kept pages and cluster sizes in
    the process; no test inherits another's."""
    from django.core.cache import cache

    from articles.listings import cluster_sizes
    from pagecache.store import local_pages

    cache.clear()
    local_pages.clear()
    cluster_sizes.clear()
    yield
    cache.clear()
    local_pages.clear()
    cluster_sizes.clear()


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploaded files and their renditions go to a temporary directory, not ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def frozen_now():
    """Freeze the clock at FROZEN_NOW (2026-06-01 12:00 UTC) and return that instant."""
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield FROZEN_NOW


@pytest.fixture
def superuser_client(client, db):
    """A test client logged in as a fresh superuser (the factory's, not pytest-django's)."""
    client.force_login(superuser())
    return client


@pytest.fixture
def staff_viewer(db):
    """Staff with only the permission to view articles."""
    return UserFactory(is_staff=True, permissions=["articles.view_article"])


@pytest.fixture
def writer_user(db):
    """Staff in the Writers group (from the roles migration)."""
    from tests.factories import WRITERS, role_user

    return role_user(WRITERS, username="writer")


@pytest.fixture
def editor_user(db):
    """Staff in the Editors group (from the roles migration)."""
    from tests.factories import EDITORS, role_user

    return role_user(EDITORS, username="editor")


@pytest.fixture
def moderator_user(db):
    """Staff in the Moderators group (from the roles migration)."""
    from tests.factories import MODERATORS, role_user

    return role_user(MODERATORS, username="moderator")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, so what runs on commit (the page cache's
    invalidation) runs: commit(change, *args) returns change(*args)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


class SmtpInbox:
    """What a real SMTP server on the loopback received: each message parsed, with the
    envelope's recipients, as a mail client would read it."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.recipients]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """An SMTP server (aiosmtpd) on a free loopback port for this test, with Django's SMTP
    backend pointed at it: the messages go through smtplib and a real SMTP conversation, not
    the in-memory backend. Yields the inbox."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Dossier <newsroom@example.org>"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a loopback port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
