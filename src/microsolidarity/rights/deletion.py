"""Account deletion: asked for with re-authentication, carried out after a grace period.

The Person row is scrubbed rather than deleted, so what others see (a check-in in a
shared dyad, a crew call they answered, a session on an agenda) keeps its shape while
its author becomes "a former member". Everything personal goes: journal, location,
profile, RSVPs (freeing seats for the waitlist), memberships (handing hosting on),
tokens, calendar feeds, sessions, email addresses. See docs/data-rights.md.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat, Replace
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import (
    CallInterest,
    FormationRound,
    Retrospective,
    RoundEntry,
)
from microsolidarity.crewing.models import RoundStatus as FormationStatus
from microsolidarity.dyads.models import PairingOptIn
from microsolidarity.errors import DomainError, NotAllowed, RuleBroken
from microsolidarity.gatherings.models import (
    CalendarFeed,
    ReminderSent,
    Rsvp,
    RsvpState,
    SeriesSubscription,
)
from microsolidarity.gatherings.rsvp import rsvp_cancel, seats_refill
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.groups.services import membership_leave
from microsolidarity.journal.services import journal_delete_all
from microsolidarity.library.personal_data import library_forget
from microsolidarity.notifications.models import Notification
from microsolidarity.participation.personal_data import participation_remove
from microsolidarity.people.models import ApiToken, Audience, Person, Profile
from microsolidarity.programs.personal_data import programs_personal_delete, programs_seats_free
from microsolidarity.rights.models import DeletionRequest

logger = logging.getLogger(__name__)

FORMER_MEMBER = "a former member"
DEFAULT_GRACE_DAYS = 14


def grace_days() -> int:
    return int(getattr(settings, "ACCOUNT_DELETION_GRACE_DAYS", DEFAULT_GRACE_DAYS))


def pending_deletion(person) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(person=person, cancelled_at__isnull=True).first()


@transaction.atomic
def deletion_request(*, person, now: datetime | None = None) -> DeletionRequest:
    """Schedule the deletion (the caller re-authenticated the person); asking twice keeps one."""
    if not person.is_active:
        raise NotAllowed(_("This account is not active."))
    existing = pending_deletion(person)
    if existing is not None:
        return existing
    now = now or timezone.now()
    request = DeletionRequest.objects.create(
        person=person, requested_at=now, due_at=now + timedelta(days=grace_days())
    )
    # Whoever holds a session or a token stops acting as the person now, not at the end of
    # the grace period: signing in again (which cancels) is the way back, tokens included.
    _end_sessions(person)
    _revoke_tokens(person, now)
    return request


def _revoke_tokens(person, now: datetime) -> None:

    ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)


@transaction.atomic
def deletion_cancel(*, person, now: datetime | None = None) -> bool:
    """Cancel a pending deletion; returns whether there was one."""
    if person is None or not getattr(person, "pk", None):
        return False
    return bool(
        DeletionRequest.objects.filter(person=person, cancelled_at__isnull=True).update(
            cancelled_at=now or timezone.now()
        )
    )


@dataclass
class DeletionReport:
    person_id: int
    rsvps_freed: int = 0
    promoted: int = 0
    memberships_ended: int = 0
    journal_entries: int = 0
    journal_parts: int = 0
    notes: list[str] = field(default_factory=list)


def deletions_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        DeletionRequest.objects.filter(cancelled_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("person_id", flat=True)
    )


def deletions_carry_out(*, now: datetime | None = None) -> list[DeletionReport]:
    """Delete every account whose grace period is over. Each one in its own transaction."""
    reports = []
    for person_id in deletions_due(now=now):
        reports.append(account_delete(person_id=person_id, now=now))
    return reports


def account_delete(*, person_id: int, now: datetime | None = None, force: bool = False):
    """Carry out a deletion whose grace period is over (or at once with `force`, for operators)."""

    now = now or timezone.now()
    person = Person.objects.get(pk=person_id)
    pending = pending_deletion(person)
    if not force and (pending is None or pending.due_at > now):
        raise RuleBroken(_("This account has no deletion due yet."))
    report = DeletionReport(person_id=person.pk)
    old_email, old_name, old_label = person.email, person.display_name, str(person)
    # Seats first, while the person can still answer for them, each freeing in its own lock.
    _free_seats(person, now, report)
    _free_cohort_places(person)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        # Names first, while every membership (an invitation never answered too) still
        # leads to the groups named after the person.
        _leave_shared_content(person, old_name=old_name, old_label=old_label)
        _end_memberships(person, report)
        _remove_personal(person, report)
        _scrub_person(person)
        _scrub_email_everywhere(old_email)
        DeletionRequest.objects.filter(person=person).delete()
    logger.info("Deleted account %s", person_id)
    return report


def _free_seats(person, now: datetime, report: DeletionReport) -> None:

    held = (
        Rsvp.objects.filter(
            person=person,
            state__in=(RsvpState.GOING, RsvpState.WAITLISTED),
            occurrence__ends_at__gt=now,
        )
        .select_related("occurrence")
        .order_by("occurrence__starts_at", "pk")
    )
    for rsvp in held:
        try:
            result = rsvp_cancel(person=person, occurrence=rsvp.occurrence)
        except DomainError:
            # They can no longer see the gathering (left its group): free the seat directly.
            Rsvp.objects.filter(pk=rsvp.pk).update(state=RsvpState.NOT_GOING)
            report.promoted += len(seats_refill(occurrence=rsvp.occurrence))
        else:
            report.promoted += 1 if result.promoted else 0
        report.rsvps_freed += 1


def _free_cohort_places(person) -> None:

    programs_seats_free(person=person)


def _end_memberships(person, report: DeletionReport) -> None:

    current = Membership.objects.filter(
        person=person, state__in=Membership.MEMBER_STATES
    ).select_related("group")
    # Innermost groups first: a crew before its congregation before its network.
    for membership in sorted(current, key=lambda m: _depth(m.group), reverse=True):
        membership_leave(person=person, group=membership.group)
        report.memberships_ended += 1
    Membership.objects.filter(
        person=person, state__in=(MembershipState.INVITED, MembershipState.REQUESTED)
    ).delete()
    Membership.objects.filter(person=person).update(message="", tier="")


def _depth(group) -> int:
    depth = 0
    while group.parent_id is not None:
        depth += 1
        group = group.parent
    return depth


def _remove_personal(person, report: DeletionReport) -> None:

    report.journal_entries, report.journal_parts = journal_delete_all(author=person)
    # The profile holds the town, availability, interests: all of it goes. An empty,
    # private one stays, so pages that list a former member still find a profile.
    Profile.objects.filter(person=person).delete()
    Profile.objects.create(
        person=person, **{f"{part}_audience": Audience.ONLY_ME for part in Profile.PARTS}
    )
    ApiToken.objects.filter(person=person).delete()
    CalendarFeed.objects.filter(person=person).delete()
    SeriesSubscription.objects.filter(person=person).delete()
    ReminderSent.objects.filter(person=person).delete()
    Rsvp.objects.filter(person=person).delete()
    PairingOptIn.objects.filter(person=person, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )
    for agenda_session in person.agenda_interests.all():
        agenda_session.interested.remove(person)
    for gathering in person.hosted_gatherings.all():
        gathering.hosts.remove(person)
    _remove_crewing(person)
    _remove_outreach(person)
    programs_personal_delete(person=person)
    participation_remove(person=person)
    library_forget(person=person)
    _remove_network(person)
    EmailAddress.objects.filter(user=person).delete()
    _end_sessions(person)


def _remove_outreach(person) -> None:
    """Newsletter subscriptions (by account or address), the digest choice, and the address on
    past deliveries. Outreach sits beside rights in the layers, so its models are looked up."""

    if not apps.is_installed("microsolidarity.outreach"):
        return
    Subscription = apps.get_model("outreach", "Subscription")
    IssueDelivery = apps.get_model("outreach", "IssueDelivery")
    addresses = Q(email__iexact=person.email)
    IssueDelivery.objects.filter(addresses | Q(subscription__person=person)).update(
        email=Concat(
            Value("deleted-"),
            Cast(F("pk"), output_field=CharField()),
            Value("@deleted.invalid"),
            output_field=CharField(),
        ),
        subscription=None,
    )
    Subscription.objects.filter(addresses | Q(person=person)).delete()
    apps.get_model("outreach", "DigestPreference").objects.filter(person=person).delete()
    apps.get_model("outreach", "DigestSent").objects.filter(person=person).delete()


def _remove_crewing(person) -> None:
    """Shared crewing records (calls, attendance) stay under the scrubbed person; personal go."""

    CallInterest.objects.filter(person=person).delete()
    Retrospective.objects.filter(person=person).delete()
    open_rounds = FormationRound.objects.filter(status=FormationStatus.OPEN)
    RoundEntry.objects.filter(person=person, round__in=open_rounds).delete()
    # Past sign-ups stay so the round's record adds up, without the person's own details.
    RoundEntry.objects.filter(person=person).update(
        availability="", interests=[], languages=[], timezone="UTC"
    )


def _remove_network(person) -> None:
    """Off the map. The network app sits beside this one in the layers: reached by the registry."""

    if apps.is_installed("microsolidarity.network"):
        apps.get_model("network", "MapChoice").objects.filter(person=person).delete()


def _end_sessions(person) -> None:
    """Delete the person's database sessions; a changed password hash ends any others."""
    key = str(person.pk)
    stale = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(session_key__in=stale).delete()


def _leave_shared_content(person, *, old_name: str, old_label: str) -> None:
    """Names copied into things others see (a dyad called "Ana & Ben") lose the person's name."""

    for needle in {old_name, old_label} - {""}:
        Group.objects.filter(memberships__person=person, name__contains=needle).update(
            name=Replace("name", Value(needle), Value(FORMER_MEMBER))
        )
        # What others were told ("Ana asked to join") was written with the name in it.
        Notification.objects.filter(text__contains=needle).update(
            text=Replace("text", Value(needle), Value(FORMER_MEMBER))
        )
    for needle in {slugify(old_name), slugify(old_label)} - {""}:
        for group in Group.objects.filter(memberships__person=person, slug__contains=needle):
            slug = group.slug.replace(needle, "former-member")
            if Group.objects.filter(slug=slug).exclude(pk=group.pk).exists():
                slug = f"{slug[:130]}-{secrets.token_hex(3)}"
            Group.objects.filter(pk=group.pk).update(slug=slug)
    person_type = ContentType.objects.get_for_model(person)
    LogEntry.objects.filter(content_type=person_type, object_id=str(person.pk)).update(
        object_repr=FORMER_MEMBER, change_message=""
    )


def _scrub_person(person) -> None:
    person.email = f"former-member-{person.pk}-{secrets.token_hex(4)}@deleted.invalid"
    person.display_name = FORMER_MEMBER
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.set_unusable_password()
    person.save(
        update_fields=[
            "email",
            "display_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
            "password",
        ]
    )
    person.groups.clear()
    person.user_permissions.clear()


def _scrub_email_everywhere(email: str) -> None:
    """A last sweep: the address copied into any text column (an invitation note, say) goes."""

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.CharField | models.TextField):
                continue
            if model_field.primary_key or model_field.choices:
                continue
            name = model_field.attname
            model._base_manager.filter(**{f"{name}__icontains": email}).update(
                **{name: Replace(name, Value(email), Value(FORMER_MEMBER))}
            )
