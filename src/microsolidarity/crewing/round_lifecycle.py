"""A formation round's life before publishing: members opt in, hosts pin, propose and adjust.

The crews themselves come from the engine (`round_engine`, run by `round_runs`) and become
real when a host publishes (`round_publishing`). Every write here locks the round row
first (`round_locks.round_lock`).
"""

from datetime import date, datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing.history import met_pairs
from microsolidarity.crewing.meeting_length import meeting_length_check
from microsolidarity.crewing.models import (
    FormationRound,
    MeetingTemplate,
    PinKind,
    ProposedCrew,
    ProposedMember,
    RoundEntry,
    RoundPin,
    RoundStatus,
    RoundUnplaced,
)
from microsolidarity.crewing.round_engine import proposal_refresh
from microsolidarity.crewing.round_locks import round_host_require, round_lock
from microsolidarity.crewing.round_reasons import TAKEN_OUT
from microsolidarity.crewing.round_runs import background_above, round_run_claimed
from microsolidarity.crewing.round_tasks import round_run_task
from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale
from microsolidarity.groups.sizes import size_rule
from microsolidarity.matching import AvailabilityError, format_availability, parse_availability
from microsolidarity.matching.union_find import UnionFind
from microsolidarity.zones import zone_checked

# Rounds still under way in a congregation: only one at a time, so nobody is in two.
UNDER_WAY = (RoundStatus.OPEN, RoundStatus.RUNNING, RoundStatus.PREVIEW, RoundStatus.FAILED)
SIGN_UP_STATES = (RoundStatus.OPEN, RoundStatus.PREVIEW, RoundStatus.FAILED)
PROPOSE_STATES = (RoundStatus.OPEN, RoundStatus.PREVIEW, RoundStatus.FAILED)
MAX_LANGUAGES = 20
MAX_INTERESTS = 30


def _sizes_check(congregation: Group, size_min: int, size_max: int) -> None:
    maximum = size_rule(Group(scale=Scale.CREW, parent=congregation)).maximum
    if not 2 <= size_min <= size_max:
        raise RuleBroken(
            _("The smallest crew is two or more, and no larger than the largest."),
            field="size_min",
        )
    if maximum is not None and size_max > maximum:
        raise RuleBroken(
            _("Crews in %(name)s hold at most %(max)s people.")
            % {"name": congregation.name, "max": maximum},
            field="size_max",
        )


# ---------------------------------------------------------------------------------------
# Opening, signing up, pins


@transaction.atomic
def round_open(
    *,
    by,
    congregation: Group,
    title: str,
    deadline: datetime,
    size_min: int = 3,
    size_max: int = 4,
    min_common_minutes: int = 60,
    meeting_minutes: int = 75,
    first_meeting_after: date | None = None,
    template: MeetingTemplate | None = None,
) -> FormationRound:
    """Open a round in a congregation; its members may sign up until the deadline."""
    congregation = Group.objects.select_for_update(of=("self",)).get(pk=congregation.pk)
    if congregation.scale != Scale.CONGREGATION:
        raise RuleBroken(_("Formation rounds are held in congregations."))
    round_host_require(by, congregation)
    title = (title or "").strip()
    if not title:
        raise RuleBroken(_("Give the round a title, like 'Spring crews'."), field="title")
    if deadline is None or timezone.is_naive(deadline):
        raise RuleBroken(_("Give the deadline with its time zone."), field="deadline")
    if deadline <= timezone.now():
        raise RuleBroken(_("Choose a deadline that is still ahead."), field="deadline")
    _sizes_check(congregation, size_min, size_max)
    if not 0 <= min_common_minutes <= 24 * 60:
        raise RuleBroken(
            _("Shared weekly time is between 0 minutes and a day."), field="min_common_minutes"
        )
    meeting_minutes = meeting_length_check(meeting_minutes)
    if first_meeting_after is not None and first_meeting_after < timezone.localdate():
        raise RuleBroken(_("First meetings can't be in the past."), field="first_meeting_after")
    if template is not None and template.congregation_id not in (None, congregation.pk):
        raise RuleBroken(_("Choose a meeting format of this congregation."), field="template")
    under_way = congregation.formation_rounds.filter(status__in=UNDER_WAY).first()
    if under_way is not None:
        raise RuleBroken(
            _("“%(title)s” is still under way: publish or cancel it before opening another.")
            % {"title": under_way.title}
        )
    return FormationRound.objects.create(
        congregation=congregation,
        title=title,
        opened_by=by,
        deadline=deadline,
        size_min=size_min,
        size_max=size_max,
        min_common_minutes=min_common_minutes,
        meeting_minutes=meeting_minutes,
        first_meeting_after=first_meeting_after,
        template=template,
    )


@transaction.atomic
def round_cancel(*, by, formation_round: FormationRound) -> FormationRound:
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
    if round_.status == RoundStatus.PUBLISHED:
        raise RuleBroken(_("This round is published; its crews carry on."))
    round_.status = RoundStatus.CANCELLED
    round_.save(update_fields=["status"])
    return round_


def _clean_list(values, *, limit: int, what: str, field: str) -> list[str]:
    cleaned: list[str] = []
    for value in values or []:
        item = " ".join(str(value).lower().split())
        if item and item not in cleaned:
            cleaned.append(item)
    if len(cleaned) > limit:
        raise RuleBroken(
            _("Up to %(n)s %(what)s, please.") % {"n": limit, "what": what}, field=field
        )
    return cleaned


@transaction.atomic
def round_opt_in(
    *,
    person,
    formation_round: FormationRound,
    timezone_name: str,
    languages: list[str],
    interests: list[str],
    availability: str,
    show_to_hosts: bool = False,
) -> RoundEntry:
    """Sign up (or update a sign-up) with what the person confirms for this round."""
    round_ = round_lock(formation_round)
    if not group_access.is_active_member(person, round_.congregation):
        raise NotAllowed(
            _("Formation rounds are for active members of %(name)s.")
            % {"name": round_.congregation.name}
        )
    _require_sign_ups_open(round_)
    zone = zone_checked(timezone_name).key
    languages = _clean_list(languages, limit=MAX_LANGUAGES, what=_("languages"), field="languages")
    interests = _clean_list(interests, limit=MAX_INTERESTS, what=_("interests"), field="interests")
    if not languages:
        raise RuleBroken(_("Name at least one language you can meet in."), field="languages")
    try:
        windows = parse_availability(availability or "")
    except AvailabilityError as error:
        raise RuleBroken(
            _("Your availability, at character %(column)s: %(message)s")
            % {"column": error.column, "message": error.message},
            field="availability",
        ) from error
    if round_.min_common_minutes > 0 and not windows:
        raise RuleBroken(
            _("Give the weekly times you could meet, like: mon 18:00-20:00; thu 07:00-08:30"),
            field="availability",
        )
    entry, _created = RoundEntry.objects.update_or_create(
        round=round_,
        person=person,
        defaults={
            "timezone": zone,
            "languages": languages,
            "interests": interests,
            "availability": format_availability(windows),
            "show_to_hosts": bool(show_to_hosts),
        },
    )
    return entry


def _require_sign_ups_open(round_: FormationRound) -> None:
    if round_.status == RoundStatus.RUNNING:
        raise RuleBroken(_("Crews are being formed right now: try again in a minute."))
    if round_.status not in SIGN_UP_STATES:
        raise RuleBroken(_("This round is closed: look out for the next one."))
    if round_.deadline <= timezone.now():
        raise RuleBroken(_("Sign-ups for this round have closed."))


@transaction.atomic
def round_opt_out(*, person, formation_round: FormationRound) -> None:
    """Leave a round before it is published. A place in a proposal is given up too."""
    round_ = round_lock(formation_round)
    if round_.status == RoundStatus.RUNNING:
        raise RuleBroken(_("Crews are being formed right now: try again in a minute."))
    if round_.status not in SIGN_UP_STATES:
        raise RuleBroken(_("This round is closed."))
    entry = RoundEntry.objects.filter(round=round_, person=person).first()
    if entry is None:
        return
    placement = (
        ProposedMember.objects.select_related("crew")
        .filter(crew__round=round_, person=person)
        .first()
    )
    RoundUnplaced.objects.filter(round=round_, person=person).delete()
    RoundPin.objects.filter(round=round_, first=person).delete()
    RoundPin.objects.filter(round=round_, second=person).delete()
    entry.delete()
    if placement is not None:
        crew = placement.crew
        placement.delete()
        proposal_refresh(round_, [crew])


@transaction.atomic
def round_pin(*, by, formation_round: FormationRound, first, second, kind: str) -> RoundPin:
    """Pin two people together or apart; contradictions are refused with the reason."""
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
    if round_.status not in PROPOSE_STATES:
        raise RuleBroken(_("Pins can be set until the round is published."))
    if kind not in PinKind.values:
        raise RuleBroken(_("Choose together or apart."), field="kind")
    if first.pk == second.pk:
        raise RuleBroken(_("Choose two different people."), field="second")
    entered = set(
        RoundEntry.objects.filter(round=round_, person__in=[first, second]).values_list(
            "person_id", flat=True
        )
    )
    for person in (first, second):
        if person.pk not in entered:
            raise RuleBroken(
                _("%(name)s has not signed up for this round.") % {"name": person},
                field="first",
            )
    low, high = sorted((first, second), key=lambda p: p.pk)
    existing = RoundPin.objects.filter(round=round_, first=low, second=high).first()
    if existing is not None:
        if existing.kind == kind:
            return existing
        raise RuleBroken(
            _("%(a)s and %(b)s are already pinned %(kind)s: remove that pin first.")
            % {"a": low, "b": high, "kind": PinKind(existing.kind).label.lower()}
        )
    if kind == PinKind.TOGETHER:
        _together_check(round_, low, high)
    return RoundPin.objects.create(round=round_, kind=kind, first=low, second=high, created_by=by)


def _together_check(round_: FormationRound, low, high) -> None:
    """A together pin must not join a group that must be apart, has met, or is too big."""
    pins = list(RoundPin.objects.filter(round=round_).select_related("first", "second"))
    sets = UnionFind[int]()
    for pin in pins:
        if pin.kind == PinKind.TOGETHER:
            sets.union(pin.first_id, pin.second_id)
    sets.union(low.pk, high.pk)
    group = sets.members(low.pk)
    names = {
        entry.person_id: str(entry.person)
        for entry in RoundEntry.objects.filter(round=round_, person_id__in=group).select_related(
            "person"
        )
    }
    for pin in pins:
        if pin.kind == PinKind.APART and pin.first_id in group and pin.second_id in group:
            raise RuleBroken(
                _(
                    "%(a)s and %(b)s are pinned apart, and this pin would put them in one crew. "
                    "Remove one of the pins first."
                )
                % {"a": pin.first, "b": pin.second}
            )
    if len(group) > round_.size_max:
        raise RuleBroken(
            _("That would pin %(n)s people together, more than the largest crew (%(max)s).")
            % {"n": len(group), "max": round_.size_max}
        )
    met = met_pairs(round_.congregation, {str(key) for key in group})
    if met:
        a, b = sorted(met)[0]
        raise RuleBroken(
            _(
                "%(a)s and %(b)s have been in a crew together before; rounds mix people anew, "
                "so they can't be pinned together."
            )
            % {"a": names.get(int(a)) or a, "b": names.get(int(b)) or b}
        )


@transaction.atomic
def round_unpin(*, by, pin: RoundPin) -> None:
    round_ = round_lock(pin.round)
    round_host_require(by, round_)
    if round_.status not in PROPOSE_STATES:
        raise RuleBroken(_("Pins can be changed until the round is published."))
    RoundPin.objects.filter(pk=pin.pk).delete()


# ---------------------------------------------------------------------------------------
# Proposing crews: the engine runs inline for small rounds, in a background task for large ones


@transaction.atomic
def round_propose(*, by, formation_round: FormationRound) -> FormationRound:
    """Propose crews (again, after changes). Large rounds go to the background task queue."""
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
    if round_.status == RoundStatus.RUNNING:
        raise RuleBroken(_("Crews are being formed already: watch the progress below."))
    if round_.status not in PROPOSE_STATES:
        raise RuleBroken(_("This round is closed."))
    _enough_signed_up(round_)
    return _run_start(round_)


def _enough_signed_up(round_: FormationRound) -> None:
    count = round_.entries.count()
    if count < round_.size_min:
        raise RuleBroken(
            _("%(count)s people have signed up; a crew needs %(min)s.")
            % {"count": count, "min": round_.size_min}
        )


def _run_start(round_: FormationRound) -> FormationRound:
    """Claim the locked round for a run: inline when small, on the task queue when large."""
    round_.status = RoundStatus.RUNNING
    round_.progress = 0.0
    round_.progress_note = _("Waiting for a worker to start forming crews.")
    round_.error = ""
    round_.task_id = ""
    round_.save(update_fields=["status", "progress", "progress_note", "error", "task_id"])
    if round_.entries.count() > background_above():
        transaction.on_commit(partial(_enqueue, round_.pk))
        return round_
    # Small rounds run here and now; the claim above commits with the result.
    return round_run_claimed(formation_round=round_)


def _enqueue(round_id: int) -> None:
    result = round_run_task.enqueue(round_id)
    FormationRound.objects.filter(pk=round_id, status=RoundStatus.RUNNING).update(
        task_id=str(result.id)[:64]
    )


@transaction.atomic
def round_sizes_change(
    *, by, formation_round: FormationRound, size_min: int, size_max: int
) -> FormationRound:
    """Change the smallest and largest crew until publishing; a proposal is formed again."""
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
    if round_.status == RoundStatus.PUBLISHED:
        raise RuleBroken(
            _(
                "This round is published, so its crews are made and its sizes stay. A crew "
                "can still welcome or part with members from its own page."
            )
        )
    if round_.status == RoundStatus.RUNNING:
        raise RuleBroken(
            _("Crews are being formed right now: change the sizes once they are ready.")
        )
    if round_.status not in PROPOSE_STATES:
        raise RuleBroken(_("This round is closed, so its sizes stay."))
    _sizes_check(round_.congregation, size_min, size_max)
    _pinned_fit_check(round_, size_max)
    if (size_min, size_max) == (round_.size_min, round_.size_max):
        return round_
    round_.size_min, round_.size_max = size_min, size_max
    round_.save(update_fields=["size_min", "size_max"])
    if round_.status == RoundStatus.OPEN:
        return round_
    # A proposal (or a failed run) was made with the old sizes: form it again with these.
    _enough_signed_up(round_)
    return _run_start(round_)


def _pinned_fit_check(round_: FormationRound, size_max: int) -> None:
    """People pinned together must still fit in the largest crew."""
    sets = UnionFind[int]()
    for first_id, second_id in RoundPin.objects.filter(
        round=round_, kind=PinKind.TOGETHER
    ).values_list("first_id", "second_id"):
        sets.union(first_id, second_id)
    largest = max(sets.groups(), key=len, default=[])
    if len(largest) > size_max:
        names = sorted(
            str(entry.person)
            for entry in RoundEntry.objects.filter(
                round=round_, person_id__in=largest
            ).select_related("person")
        )
        raise RuleBroken(
            _(
                "%(names)s are pinned together: the largest crew must hold %(n)s, "
                "or remove a pin first."
            )
            % {"names": ", ".join(names), "n": len(largest)},
            field="size_max",
        )


# ---------------------------------------------------------------------------------------
# Host adjustments: moving someone


@transaction.atomic
def round_move(
    *,
    by,
    formation_round: FormationRound,
    person,
    to_crew: ProposedCrew | None,
    seen_version: int | None = None,
) -> FormationRound:
    """Move someone to another crew or out of the proposal; broken rules become warnings."""
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
    if round_.status != RoundStatus.PREVIEW:
        raise RuleBroken(_("People can be moved once there is a proposal, until it is published."))
    if seen_version is not None and seen_version != round_.proposal_version:
        raise Conflict(_("The proposal changed since you looked: look again, then move."))
    if not RoundEntry.objects.filter(round=round_, person=person).exists():
        raise RuleBroken(_("%(name)s has not signed up for this round.") % {"name": person})
    if to_crew is not None and to_crew.round_id != round_.pk:
        raise RuleBroken(_("Choose a crew of this round."), field="to_crew")
    placement = (
        ProposedMember.objects.select_related("crew")
        .filter(crew__round=round_, person=person)
        .first()
    )
    source = placement.crew if placement is not None else None
    if source is not None and to_crew is not None and source.pk == to_crew.pk:
        return round_
    if to_crew is None and source is None:
        return round_
    if placement is not None:
        placement.delete()
    RoundUnplaced.objects.filter(round=round_, person=person).delete()
    if to_crew is None:
        RoundUnplaced.objects.create(
            round=round_,
            person=person,
            code=TAKEN_OUT,
            reason=_("Taken out of the proposal by a host."),
        )
    else:
        ProposedMember.objects.create(crew=to_crew, person=person, moved_by_host=True)
    proposal_refresh(round_, [crew for crew in (source, to_crew) if crew is not None])
    return round_
