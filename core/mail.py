"""E-mail: composed from templates, sent once the transaction commits, never failing a request.

Every message Dossier sends (password links, workflow notices, reply notices) is composed by
``compose()`` from three templates under ``templates/emails/``: ``NAME.subject.txt``,
``NAME.txt`` (the plain text every message has) and, when it exists, ``NAME.html``. Links in
them are absolute, from ``site_url()``. ``send_after_commit()`` hands the messages to Django's
mail framework when the surrounding transaction commits: a notice about an edit that was rolled
back is never sent, and an SMTP server that is down or refuses is logged, while the edit that
asked for the notice stays saved and the person sees their page, not a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

logger = logging.getLogger("dossier.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    html: str = ""


def site_url(request: HttpRequest | None = None) -> str:
    """The site's address for links in e-mails, without a trailing slash: SITE_URL when set
    (the public name, whatever host the editor reached the admin by), else the request's own
    scheme and host (checked against ALLOWED_HOSTS by Django), else http://localhost."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    logger.warning("SITE_URL is not set: links in e-mails sent outside a request say localhost")
    return "http://localhost"


def absolute(path: str, *, base: str) -> str:
    """`path` (from reverse() or get_absolute_url()) on the site at `base`."""
    return f"{base}{path}"


def compose(name: str, context: dict, *, to: str) -> Mail:
    """The message `name` (templates/emails/NAME.*) for `to`, rendered now with `context`."""
    from core.models import SiteSettings

    context = {"site_name": SiteSettings.current().site_name, **context}
    # One line, however the template wraps it: a newline would end the header.
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    body = render_to_string(f"emails/{name}.txt", context)
    try:
        html = get_template(f"emails/{name}.html").render(context)
    except TemplateDoesNotExist:
        html = ""
    return Mail(to=to, subject=subject, body=body, html=html)


def send_after_commit(mails: Sequence[Mail]) -> None:
    """Send `mails` once the current transaction commits (at once outside one)."""
    mails = [mail for mail in mails if mail.to]
    if mails:
        transaction.on_commit(lambda: send_now(mails))


def send_now(mails: Sequence[Mail]) -> int:
    """Send `mails` over one connection; returns how many went. A failure is logged, never
    raised: by now the change that asked for them is committed and must not turn into an
    error page (nor, in a loop of notices, stop the others)."""
    messages = []
    for mail in mails:
        message = EmailMultiAlternatives(mail.subject, mail.body, to=[mail.to])
        if mail.html:
            message.attach_alternative(mail.html, "text/html")
        messages.append(message)
    try:
        return get_connection().send_messages(messages) or 0
    except Exception as error:
        # smtplib's errors, refused or timed-out connections (OSError) and TLS failures alike:
        # every one means the same thing here.
        logger.error(
            "e-mail not sent (%d message(s), first %r to %s): %s: %s",
            len(messages),
            mails[0].subject,
            mails[0].to,
            type(error).__name__,
            error,
        )
        return 0
