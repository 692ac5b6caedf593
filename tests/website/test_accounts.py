"""Password links for staff (reset from the login page, and invitations), sent through a real
SMTP server on the loopback, and the one-page invitation of a writer, moderator or editor."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import EDITORS, WRITERS, UserFactory, superuser

pytestmark = pytest.mark.django_db
User = get_user_model()
RESET = "/admin/password-reset/"
INVITE = "/admin/invite/"


def link_in(inbox, message) -> str:
    found = re.search(r"http://testserver(/\S+)", inbox.text(message))
    assert found, inbox.text(message)
    return found.group(1)


def test_login_page_offers_the_password_reset(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'href="{RESET}"' in page
    assert "Forgotten your login credentials?" in page


def test_staff_resets_a_forgotten_password_by_the_emailed_link(client, smtp_server, commit):
    user = UserFactory(is_staff=True, email="Ilse@Example.org", first_name="Ilse")
    response = commit(client.post, RESET, {"email": "ilse@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    [message] = smtp_server.to("Ilse@Example.org")
    assert message["Subject"] == "Dossier: choose a new password"
    link = link_in(smtp_server, message)
    assert link.startswith("/admin/password-reset/")

    form_page = client.get(link, follow=True)
    assert b"Choose your password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a fresh long passphrase", "new_password2": "a fresh long passphrase"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a fresh long passphrase")
    # Once used, the link is dead and says what to do.
    again = client.get(link, follow=True)
    assert b"This link no longer works" in again.content


def test_no_link_for_readers_addresses_or_inactive_logins(client, smtp_server, commit):
    UserFactory(is_staff=False, email="reader@example.org")
    UserFactory(is_staff=True, is_active=False, email="gone@example.org")
    for address in ("reader@example.org", "gone@example.org", "nobody@example.org"):
        response = commit(client.post, RESET, {"email": address})
        assert response.status_code == 302  # the same answer, whoever has the address
    assert smtp_server.messages == []


def test_bad_address_gets_a_clear_message(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an e-mail address such as name@example.org." in response.content.decode()


def test_reset_page_works_when_the_smtp_server_is_down(client, smtp_down, commit, caplog):
    UserFactory(is_staff=True, email="ilse@example.org")
    response = commit(client.post, RESET, {"email": "ilse@example.org"})
    assert response.status_code == 302
    assert "e-mail not sent" in caplog.text


def test_the_reset_email_links_to_site_url_when_set(client, smtp_server, commit, settings):
    settings.SITE_URL = "https://news.example.org"
    UserFactory(is_staff=True, email="ilse@example.org")
    commit(client.post, RESET, {"email": "ilse@example.org"})
    [message] = smtp_server.messages
    assert "https://news.example.org/admin/password-reset/" in smtp_server.text(message)


# --- inviting ----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(superuser(first_name="Ada", last_name="Boss"))
    return client


def test_invite_creates_a_staff_login_in_the_role_and_emails_the_link(
    admin_client, smtp_server, commit
):
    writers = Group.objects.get(name=WRITERS)
    response = commit(
        admin_client.post,
        INVITE,
        {"name": " Ilse  Marrow ", "email": "Ilse@Example.org", "role": writers.pk},
    )
    user = User.objects.get(email="ilse@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:auth_user_change", args=[user.pk])
    assert (user.username, user.first_name, user.last_name) == (
        "ilse@example.org",
        "Ilse",
        "Marrow",
    )
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [writers]

    [message] = smtp_server.to("ilse@example.org")
    assert "invited" in message["Subject"]
    text = smtp_server.text(message)
    assert "Ada Boss has invited you" in text and "one of the Writers" in text
    assert "Your username is: ilse@example.org" in text

    # The link sets the first password, and the login then works.
    form_page = admin_client.get(link_in(smtp_server, message), follow=True)
    admin_client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "my own long secret", "new_password2": "my own long secret"},
    )
    user.refresh_from_db()
    assert user.check_password("my own long secret")


def test_an_invited_person_who_lost_the_email_can_ask_for_a_new_link(client, smtp_server, commit):
    invited = UserFactory(is_staff=True, email="ilse@example.org", last_login=None)
    invited.set_unusable_password()
    invited.save()
    commit(client.post, RESET, {"email": "ilse@example.org"})
    assert len(smtp_server.to("ilse@example.org")) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Ilse", "email": "ilse@", "role": "editors"}, "Enter an e-mail address such as"),
        ({"name": "", "email": "ilse@example.org", "role": "editors"}, "Write their name."),
        (
            {"name": "Ilse", "email": "ilse@example.org", "role": "999999"},
            "Choose one of the roles",
        ),
        ({"name": "Ilse", "email": "ilse@example.org", "role": "x"}, "Choose one of the roles"),
    ],
)
def test_invite_with_bad_input_says_what_is_wrong(admin_client, data, message):
    if data["role"] == "editors":
        data = {**data, "role": Group.objects.get(name=EDITORS).pk}
    response = admin_client.post(INVITE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="ilse@example.org").exists()


def test_invite_refuses_an_address_that_already_has_a_login(admin_client, smtp_server, commit):
    UserFactory(username="ilse", email="ilse@example.org")
    editors = Group.objects.get(name=EDITORS)
    response = commit(
        admin_client.post, INVITE, {"name": "Ilse", "email": "ILSE@example.org", "role": editors.pk}
    )
    assert response.status_code == 400
    assert "ilse@example.org already has a login (username “ilse”)" in response.content.decode()
    assert User.objects.filter(email__iexact="ilse@example.org").count() == 1
    assert smtp_server.messages == []


def test_invite_is_for_those_who_may_add_users(client, editor_user):
    client.force_login(editor_user)
    assert client.get(INVITE).status_code == 403


def test_users_list_links_to_the_invitation(admin_client):
    page = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert f'href="{INVITE}"' in page and "Invite a writer/editor" in page


def test_invite_still_creates_the_login_when_the_smtp_server_is_down(
    admin_client, smtp_down, commit, caplog
):
    writers = Group.objects.get(name=WRITERS)
    response = commit(
        admin_client.post, INVITE, {"name": "Ilse", "email": "ilse@example.org", "role": writers.pk}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="ilse@example.org", is_staff=True).exists()
    assert "e-mail not sent" in caplog.text


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("MQ", "set-password"),
        ("%3Cscript%3E", "x"),
        ("MQ", "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"),
        ("A" * 300, "B" * 300),
        ("ZZZZ", "abc-123"),
    ],
)
def test_an_altered_password_link_says_it_no_longer_works(client, uidb64, token):
    UserFactory(is_staff=True)
    response = client.get(f"/admin/password-reset/{uidb64}/{token}/", follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "This link no longer works" in content
    assert "<script>" not in content and "onerror=alert" not in content


def test_password_links_asked_for_too_often_are_refused_for_a_while(client, smtp_server, commit):
    UserFactory(is_staff=True, email="ilse@example.org")
    answers = [
        commit(client.post, RESET, {"email": "ilse@example.org"}).status_code for _ in range(4)
    ]
    assert answers == [302, 302, 302, 429]
    assert len(smtp_server.to("ilse@example.org")) == 3
    refused = client.post(RESET, {"email": "ilse@example.org"})
    assert "Several password links were asked for in a short time" in refused.content.decode()


def test_an_invitation_racing_another_for_the_same_address_gets_a_message(
    admin_client, monkeypatch
):
    # The other invitation is saved after this form checked the address, before it saves.
    from website.accounts import InviteForm

    monkeypatch.setattr(InviteForm, "clean_email", lambda form: form.cleaned_data["email"])
    UserFactory(username="ilse@example.org", email="other@example.org")
    writers = Group.objects.get(name=WRITERS)
    response = admin_client.post(
        INVITE, {"name": "Ilse", "email": "ilse@example.org", "role": writers.pk}
    )
    assert response.status_code == 400
    assert "ilse@example.org already has a login." in response.content.decode()


def test_a_look_alike_address_gets_no_link(client, smtp_server, commit):
    # "ı" (dotless i) upper-cases to "I": a database's case-insensitive match may pair them.
    UserFactory(is_staff=True, email="mike@example.org")
    commit(client.post, RESET, {"email": "mıke@example.org"})
    assert smtp_server.messages == []
