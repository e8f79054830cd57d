"""RSVPs: going, waitlisted, not going; seats claimed under a lock; the waitlist promotes in order.

Locking discipline (after pretix): whoever may take a seat locks the occurrence row
(`select_for_update`) before counting the seats taken, once per transaction. Occurrences
are always locked in start order, so two series subscriptions cannot deadlock.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import access, queries, tasks
from microsolidarity.gatherings.models import (
    Gathering,
    GatheringStatus,
    Occurrence,
    OccurrenceStatus,
    Rsvp,
    RsvpState,
    SeriesSubscription,
)
from microsolidarity.page_cache import writes_of
from microsolidarity.waitlists import next_in_line, place_lock

ANSWERABLE = (RsvpState.GOING, RsvpState.NOT_GOING)
MAX_ANSWER_LENGTH = 1000


@dataclass(frozen=True)
class RsvpResult:
    rsvp: Rsvp
    waitlist_position: int | None
    promoted: Rsvp | None = None


def _lock(occurrence_id: int) -> Occurrence:
    return place_lock(Occurrence, occurrence_id, "gathering", "gathering__group")


def _going_count(occurrence: Occurrence) -> int:
    return occurrence.rsvps.filter(state=RsvpState.GOING).count()


def rsvp_deadline(occurrence: Occurrence) -> datetime:
    closes_before = occurrence.gathering.rsvp_closes_before
    return occurrence.starts_at - closes_before if closes_before else occurrence.starts_at


def _require_open(occurrence: Occurrence, now: datetime) -> None:
    gathering = occurrence.gathering
    if (
        gathering.status == GatheringStatus.CANCELLED
        or occurrence.status == OccurrenceStatus.CANCELLED
    ):
        raise RuleBroken(_("This gathering is cancelled."))
    if occurrence.ends_at <= now:
        raise RuleBroken(_("This gathering is over."))
    if now >= rsvp_deadline(occurrence):
        raise RuleBroken(
            _("RSVPs have closed for this one: write to the hosts if you'd like to come.")
        )


def answers_check(gathering: Gathering, answers: dict | None) -> dict:
    """Keep the answers to the gathering's own questions; refuse a missing required one."""
    answers = answers or {}
    kept, missing = {}, []
    for question in gathering.registration_questions or []:
        key = question.get("key")
        value = str(answers.get(key, "") or "").strip()[:MAX_ANSWER_LENGTH]
        if value:
            kept[key] = value
        elif question.get("required"):
            missing.append(question.get("label") or key)
    if missing:
        raise RuleBroken(
            _("Please answer before you say you're going: %(questions)s.")
            % {"questions": ", ".join(missing)},
            field="answers",
        )
    return kept


def _saved(rsvp: Rsvp, occurrence: Occurrence, fields: list[str]) -> None:
    """Saves one person's answer, saying whose it is and to which gathering: the page cache
    keeps each person's RSVPs, and each gathering's, apart (page_cache.writes_of)."""
    with writes_of(Rsvp, f"person:{rsvp.person_id}", f"gathering:{occurrence.gathering_id}"):
        rsvp.save(update_fields=fields)


def _created(**fields) -> Rsvp:
    scopes = f"person:{fields['person'].pk}", f"gathering:{fields['occurrence'].gathering_id}"
    with writes_of(Rsvp, *scopes):
        return Rsvp.objects.create(**fields)


def _claim(occurrence: Occurrence, rsvp: Rsvp | None, person, *, from_series: bool, answers):
    """Going if a seat is free, waitlisted otherwise. The caller holds the occurrence lock."""
    capacity = occurrence.gathering.capacity
    full = capacity is not None and _going_count(occurrence) >= capacity
    state = RsvpState.WAITLISTED if full else RsvpState.GOING
    now = timezone.now()
    if rsvp is None:
        return _created(
            occurrence=occurrence,
            person=person,
            state=state,
            answers=answers,
            queued_at=now,
            from_series=from_series,
        )
    rsvp.state = state
    rsvp.queued_at = now
    rsvp.from_series = from_series
    rsvp.answers = answers
    _saved(rsvp, occurrence, ["state", "queued_at", "from_series", "answers", "updated_at"])
    return rsvp


def _promote(occurrence: Occurrence) -> list[Rsvp]:
    """Fill free seats from the waitlist, first queued first. The caller holds the lock."""
    capacity = occurrence.gathering.capacity
    free = None if capacity is None else capacity - _going_count(occurrence)
    promoted = next_in_line(occurrence.rsvps.filter(state=RsvpState.WAITLISTED), free)
    for rsvp in promoted:
        rsvp.state = RsvpState.GOING
        _saved(rsvp, occurrence, ["state", "updated_at"])
        transaction.on_commit(partial(tasks.rsvp_promoted_notify.enqueue, rsvp.pk))
    return promoted


@transaction.atomic
def rsvp_set(
    *,
    person,
    occurrence: Occurrence,
    state: str,
    answers: dict | None = None,
    now: datetime | None = None,
) -> RsvpResult:
    """Answer going or not going. Asking again for the same answer changes nothing."""
    if state not in ANSWERABLE:
        raise RuleBroken(_("Answer going or not going."), field="state")
    if not access.can_rsvp(person, occurrence.gathering):
        raise NotAllowed(_("Sign in as a member who can see this gathering to answer."))
    now = now or timezone.now()
    occurrence = _lock(occurrence.pk)
    rsvp = Rsvp.objects.filter(occurrence=occurrence, person=person).first()
    promoted: list[Rsvp] = []
    if state == RsvpState.GOING:
        kept = answers_check(occurrence.gathering, answers) if answers is not None else None
        if rsvp is not None and rsvp.state in (RsvpState.GOING, RsvpState.WAITLISTED):
            if kept is not None and kept != rsvp.answers:
                rsvp.answers = kept
                _saved(rsvp, occurrence, ["answers", "updated_at"])
        else:
            _require_open(occurrence, now)
            if kept is None:
                kept = answers_check(occurrence.gathering, rsvp.answers if rsvp else {})
            rsvp = _claim(occurrence, rsvp, person, from_series=False, answers=kept)
    else:
        if rsvp is None:
            rsvp = _created(
                occurrence=occurrence, person=person, state=RsvpState.NOT_GOING, queued_at=now
            )
        elif rsvp.state != RsvpState.NOT_GOING:
            was_going = rsvp.state == RsvpState.GOING
            rsvp.state = RsvpState.NOT_GOING
            _saved(rsvp, occurrence, ["state", "updated_at"])
            if was_going and occurrence.ends_at > now:
                promoted = _promote(occurrence)
    return RsvpResult(
        rsvp=rsvp,
        waitlist_position=queries.waitlist_position(rsvp),
        promoted=promoted[0] if promoted else None,
    )


def rsvp_cancel(*, person, occurrence: Occurrence) -> RsvpResult:
    """Free my seat (or leave the waitlist); the first person waiting gets it and is told."""
    return rsvp_set(person=person, occurrence=occurrence, state=RsvpState.NOT_GOING)


def seats_refill(*, occurrence: Occurrence) -> list[Rsvp]:
    """After capacity grew: promote as many as now fit."""
    with transaction.atomic():
        return _promote(_lock(occurrence.pk))


def _future_occurrences(gathering: Gathering, now: datetime):
    return gathering.occurrences.filter(
        status=OccurrenceStatus.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "pk")


def series_fill(*, gathering: Gathering, occurrences: list[Occurrence]) -> None:
    """Give each follower of the series an RSVP for these (new) occurrences."""
    followers = list(
        SeriesSubscription.objects.filter(gathering=gathering).select_related("person")
    )
    if not followers:
        return
    now = timezone.now()
    for occurrence in sorted(occurrences, key=lambda o: (o.starts_at, o.pk)):
        if occurrence.status != OccurrenceStatus.SCHEDULED or now >= rsvp_deadline(occurrence):
            continue
        locked = _lock(occurrence.pk)
        answered = set(Rsvp.objects.filter(occurrence=locked).values_list("person_id", flat=True))
        for subscription in followers:
            if subscription.person_id not in answered:
                _claim(locked, None, subscription.person, from_series=True, answers={})


@transaction.atomic
def series_subscribe(*, person, gathering: Gathering, now: datetime | None = None) -> int:
    """Follow the whole series: going to every future occurrence, seats permitting.

    An answer already given for one occurrence (going, waitlisted or not going) stays.
    Returns how many occurrences got a new RSVP.
    """
    if not gathering.is_recurring:
        raise RuleBroken(_("Only a repeating gathering has a series to follow."))
    if not access.can_rsvp(person, gathering):
        raise NotAllowed(_("Sign in as a member who can see this gathering to follow it."))
    if gathering.status == GatheringStatus.CANCELLED:
        raise RuleBroken(_("This gathering is cancelled."))
    if gathering.registration_questions:
        # Required questions are answered per occurrence, not once for a whole series.
        answers_check(gathering, {})
    now = now or timezone.now()
    SeriesSubscription.objects.get_or_create(gathering=gathering, person=person)
    made = 0
    for occurrence in _future_occurrences(gathering, now):
        if now >= rsvp_deadline(occurrence):
            continue
        locked = _lock(occurrence.pk)
        if not Rsvp.objects.filter(occurrence=locked, person=person).exists():
            _claim(locked, None, person, from_series=True, answers={})
            made += 1
    return made


@transaction.atomic
def series_unsubscribe(*, person, gathering: Gathering, now: datetime | None = None) -> int:
    """Stop following: the seats the series gave are freed (and passed on); own answers stay."""
    now = now or timezone.now()
    SeriesSubscription.objects.filter(gathering=gathering, person=person).delete()
    freed = 0
    for occurrence in _future_occurrences(gathering, now):
        locked = _lock(occurrence.pk)
        rsvp = Rsvp.objects.filter(
            Q(state=RsvpState.GOING) | Q(state=RsvpState.WAITLISTED),
            occurrence=locked,
            person=person,
            from_series=True,
        ).first()
        if rsvp is None:
            continue
        was_going = rsvp.state == RsvpState.GOING
        rsvp.state = RsvpState.NOT_GOING
        _saved(rsvp, locked, ["state", "updated_at"])
        freed += 1
        if was_going:
            _promote(locked)
    return freed
