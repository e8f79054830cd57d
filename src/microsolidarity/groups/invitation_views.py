"""The page an invitation email links to: a visitor signs up and comes back here, and the
person the invitation was for is a member at once."""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from microsolidarity.errors import DomainError
from microsolidarity.groups import services
from microsolidarity.people.models import Person


def _refused(request: HttpRequest, text: str, *, status: int) -> HttpResponse:
    return render(request, "groups/invitation_refused.html", {"text": text}, status=status)


def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find(token)
    if invitation is None:
        return _refused(
            request,
            _("This invitation link is not known here: check it was copied whole."),
            status=404,
        )
    refusal = services.invitation_refusal(invitation)
    if refusal:
        return _refused(request, refusal, status=410)
    if not request.user.is_authenticated:
        back = urlencode({"next": request.path})
        if Person.objects.filter(email__iexact=invitation.email).exists():
            return redirect(f"{reverse('account_login')}?{back}")
        # The link came to that mailbox, so signing up with that address needs no code.
        get_adapter(request).stash_verified_email(request, invitation.email)
        prefill = urlencode({"next": request.path, "email": invitation.email})
        return redirect(f"{reverse('account_signup')}?{prefill}")
    try:
        result = services.invitation_accept(person=request.user, invitation=invitation)
    except DomainError as error:
        return _refused(request, error.message, status=403)
    messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.group.name})
    if result.warning:
        messages.warning(request, result.warning)
    return redirect(invitation.group)
