"""An emailed code that stands in for a password when an account has none."""

import hashlib
import secrets
import time

from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from microsolidarity.mail import email_send

SESSION_KEY = "rights_deletion_code"
CODE_LIFETIME_SECONDS = 15 * 60
MAX_TRIES = 5


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_send(*, request) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[SESSION_KEY] = {
        "digest": _digest(code),
        "expires": time.time() + CODE_LIFETIME_SECONDS,
        "tries": 0,
    }
    email_send(
        to=[request.user.email],
        subject=_("Your code to delete your account"),
        body=_(
            "Someone signed in as you asked to delete your account. If it was you, "
            "enter this code on the page: %(code)s\n\nIf it was not you, change your "
            "password: nothing has been deleted."
        )
        % {"code": code},
    )


def code_check(*, request, code: str) -> bool:
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["expires"] < time.time() or stored["tries"] >= MAX_TRIES:
        return False
    stored["tries"] += 1
    request.session[SESSION_KEY] = stored
    if constant_time_compare(stored["digest"], _digest(code)):
        del request.session[SESSION_KEY]
        return True
    return False
