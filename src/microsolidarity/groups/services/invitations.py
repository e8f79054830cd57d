"""Invitations by email for someone with no account yet: a host sends one, the link signs
them up and makes them a member. Someone who has an account is invited the usual way.

The token is shown only in the email; a keyed hash of it is stored (decision 0013-a), so a
copy of the database opens no invitation.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import Group, Invitation, JoinPolicy, Scale, Status
from microsolidarity.groups.services.memberships import (
    MembershipResult,
    group_lock,
    membership_admit,
    membership_invite,
)
from microsolidarity.mail import email_send
from microsolidarity.people.models import Person
from microsolidarity.site import absolute_url

INVITATION_DAYS = 14
_KEY_SALT = "microsolidarity.groups.Invitation"


def invitation_digest(raw: str, *, secret: str | None = None) -> str:
    return salted_hmac(_KEY_SALT, raw, secret=secret, algorithm="sha256").hexdigest()


def invitation_find(raw: str) -> Invitation | None:
    """The invitation a link's token names (under the current key or a fallback), if any."""
    if not raw or len(raw) > 100:
        return None
    digests = [invitation_digest(raw)] + [
        invitation_digest(raw, secret=old) for old in settings.SECRET_KEY_FALLBACKS
    ]
    return (
        Invitation.objects.select_related("group", "invited_by")
        .filter(token_hash__in=digests)
        .first()
    )


@dataclass(frozen=True)
class InvitationSent:
    """Either an email invitation went out, or the address was a person's and they were
    invited the usual way (`membership`)."""

    invitation: Invitation | None = None
    membership: MembershipResult | None = None


def _address_checked(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise RuleBroken(
            _("%(email)s is not an email address.") % {"email": email}, field="email"
        ) from None
    return email


@transaction.atomic
def invitation_send(*, by, group: Group, email: str) -> InvitationSent:
    """Invite an address to the group. Only its hosts invite people who are not here yet;
    sending again to the same address makes a new link and the old one stops working."""
    email = _address_checked(email)
    person = Person.objects.filter(email__iexact=email).first()
    if person is not None:
        if not person.is_active:
            raise RuleBroken(_("That account is closed, so it can't be invited."), field="email")
        return InvitationSent(membership=membership_invite(by=by, group=group, person=person))
    group = group_lock(group)
    if not access.can_manage(by, group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can invite someone who has no account yet.")
            % {"name": group.name}
        )
    if group.scale in (Scale.CREW, Scale.DYAD):
        raise RuleBroken(
            _("A crew is for members of its congregation: invite them there first."),
            field="email",
        )
    if group.join_policy == JoinPolicy.CLOSED or group.status == Status.CLOSED:
        raise RuleBroken(_("%(name)s is closed to new members.") % {"name": group.name})
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation, _made = Invitation.objects.update_or_create(
        group=group,
        email=email,
        accepted_at=None,
        defaults={
            "token_hash": invitation_digest(raw),
            "invited_by": by,
            "created_at": now,
            "expires_at": now + timedelta(days=INVITATION_DAYS),
        },
    )
    # The token exists only here and in the email: it is never put in a task queue's table.
    transaction.on_commit(partial(invitation_email_send, invitation_id=invitation.pk, raw=raw))
    return InvitationSent(invitation=invitation)


def invitation_email_send(*, invitation_id: int, raw: str) -> int:
    invitation = (
        Invitation.objects.select_related("group", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return 0
    link = absolute_url(reverse("invitation_open", args=[raw]))
    with translation.override(settings.LANGUAGE_CODE):
        names = {"host": invitation.invited_by or _("A host"), "group": invitation.group.name}
        lines = [
            _("Hello,"),
            "",
            _("%(host)s invites you to join %(group)s on Microsolidarity.") % names,
            "",
            _("Follow this link to make your account; you will be a member at once:"),
            link,
            "",
            _("The link works until %(date)s and only once. If you did not expect this, ignore it.")
            % {"date": f"{invitation.expires_at:%d %B %Y}"},
        ]
        return email_send(
            to=[invitation.email], subject=_("An invitation to %(group)s") % names, lines=lines
        )


def invitation_refusal(invitation: Invitation, *, now=None) -> str:
    """Why this invitation can no longer be used, or '' when it can."""
    if invitation.accepted_at is not None:
        return _("This invitation was used already. Sign in to find %(group)s.") % {
            "group": invitation.group.name
        }
    if invitation.expires_at <= (now or timezone.now()):
        return _("This invitation has expired. Ask %(host)s for a new one.") % {
            "host": invitation.invited_by or _("the hosts")
        }
    return ""


@transaction.atomic
def invitation_accept(*, person, invitation: Invitation) -> MembershipResult:
    """The invited address's owner follows the link: they are a member, and it is used up."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation)
    if refusal:
        raise RuleBroken(refusal)
    if person.email.lower() != invitation.email.lower():
        raise NotAllowed(
            _(
                "This invitation was sent to another email address. Sign out and follow the "
                "link again, or ask the host to invite the address you use here."
            )
        )
    result = membership_admit(
        person=person, group=invitation.group, invited_by=invitation.invited_by
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return result
