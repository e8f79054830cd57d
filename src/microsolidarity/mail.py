"""Email: one way to write a message, attach a file to it, and send it.

Subjects go through `one_line`, because a title stored before single-line fields were
checked would otherwise make Django refuse the header and lose the whole email. An
attachment that cannot be built is logged and left off: the message itself still goes.
"""

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives

from microsolidarity.text_input import one_line

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    # Built only when the message is, so a failure is caught there and not by the caller.
    content: Callable[[], str | bytes]
    mimetype: str = "text/calendar"


def email_build(
    *,
    to: Iterable[str],
    subject: str,
    lines: Sequence[str] = (),
    body: str = "",
    html: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMultiAlternatives:
    """A message ready to send: `lines` are joined one a line, or `body` is taken as it is;
    `html`, when given, goes beside the text as an alternative."""
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body="\n".join(lines) + "\n" if lines else body,
        to=list(to),
        headers=dict(headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        try:
            message.attach(attachment.filename, attachment.content(), attachment.mimetype)
        except Exception:  # an attachment must never stop the email
            logger.exception("Could not attach %s to %r", attachment.filename, message.subject)
    return message


def email_send(
    *,
    to: Iterable[str],
    subject: str,
    lines: Sequence[str] = (),
    body: str = "",
    html: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> int:
    """Build the message (see `email_build`) and send it; how many went (0 or 1).
    Nobody to write to sends nothing."""
    to = [address for address in to if address]
    if not to:
        return 0
    message = email_build(
        to=to,
        subject=subject,
        lines=lines,
        body=body,
        html=html,
        headers=headers,
        attachments=attachments,
    )
    return message.send()
