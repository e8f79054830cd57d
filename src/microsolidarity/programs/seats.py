"""Places in a cohort: claimed under the cohort's lock, a waiting list that moves in order.

The discipline is gatherings' (gatherings/rsvp.py, after pretix): whoever may take a
place locks the cohort row (`select_for_update`) before counting the places taken;
giving one up takes the same lock only because it hands the place on. The cohort row is
always locked before the rows of the apps below (its group, its occurrences), so no two
paths can deadlock.

Taking a place makes the person an active member of the cohort's group, follows the
session series for them (every future session, so a late joiner gets the sessions still
ahead), and opts them in to the breakouts. Leaving undoes the three.
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.dyads import services as dyad_services
from microsolidarity.dyads.models import PairingProgram
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import rsvp
from microsolidarity.groups import access as group_access
from microsolidarity.groups import services as group_services
from microsolidarity.groups.models import MembershipState
from microsolidarity.programs import access, emails
from microsolidarity.programs.cohorts import a_host
from microsolidarity.programs.models import Cohort, Seat, SeatState

MAX_ANSWER = 2000


@dataclass(frozen=True)
class SeatResult:
    seat: Seat
    waitlist_position: int | None
    promoted: Seat | None = None


def _lock(cohort: Cohort) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("group", "series", "program", "program__owner")
        .get(pk=cohort.pk)
    )


def going_count(cohort: Cohort) -> int:
    return cohort.seats.filter(state=SeatState.GOING).count()


def waitlist_position(seat: Seat | None) -> int | None:
    if seat is None or seat.state != SeatState.WAITLISTED:
        return None
    ahead = Seat.objects.filter(
        cohort_id=seat.cohort_id, state=SeatState.WAITLISTED, queued_at__lt=seat.queued_at
    ).count()
    same_time = Seat.objects.filter(
        cohort_id=seat.cohort_id,
        state=SeatState.WAITLISTED,
        queued_at=seat.queued_at,
        pk__lt=seat.pk,
    ).count()
    return ahead + same_time + 1


def signups_close_at(cohort: Cohort):
    """Sign-ups stay open until the last session starts: late joiners are welcome."""
    last = cohort.series.occurrences.order_by("-original_starts_at").first()
    return last.starts_at if last else timezone.now()


def _require_open(cohort: Cohort) -> None:
    if cohort.is_called_off:
        raise RuleBroken(_("This cohort was called off."))
    if timezone.now() >= signups_close_at(cohort):
        raise RuleBroken(_("Sign-ups for this cohort have closed: look out for the next one."))


def _admit(cohort: Cohort, seat: Seat) -> None:
    """The three things a place gives: the group, the sessions, the breakouts."""
    person = seat.person
    membership = group_access.membership_of(person, cohort.group)
    if membership is None or membership.state != MembershipState.ACTIVE:
        group_services.membership_invite(by=a_host(cohort), group=cohort.group, person=person)
        group_services.membership_accept(person=person, group=cohort.group)
    rsvp.series_subscribe(person=person, gathering=cohort.series)
    program = PairingProgram.objects.filter(group=cohort.group).first()
    if program is not None:
        dyad_services.pairing_join(person=person, program=program)
    seat.joined_at = timezone.now()
    seat.save(update_fields=["joined_at", "updated_at"])
    transaction.on_commit(partial(emails.seat_email, seat_id=seat.pk))


def _release(cohort: Cohort, seat: Seat) -> None:
    person = seat.person
    program = PairingProgram.objects.filter(group=cohort.group).first()
    if program is not None:
        dyad_services.pairing_leave(person=person, program=program)
    rsvp.series_unsubscribe(person=person, gathering=cohort.series)
    if group_access.is_member(person, cohort.group):
        group_services.membership_leave(person=person, group=cohort.group)


def _claim(cohort: Cohort, seat: Seat) -> Seat:
    """In if a place is free, else on the waiting list. The caller holds the cohort lock."""
    full = going_count(cohort) >= cohort.capacity
    seat.state = SeatState.WAITLISTED if full else SeatState.GOING
    seat.queued_at = timezone.now()
    seat.save(update_fields=["state", "queued_at", "updated_at"])
    if not full:
        _admit(cohort, seat)
    return seat


def _promote(cohort: Cohort) -> list[Seat]:
    """Fill free places from the waiting list, first queued first. The caller holds the lock."""
    free = cohort.capacity - going_count(cohort)
    if free <= 0 or timezone.now() >= signups_close_at(cohort):
        return []
    promoted = list(
        cohort.seats.filter(state=SeatState.WAITLISTED)
        .select_related("person")
        .order_by("queued_at", "pk")[:free]
    )
    for seat in promoted:
        seat.state = SeatState.GOING
        seat.save(update_fields=["state", "updated_at"])
        _admit(cohort, seat)
    return promoted


@transaction.atomic
def seat_request(*, person, cohort: Cohort, answer: str = "") -> SeatResult:
    """Sign up: a place if one is free (open sign-up), or an application for the facilitators.

    Asking again changes nothing; an application's answer may be corrected while it waits.
    """
    if person is None or not person.is_authenticated:
        raise NotAllowed(_("Sign in to sign up."))
    cohort = _lock(cohort)
    if not access.cohort_visible(person, cohort):
        raise NotAllowed(_("This cohort is not open to you."))
    if access.is_facilitator(person, cohort):
        raise RuleBroken(_("You facilitate this cohort: your place is already kept."))
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER:
        raise RuleBroken(_("Keep your answer under 2,000 characters."), field="answer")
    seat = Seat.objects.select_for_update().filter(cohort=cohort, person=person).first()
    if seat is not None and seat.state in (SeatState.GOING, SeatState.WAITLISTED):
        return SeatResult(seat, waitlist_position(seat))
    if seat is not None and seat.state == SeatState.APPLIED:
        if answer and answer != seat.answer:
            seat.answer = answer
            seat.save(update_fields=["answer", "updated_at"])
        return SeatResult(seat, None)
    if seat is not None and seat.state == SeatState.DECLINED:
        raise RuleBroken(
            _("The facilitators answered your application already: write to them to talk.")
        )
    _require_open(cohort)
    if cohort.application_question and not answer:
        raise RuleBroken(_("Please answer the question before you apply."), field="answer")
    if seat is None:
        seat = Seat(cohort=cohort, person=person, state=SeatState.APPLIED)
    seat.answer = answer
    if cohort.application_question:
        seat.state = SeatState.APPLIED
        seat.queued_at = timezone.now()
        seat.save()
        transaction.on_commit(partial(emails.application_email, seat_id=seat.pk))
        return SeatResult(seat, None)
    seat.state = SeatState.WAITLISTED
    seat.save()
    _claim(cohort, seat)
    return SeatResult(seat, waitlist_position(seat))


def _seat_for_facilitator(by, seat: Seat) -> tuple[Cohort, Seat]:
    cohort = _lock(seat.cohort)
    if not access.can_manage_cohort(by, cohort):
        raise NotAllowed(_("Only the cohort's facilitators answer applications."))
    return cohort, Seat.objects.select_for_update().select_related("person").get(pk=seat.pk)


@transaction.atomic
def seat_accept(*, by, seat: Seat) -> SeatResult:
    """Say yes to an application: a place if one is free, else the waiting list."""
    cohort, seat = _seat_for_facilitator(by, seat)
    if seat.state != SeatState.APPLIED:
        raise RuleBroken(_("This application was answered already."))
    _require_open(cohort)
    _claim(cohort, seat)
    return SeatResult(seat, waitlist_position(seat))


@transaction.atomic
def seat_decline(*, by, seat: Seat) -> Seat:
    """Say not this time to an application or to someone waiting; they are told kindly."""
    _cohort, seat = _seat_for_facilitator(by, seat)
    if seat.state not in Seat.WAITING:
        raise RuleBroken(_("Only applications and the waiting list can be answered so."))
    seat.state = SeatState.DECLINED
    seat.save(update_fields=["state", "updated_at"])
    transaction.on_commit(partial(emails.declined_email, seat_id=seat.pk))
    return seat


@transaction.atomic
def seat_leave(*, person, cohort: Cohort) -> SeatResult | None:
    """Give up a place (or an application, or a place in the queue); the first waiting moves up."""
    cohort = _lock(cohort)
    seat = Seat.objects.select_for_update().filter(cohort=cohort, person=person).first()
    if seat is None or seat.state not in (*Seat.TAKING, *Seat.WAITING):
        return None
    was_going = seat.state == SeatState.GOING
    seat.state = SeatState.LEFT
    seat.save(update_fields=["state", "updated_at"])
    promoted: list[Seat] = []
    if was_going:
        _release(cohort, seat)
        promoted = _promote(cohort)
    return SeatResult(seat, None, promoted[0] if promoted else None)
