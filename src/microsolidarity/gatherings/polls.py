"""Time polls: members offer slots and answer yes, if need be or no; closing makes the gathering.

Slots are given in the asker's time zone and stored in UTC. "Find a time" reads the
weekly availability members keep in their own time zones and places it in a
concrete week, so a daylight-saving change on either side is right.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import occurrences
from microsolidarity.gatherings.models import (
    Answer,
    Gathering,
    Mode,
    PollAnswer,
    PollSlot,
    TimePoll,
)
from microsolidarity.gatherings.notify import poll_opened_notify
from microsolidarity.groups import access
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.matching.availability import (
    MINUTES_PER_WEEK,
    AvailabilityError,
    parse_availability,
    week_minutes_utc,
)
from microsolidarity.page_cache import writes_of
from microsolidarity.people.models import Person
from microsolidarity.zones import local_to_utc, zone_checked

MAX_SLOTS = 40
LONGEST_SLOT = timedelta(days=14)


@dataclass(frozen=True)
class SlotInput:
    """One offered time: naive datetimes are read in the poll's time zone, aware ones kept."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Answerer:
    """Someone in a tally: their id and name, not a whole Person per answer (a poll of 150
    members and five times holds 750 answers)."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass
class SlotTally:
    slot: PollSlot
    yes: list = field(default_factory=list)
    if_need_be: list = field(default_factory=list)
    no: list = field(default_factory=list)
    is_best: bool = False

    @property
    def score(self) -> tuple[int, int]:
        return (len(self.yes), len(self.yes) + len(self.if_need_be))

    def answer_of(self, person) -> str | None:
        """What this person answered for the slot ("yes", "if_need_be", "no"), if anything."""
        for answer in Answer.values:
            if any(someone.pk == person.pk for someone in getattr(self, answer)):
                return answer
        return None


@dataclass(frozen=True)
class Suggestion:
    """A time many members are free for the whole duration; counts only, availability is private."""

    starts_at: datetime
    ends_at: datetime
    free: int
    shared: int


def poll_can_ask(person, group: Group) -> bool:
    """Members of a group (and operators, outside crews and dyads) may ask it for a time."""
    return access.is_member(person, group) or access.operates(person, group)


def poll_can_see(person, poll: TimePoll) -> bool:
    """A poll is its group's business: members (and operators) see and answer it."""
    return poll_can_ask(person, poll.group)


def poll_can_close(person, poll: TimePoll) -> bool:
    if person is None or not person.is_authenticated:
        return False
    return person.pk == poll.created_by_id or access.can_manage(person, poll.group)


@transaction.atomic
def poll_create(
    *,
    by,
    group: Group,
    title: str,
    poll_timezone: str,
    slots: list[SlotInput],
    description: str = "",
    closes_at: datetime | None = None,
) -> TimePoll:
    """Offer times to a group's members. Each slot is refused with a message that names it."""
    if not poll_can_ask(by, group):
        raise NotAllowed(
            _("Only members of %(name)s can ask them for a time.") % {"name": group.name}
        )
    title = title.strip()
    if not title:
        raise RuleBroken(_("Say what the time is for, like 'Monthly call'."), field="title")
    zone = zone_checked(poll_timezone)
    if not slots:
        raise RuleBroken(_("Offer at least one time."), field="slots")
    if len(slots) > MAX_SLOTS:
        raise RuleBroken(
            _("Offer at most %(n)d times; fewer make answering easier.") % {"n": MAX_SLOTS},
            field="slots",
        )
    now = timezone.now()
    converted: list[tuple[datetime, datetime]] = []
    seen: dict[datetime, int] = {}
    for index, slot in enumerate(slots):
        name = f"slot-{index}"
        starts = local_to_utc(slot.starts_at, zone, name)
        ends = local_to_utc(slot.ends_at, zone, name)
        shown = starts.astimezone(zone).strftime("%a %d %b %Y, %H:%M")
        if ends <= starts:
            raise RuleBroken(
                _("The time starting %(start)s ends before it starts.") % {"start": shown},
                field=name,
            )
        if ends - starts > LONGEST_SLOT:
            raise RuleBroken(
                _("The time starting %(start)s is longer than two weeks.") % {"start": shown},
                field=name,
            )
        if starts <= now:
            raise RuleBroken(
                _("%(start)s is in the past: offer times still to come.") % {"start": shown},
                field=name,
            )
        if starts in seen:
            raise RuleBroken(
                _("%(start)s is offered twice; offer each time once.") % {"start": shown},
                field=name,
            )
        seen[starts] = index
        converted.append((starts, ends))
    if closes_at is not None and closes_at <= now:
        raise RuleBroken(_("Answers can't close in the past."), field="closes_at")
    poll = TimePoll.objects.create(
        group=group,
        title=title,
        description=description.strip(),
        timezone=zone.key,
        duration=max(ends - starts for starts, ends in converted),
        created_by=by,
        closes_at=closes_at,
    )
    PollSlot.objects.bulk_create(
        PollSlot(poll=poll, starts_at=starts, ends_at=ends) for starts, ends in sorted(converted)
    )
    poll_opened_notify(poll=poll, by=by)
    return poll


def _require_open(poll: TimePoll) -> None:
    if poll.closed_at is not None:
        raise RuleBroken(_("This poll is closed; the time is chosen."))
    if poll.closes_at is not None and poll.closes_at <= timezone.now():
        raise RuleBroken(_("Answers to this poll closed; ask the person who asked."))


@transaction.atomic
def poll_answer(*, person, poll: TimePoll, answers: dict[int, str]) -> list[PollAnswer]:
    """Say yes, if need be or no to some or all slots; saying it again changes nothing."""
    if not poll_can_see(person, poll):
        raise NotAllowed(
            _("Only members of %(name)s can answer this poll.") % {"name": poll.group.name}
        )
    poll = TimePoll.objects.select_for_update().get(pk=poll.pk)
    _require_open(poll)
    if not answers:
        raise RuleBroken(_("Choose yes, if need be or no for at least one time."))
    slots = {slot.pk: slot for slot in poll.slots.all()}
    for slot_id, answer in answers.items():
        if slot_id not in slots:
            raise RuleBroken(_("That time is not part of this poll."))
        if answer not in Answer.values:
            raise RuleBroken(_("Answer yes, if need be or no."), field=f"slot-{slot_id}")
    existing = {a.slot_id: a for a in PollAnswer.objects.filter(slot__poll=poll, person=person)}
    saved = []
    # Only this person's answers are written: the page cache keeps them apart from others'.
    with writes_of(PollAnswer, f"person:{person.pk}"):
        for slot_id, answer in answers.items():
            row = existing.get(slot_id)
            if row is None:
                row = PollAnswer.objects.create(slot=slots[slot_id], person=person, answer=answer)
            elif row.answer != answer:
                row.answer = answer
                row.answered_at = timezone.now()
                row.save(update_fields=["answer", "answered_at"])
            saved.append(row)
    return saved


def poll_results(poll: TimePoll) -> list[SlotTally]:
    """Each slot with who answered what; the best is most yes, then most yes or if need be,
    then the earliest. With no yes and no if-need-be anywhere, nothing stands out."""
    tallies = {slot.pk: SlotTally(slot) for slot in poll.slots.all()}
    answers = (
        PollAnswer.objects.filter(slot__poll=poll)
        .order_by("answered_at", "pk")
        .values_list("slot_id", "answer", "person_id", "person__display_name", "person__email")
    )
    for slot_id, answer, person_id, display_name, email in answers:
        answerer = Answerer(person_id, Person.name_from(display_name, email))
        getattr(tallies[slot_id], answer).append(answerer)
    ordered = sorted(tallies.values(), key=lambda t: t.slot.starts_at)
    best = poll_best(ordered)
    if best is not None:
        best.is_best = True
    return ordered


def poll_best(tallies: list[SlotTally]) -> SlotTally | None:
    candidates = [t for t in tallies if t.score != (0, 0)]
    if not candidates:
        return None
    # max() keeps the first of equals, and the tallies come earliest first.
    return max(sorted(candidates, key=lambda t: t.slot.starts_at), key=lambda t: t.score)


def _gathering_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}")[:150] or "gathering"
    slug, n = base, 2
    while Gathering.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def poll_close(
    *, by, poll: TimePoll, slot: PollSlot | None = None, capacity: int | None = None
) -> Gathering:
    """Choose a slot (or the best one) and make the gathering, hosted by the person who asked."""
    if not poll_can_close(by, poll):
        raise NotAllowed(_("Only the person who asked or a host of the group can close the poll."))
    poll = TimePoll.objects.select_for_update().select_related("group").get(pk=poll.pk)
    if poll.closed_at is not None:
        raise RuleBroken(_("This poll is already closed."))
    if capacity is not None and capacity < 1:
        raise RuleBroken(_("Seats must be one or more, or left empty."), field="capacity")
    if slot is None:
        best = poll_best(poll_results(poll))
        if best is None:
            raise RuleBroken(
                _("Nobody has said yes or if need be yet: choose a time yourself."), field="slot"
            )
        slot = best.slot
    elif slot.poll_id != poll.pk:
        raise RuleBroken(_("That time is not part of this poll."), field="slot")
    if slot.starts_at <= timezone.now():
        raise RuleBroken(_("That time has passed: choose one still to come."), field="slot")
    gathering = Gathering.objects.create(
        group=poll.group,
        title=poll.title,
        slug=_gathering_slug(poll.title, slot.starts_at),
        description=poll.description,
        mode=Mode.ONLINE,
        timezone=poll.timezone,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=capacity,
        created_by=by,
    )
    gathering.hosts.add(poll.created_by or by)
    # The one occurrence, made as every gathering's are (reminders included).
    occurrences.occurrences_materialise(gathering=gathering)
    poll.closed_at = timezone.now()
    poll.chosen_slot = slot
    poll.gathering = gathering
    poll.save(update_fields=["closed_at", "chosen_slot", "gathering"])
    return gathering


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def time_suggest(
    *,
    group: Group,
    week: date,
    duration: timedelta,
    step: timedelta = timedelta(minutes=30),
    limit: int = 8,
) -> tuple[list[Suggestion], int, int]:
    """Times in the (UTC) week of `week` when most active members are free for `duration`.

    Returns the suggestions (most free first, then earliest; none overlapping), how many
    members shared a readable availability, and how many active members there are.
    """
    monday = week_monday(week)
    week_start = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    length = int(duration.total_seconds() // 60)
    stride = int(step.total_seconds() // 60)
    if length <= 0 or stride <= 0:
        raise RuleBroken(_("Choose how long the gathering lasts."), field="duration")
    starts = range(0, MINUTES_PER_WEEK - length + 1, stride)
    free = [0] * len(starts)
    memberships = Membership.objects.filter(
        group=group, state=MembershipState.ACTIVE
    ).select_related("person__profile")
    shared = total = 0
    for membership in memberships:
        total += 1
        profile = getattr(membership.person, "profile", None)
        if profile is None or not profile.availability.strip():
            continue
        try:
            windows = parse_availability(profile.availability)
            spans = week_minutes_utc(windows, profile.timezone, monday)
        except (AvailabilityError, ZoneInfoNotFoundError, ValueError):
            continue
        shared += 1
        for span_start, span_end in spans:
            first = -(-span_start // stride)
            last = (span_end - length) // stride
            for index in range(first, min(last, len(starts) - 1) + 1):
                free[index] += 1
    now = timezone.now()
    ranked = sorted(
        (
            (count, index)
            for index, count in enumerate(free)
            if count and week_start + timedelta(minutes=starts[index]) > now
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    chosen: list[Suggestion] = []
    for count, index in ranked:
        begins = week_start + timedelta(minutes=starts[index])
        ends = begins + duration
        if any(begins < s.ends_at and s.starts_at < ends for s in chosen):
            continue
        chosen.append(Suggestion(begins, ends, count, shared))
        if len(chosen) == limit:
            break
    return chosen, shared, total
