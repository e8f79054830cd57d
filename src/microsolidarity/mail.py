"""Email: one way to write a message, attach a file to it, and send it.

Subjects go through `one_line`, because a title stored before single-line fields were
checked would otherwise make Django refuse the header and lose the whole email. An
attachment that cannot be built is logged and left off: the message itself still goes.
"""

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext as _

from microsolidarity.text_input import one_line, single_periods

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    # Built only when the message is, so a failure is caught there and not by the caller.
    content: Callable[[], str | bytes]
    mimetype: str = "text/calendar"


class Content(TypedDict, total=False):
    """What a message holds besides its addressees and subject."""

    lines: Sequence[str]
    body: str
    html: str
    headers: Mapping[str, str]
    attachments: Iterable[Attachment]


def greeting(person) -> str:
    """The first line of every email to a person, in the language active when it is written."""
    return _("Hello %(name)s,") % {"name": person}


def email_build(
    *, to: Iterable[str], subject: str, **content: Unpack[Content]
) -> EmailMultiAlternatives:
    """A message ready to send: `lines` are joined one a line, or `body` is taken as it is;
    `html`, when given, goes beside the text as an alternative."""
    lines = content.get("lines", ())
    message = EmailMultiAlternatives(
        subject=single_periods(one_line(subject)),
        body="\n".join(map(single_periods, lines)) + "\n" if lines else content.get("body", ""),
        to=list(to),
        headers=dict(content.get("headers") or {}),
    )
    if html := content.get("html", ""):
        message.attach_alternative(html, "text/html")
    for attachment in content.get("attachments", ()):
        try:
            message.attach(attachment.filename, attachment.content(), attachment.mimetype)
        except Exception:  # an attachment must never stop the email
            logger.exception("Could not attach %s to %r", attachment.filename, message.subject)
    return message


def email_send(*, to: Iterable[str], subject: str, **content: Unpack[Content]) -> int:
    """Build the message (see `email_build`) and send it; how many went (0 or 1).
    Nobody to write to sends nothing."""
    addresses = [address for address in to if address]
    if not addresses:
        return 0
    return email_build(to=addresses, subject=subject, **content).send()
