"""Signing in during the grace period is how a person changes their mind."""

from django.contrib import messages
from django.utils.translation import gettext as _

from microsolidarity.rights.deletion import deletion_cancel


def cancel_deletion_on_sign_in(sender, request, user, **kwargs) -> None:

    if deletion_cancel(person=user) and request is not None:
        messages.info(
            request,
            _("Welcome back. Your account will not be deleted; everything is as you left it."),
            fail_silently=True,
        )
