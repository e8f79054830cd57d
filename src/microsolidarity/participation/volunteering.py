"""Volunteer role slots: made by hosts, taken by members, never by more people than places.

Locking discipline, as for seats (see `microsolidarity.waitlists`): signing up locks the
slot's row before it counts who is signed up for that occurrence; withdrawing needs no
lock. A recurring slot's places are counted per occurrence.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import (
    Gathering,
    GatheringStatus,
    Occurrence,
    OccurrenceStatus,
)
from microsolidarity.groups import access as group_access
from microsolidarity.participation import access, emails
from microsolidarity.participation.models import (
    BuddyRequest,
    RoleSlot,
    SignupState,
    SlotSignup,
    VolunteerRole,
)
from microsolidarity.people.models import Person
from microsolidarity.waitlists import place_lock


@dataclass(frozen=True)
class SeriesSignup:
    signed_up: int
    full: int


@transaction.atomic
def slot_create(
    *,
    by: Person,
    gathering: Gathering,
    role: str,
    count: int = 1,
    description: str = "",
    title: str = "",
    occurrence: Occurrence | None = None,
) -> RoleSlot:
    """A role on one occurrence, or (no occurrence) on every occurrence of the gathering."""
    if not gathering_access.can_manage_gathering(by, gathering):
        raise NotAllowed(_("Only the gathering's hosts can add volunteer roles."))
    if role not in VolunteerRole.values:
        raise RuleBroken(_("Choose one of the roles."), field="role")
    if role == VolunteerRole.OTHER and not title.strip():
        raise RuleBroken(_("Give the role a name."), field="title")
    if not 1 <= count <= 50:
        raise RuleBroken(_("Between 1 and 50 people."), field="count")
    if occurrence is not None and occurrence.gathering_id != gathering.pk:
        raise RuleBroken(_("That date belongs to another gathering."), field="occurrence")
    return RoleSlot.objects.create(
        gathering=gathering,
        occurrence=occurrence,
        role=role,
        title=title.strip()[:80],
        count=count,
        description=description.strip()[:500],
        created_by=by,
    )


@transaction.atomic
def slot_delete(*, by: Person, slot: RoleSlot) -> None:
    if not gathering_access.can_manage_gathering(by, slot.gathering):
        raise NotAllowed(_("Only the gathering's hosts can remove volunteer roles."))
    signed = list(
        SlotSignup.objects.filter(
            slot=slot, state=SignupState.SIGNED_UP, occurrence__ends_at__gt=timezone.now()
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    name, title = slot.name, slot.gathering.title
    slot.delete()
    # The volunteers hear it, rather than find their role gone.
    if signed:
        transaction.on_commit(
            lambda: emails.slot_removed(person_ids=signed, role=name, gathering_title=title)
        )


def _require_open(slot: RoleSlot, occurrence: Occurrence, now: datetime) -> None:
    if slot.occurrence_id is not None and slot.occurrence_id != occurrence.pk:
        raise RuleBroken(_("This role is for another date."), field="occurrence")
    if occurrence.gathering_id != slot.gathering_id:
        raise RuleBroken(_("That date belongs to another gathering."), field="occurrence")
    if (
        occurrence.status == OccurrenceStatus.CANCELLED
        or slot.gathering.status == GatheringStatus.CANCELLED
    ):
        raise RuleBroken(_("This date is cancelled."))
    if occurrence.ends_at <= now:
        raise RuleBroken(_("This date is over."))


def _taken(slot: RoleSlot, occurrence: Occurrence) -> int:
    return SlotSignup.objects.filter(
        slot=slot, occurrence=occurrence, state=SignupState.SIGNED_UP
    ).count()


def _claim(slot: RoleSlot, occurrence: Occurrence, person: Person, *, from_series: bool):
    """Take a place if one is free; None when all are taken. The caller holds the slot lock."""
    signup = SlotSignup.objects.filter(slot=slot, occurrence=occurrence, person=person).first()
    if signup is not None and signup.state == SignupState.SIGNED_UP:
        return signup
    if _taken(slot, occurrence) >= slot.count:
        return None
    if signup is None:
        return SlotSignup.objects.create(
            slot=slot, occurrence=occurrence, person=person, from_series=from_series
        )
    signup.state = SignupState.SIGNED_UP
    signup.from_series = from_series
    signup.save(update_fields=["state", "from_series", "updated_at"])
    return signup


@transaction.atomic
def slot_signup(
    *, person: Person, slot: RoleSlot, occurrence: Occurrence, now: datetime | None = None
) -> SlotSignup:
    """Take one of the slot's places on this date; asking twice changes nothing."""
    if not access.can_volunteer(person, slot.gathering):
        raise NotAllowed(_("Members of the group can take a role; join it first."))
    now = now or timezone.now()
    _require_open(slot, occurrence, now)
    locked = place_lock(RoleSlot, slot.pk, "gathering")
    signup = _claim(locked, occurrence, person, from_series=False)
    if signup is None:
        raise Conflict(
            _("All %(count)s places as %(role)s are taken for this date; thank you all the same.")
            % {"count": locked.count, "role": locked.name}
        )
    return signup


@transaction.atomic
def slot_signup_series(
    *, person: Person, slot: RoleSlot, now: datetime | None = None
) -> SeriesSignup:
    """Take a recurring role on every coming date that still has a place."""
    if not access.can_volunteer(person, slot.gathering):
        raise NotAllowed(_("Members of the group can take a role; join it first."))
    if not slot.recurs:
        raise RuleBroken(_("This role is for one date; sign up for that date."))
    now = now or timezone.now()
    locked = place_lock(RoleSlot, slot.pk, "gathering")
    occurrences = slot.gathering.occurrences.filter(
        status=OccurrenceStatus.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    signed = full = 0
    for occurrence in occurrences:
        if _claim(locked, occurrence, person, from_series=True) is None:
            full += 1
        else:
            signed += 1
    return SeriesSignup(signed, full)


@transaction.atomic
def slot_withdraw(*, person: Person, slot: RoleSlot, occurrence: Occurrence | None = None) -> int:
    """Give a place back (on one date, or every coming date when none is given)."""
    signups = SlotSignup.objects.filter(slot=slot, person=person, state=SignupState.SIGNED_UP)
    if occurrence is not None:
        signups = signups.filter(occurrence=occurrence)
    else:
        signups = signups.filter(occurrence__ends_at__gt=timezone.now())
    return signups.update(state=SignupState.WITHDRAWN, updated_at=timezone.now())


# Buddies --------------------------------------------------------------------------------


@transaction.atomic
def buddy_ask(*, person: Person, occurrence: Occurrence, note: str = "") -> BuddyRequest:
    gathering = occurrence.gathering
    if not access.can_ask_for_buddy(person, gathering):
        raise NotAllowed(_("Sign in as someone who can see this gathering to ask for a buddy."))
    if occurrence.ends_at <= timezone.now():
        raise RuleBroken(_("This date is over."))
    request, made = BuddyRequest.objects.get_or_create(
        occurrence=occurrence, newcomer=person, defaults={"note": note.strip()[:300]}
    )
    if not made and note.strip() and request.note != note.strip()[:300]:
        request.note = note.strip()[:300]
        request.save(update_fields=["note"])
    return request


@transaction.atomic
def buddy_withdraw(*, person: Person, occurrence: Occurrence) -> bool:
    deleted, _detail = BuddyRequest.objects.filter(occurrence=occurrence, newcomer=person).delete()
    return bool(deleted)


@transaction.atomic
def buddy_offer(*, by: Person, request: BuddyRequest) -> BuddyRequest:
    """Be someone's buddy; the first to offer is it, and the newcomer is told who."""
    gathering = request.occurrence.gathering
    if not group_access.is_member(by, gathering.group):
        raise NotAllowed(_("Members of the group can be a buddy."))
    if request.newcomer_id == by.pk:
        raise RuleBroken(_("You asked for this buddy yourself."))
    locked = place_lock(BuddyRequest, request.pk)
    if locked.buddy_id is not None:
        if locked.buddy_id == by.pk:
            return locked
        raise Conflict(_("Someone already offered to be their buddy; thank you."))
    locked.buddy = by
    locked.matched_at = timezone.now()
    locked.save(update_fields=["buddy", "matched_at"])
    transaction.on_commit(lambda: emails.buddy_found(request_id=locked.pk))
    return locked
