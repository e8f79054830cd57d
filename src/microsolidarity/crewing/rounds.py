"""Formation rounds: members opt in, the engine proposes crews, hosts adjust, one host publishes.

Locking: every write that changes a round's proposal or its state locks the round row
(`select_for_update`) first, and publishing names the `proposal_version` the host saw, so
two hosts publishing at once make exactly one set of crews.

The engine runs outside any transaction: it can take minutes for thousands of people,
and its progress must be visible to the page while it works. A run is claimed (status
running) and stored (status preview) in two short transactions around it.
"""

import logging
import math
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import round_emails
from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.history import met_pairs_for
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
from microsolidarity.crewing.round_reasons import change_words, reason_words, unplaced_detail
from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import (
    Group,
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Scale,
    Status,
    Visibility,
)
from microsolidarity.groups.services import group_create
from microsolidarity.groups.sizes import size_rule
from microsolidarity.matching import (
    AvailabilityError,
    CrewRules,
    Person,
    check_crews,
    form_crews,
    format_availability,
    parse_availability,
)
from microsolidarity.matching.availability import MINUTES_PER_WEEK
from microsolidarity.matching.explain import explain_crew
from microsolidarity.matching.model import coming_monday

logger = logging.getLogger(__name__)

# Rounds with more sign-ups than this form their crews in a background task;
# settings.CREWING_ROUND_BACKGROUND_ABOVE overrides it (tests lower it).
BACKGROUND_ABOVE = 300
PROGRESS_EVERY_SECONDS = 0.5
ENGINE_TIME_LIMIT_SECONDS = 600
# Rounds still under way in a congregation: only one at a time, so nobody is in two.
UNDER_WAY = (RoundStatus.OPEN, RoundStatus.RUNNING, RoundStatus.PREVIEW, RoundStatus.FAILED)
SIGN_UP_STATES = (RoundStatus.OPEN, RoundStatus.PREVIEW, RoundStatus.FAILED)
FORM_STATES = (RoundStatus.OPEN, RoundStatus.PREVIEW, RoundStatus.FAILED)
MAX_LANGUAGES = 20
MAX_INTERESTS = 30


def background_above() -> int:
    return int(getattr(settings, "CREWING_ROUND_BACKGROUND_ABOVE", BACKGROUND_ABOVE))


def may_host_round(person, congregation: Group) -> bool:
    return group_access.can_manage(person, congregation)


def _require_host(by, round_or_congregation) -> None:
    congregation = getattr(round_or_congregation, "congregation", round_or_congregation)
    if not may_host_round(by, congregation):
        raise NotAllowed(
            _("Only hosts of %(name)s can do this in a formation round.")
            % {"name": congregation.name}
        )


def _lock(round_: FormationRound) -> FormationRound:
    return (
        FormationRound.objects.select_for_update(of=("self",))
        .select_related("congregation")
        .get(pk=round_.pk)
    )


def _valid_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise RuleBroken(
            _("%(value)s is not a time zone name; pick one like Europe/Berlin.") % {"value": name},
            field="timezone",
        ) from error
    return name


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
    _require_host(by, congregation)
    title = (title or "").strip()
    if not title:
        raise RuleBroken(_("Give the round a title, like 'Spring crews'."), field="title")
    if deadline is None or timezone.is_naive(deadline):
        raise RuleBroken(_("Give the deadline with its time zone."), field="deadline")
    if deadline <= timezone.now():
        raise RuleBroken(_("Choose a deadline that is still ahead."), field="deadline")
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
    if not 0 <= min_common_minutes <= 24 * 60:
        raise RuleBroken(
            _("Shared weekly time is between 0 minutes and a day."), field="min_common_minutes"
        )
    if not 15 <= meeting_minutes <= 6 * 60:
        raise RuleBroken(
            _("A meeting can last from 15 minutes to 6 hours."), field="meeting_minutes"
        )
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
def round_cancel(*, by, round: FormationRound) -> FormationRound:
    round_ = _lock(round)
    _require_host(by, round_)
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
    round: FormationRound,
    timezone_name: str,
    languages: list[str],
    interests: list[str],
    availability: str,
    show_to_hosts: bool = False,
) -> RoundEntry:
    """Sign up (or update a sign-up) with what the person confirms for this round."""
    round_ = _lock(round)
    if not group_access.is_active_member(person, round_.congregation):
        raise NotAllowed(
            _("Formation rounds are for active members of %(name)s.")
            % {"name": round_.congregation.name}
        )
    _require_sign_ups_open(round_)
    zone = _valid_zone(timezone_name)
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
def round_opt_out(*, person, round: FormationRound) -> None:
    """Leave a round before it is published. A place in a proposal is given up too."""
    round_ = _lock(round)
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
        _proposal_changed(round_, [crew])


@transaction.atomic
def round_pin(*, by, round: FormationRound, first, second, kind: str) -> RoundPin:
    """Pin two people together or apart; contradictions are refused with the reason."""
    round_ = _lock(round)
    _require_host(by, round_)
    if round_.status not in FORM_STATES:
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
    parent: dict[int, int] = {}

    def find(key: int) -> int:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pin in pins:
        if pin.kind == PinKind.TOGETHER:
            parent[find(pin.first_id)] = find(pin.second_id)
    parent[find(low.pk)] = find(high.pk)
    root = find(low.pk)
    group = {key for key in list(parent) if find(key) == root} | {low.pk, high.pk}
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
    round_ = _lock(pin.round)
    _require_host(by, round_)
    if round_.status not in FORM_STATES:
        raise RuleBroken(_("Pins can be changed until the round is published."))
    RoundPin.objects.filter(pk=pin.pk).delete()


# ---------------------------------------------------------------------------------------
# History: who met whom


def met_pairs(congregation: Group, ids: set[str] | None = None) -> set[tuple[str, str]]:
    """Pairs (sorted id strings) who shared a crew or dyad of this congregation, ever."""
    pairs: set[tuple[str, str]] = set()
    for members in met_groups(congregation, ids):
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs


def met_groups(congregation: Group, ids: set[str] | None = None) -> list[tuple[str, ...]]:
    """Every crew and dyad of the congregation as sorted member-id tuples (alumni included).

    Limited to `ids` when given, and to groups where two or more of them met.
    """
    if ids is None:
        return met_pairs_for(congregation)
    limited = (
        tuple(key for key in members if key in ids) for members in met_pairs_for(congregation)
    )
    return sorted(members for members in limited if len(members) > 1)


# ---------------------------------------------------------------------------------------
# The engine's input


def week_of(round_: FormationRound) -> date:
    """The Monday whose dates turn everyone's local windows into UTC for this round."""
    return coming_monday(round_.first_meeting_after or timezone.localdate())


def engine_rules(round_: FormationRound, history: tuple[tuple[str, ...], ...] = ()) -> CrewRules:
    return CrewRules(
        min_size=round_.size_min,
        max_size=round_.size_max,
        min_common_minutes=round_.min_common_minutes,
        week=week_of(round_),
        history=history,
    )


@dataclass(frozen=True)
class EngineInput:
    people: list[Person]
    rules: CrewRules
    names: dict[str, str]


def engine_input(round_: FormationRound) -> EngineInput:
    """Entries, pins and history as the engine's plain data."""
    entries = list(RoundEntry.objects.filter(round=round_).select_related("person"))
    ids = {str(entry.person_id) for entry in entries}
    together: dict[str, set[str]] = {key: set() for key in ids}
    apart: dict[str, set[str]] = {key: set() for key in ids}
    for kind, first_id, second_id in RoundPin.objects.filter(round=round_).values_list(
        "kind", "first_id", "second_id"
    ):
        a, b = str(first_id), str(second_id)
        if a not in ids or b not in ids:
            continue
        target = together if kind == PinKind.TOGETHER else apart
        target[a].add(b)
        target[b].add(a)
    people = []
    for entry in entries:
        key = str(entry.person_id)
        try:
            windows = parse_availability(entry.availability)
        except AvailabilityError:
            windows = ()
        people.append(
            Person(
                id=key,
                name=str(entry.person),
                timezone=entry.timezone,
                languages=frozenset(entry.languages),
                interests=frozenset(entry.interests),
                availability=windows,
                together=frozenset(together[key]),
                apart=frozenset(apart[key]),
            )
        )
    history = tuple(met_groups(round_.congregation, ids))
    return EngineInput(
        people=people,
        rules=engine_rules(round_, history),
        names={str(entry.person_id): str(entry.person) for entry in entries},
    )


# ---------------------------------------------------------------------------------------
# Forming crews: inline for small rounds, in a background task for large ones


@transaction.atomic
def round_form(*, by, round: FormationRound) -> FormationRound:
    """Form (or re-form) the proposal. Large rounds go to the background task queue."""
    round_ = _lock(round)
    _require_host(by, round_)
    if round_.status == RoundStatus.RUNNING:
        raise RuleBroken(_("Crews are being formed already: watch the progress below."))
    if round_.status not in FORM_STATES:
        raise RuleBroken(_("This round is closed."))
    count = round_.entries.count()
    if count < round_.size_min:
        raise RuleBroken(
            _("%(count)s people have signed up; a crew needs %(min)s.")
            % {"count": count, "min": round_.size_min}
        )
    round_.status = RoundStatus.RUNNING
    round_.progress = 0.0
    round_.progress_note = _("Waiting for a worker to start forming crews.")
    round_.error = ""
    round_.task_id = ""
    round_.save(update_fields=["status", "progress", "progress_note", "error", "task_id"])
    if count > background_above():
        transaction.on_commit(partial(_enqueue, round_.pk))
        return round_
    # Small rounds run here and now; the claim above commits with the result.
    return round_run(round_id=round_.pk)


def _enqueue(round_id: int) -> None:
    from microsolidarity.crewing.rounds_tasks import round_form_task

    result = round_form_task.enqueue(round_id)
    FormationRound.objects.filter(pk=round_id, status=RoundStatus.RUNNING).update(
        task_id=str(result.id)[:64]
    )


def round_progress_record(*, round_id: int, fraction: float, note: str) -> None:
    """Write how far a run is, for the page's progress bar (its own short write)."""
    FormationRound.objects.filter(pk=round_id, status=RoundStatus.RUNNING).update(
        progress=max(0.0, min(1.0, fraction)), progress_note=note[:200]
    )


class _Progress:
    """Engine progress written to the round at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self, round_id: int, count: int):
        self.round_id = round_id
        self.count = count
        self.last = -math.inf

    def note(self, fraction: float, text: str, *, force: bool = False) -> None:
        moment = time.monotonic()
        if force or moment - self.last >= PROGRESS_EVERY_SECONDS:
            self.last = moment
            round_progress_record(round_id=self.round_id, fraction=fraction, note=text)

    def __call__(self, fraction: float) -> None:
        # The engine's share of the bar is 5% to 90%; reading and saving take the rest.
        share = 0.05 + 0.85 * max(0.0, min(1.0, fraction))
        self.note(
            share,
            _("Forming crews for %(count)s people: %(percent)s%%")
            % {"count": self.count, "percent": round(fraction * 100)},
        )


def round_run(*, round_id: int) -> FormationRound:
    """Run the engine for a round claimed by `round_form` (status running) and store the proposal.

    Idempotent: a round that is not running (already stored, cancelled) is left as it is.
    Any failure leaves the round failed with a readable error, so a host can try again.
    """
    round_ = FormationRound.objects.select_related("congregation").filter(pk=round_id).first()
    if round_ is None or round_.status != RoundStatus.RUNNING:
        return round_
    progress = _Progress(round_id, 0)
    try:
        progress.note(0.01, _("Reading the sign-ups."))
        data = engine_input(round_)
        progress.count = len(data.people)
        plan = form_crews(
            data.people,
            data.rules,
            seed=round_.seed,
            time_limit=ENGINE_TIME_LIMIT_SECONDS,
            progress=progress,
        )
        progress.note(0.95, _("Saving the proposal."), force=True)
        return _store(round_id, data, plan)
    except Exception as error:
        logger.exception("Formation round %s failed", round_id)
        return round_fail(round_id=round_id, error=error)


@transaction.atomic
def round_fail(*, round_id: int, error: Exception | str) -> FormationRound:
    round_ = FormationRound.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.RUNNING:
        return round_
    detail = str(error) or error.__class__.__name__
    round_.status = RoundStatus.FAILED
    round_.error = _(
        "Forming crews stopped with an error: %(detail)s. Check the sign-ups and pins, "
        "then try again; if it happens again, tell the site's operators."
    ) % {"detail": detail[:500]}
    round_.progress_note = _("Stopped.")
    round_.save(update_fields=["status", "error", "progress_note"])
    return round_


@transaction.atomic
def _store(round_id: int, data: EngineInput, plan) -> FormationRound:
    round_ = FormationRound.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.RUNNING:
        return round_
    still_in = set(RoundEntry.objects.filter(round=round_).values_list("person_id", flat=True))
    ProposedCrew.objects.filter(round=round_).delete()
    RoundUnplaced.objects.filter(round=round_).delete()
    crews = ProposedCrew.objects.bulk_create(
        ProposedCrew(
            round=round_,
            number=crew.number,
            score=crew.score,
            explanation={**crew.explanation.as_dict(), "warnings": []},
        )
        for crew in plan.crews
    )
    ProposedMember.objects.bulk_create(
        ProposedMember(crew=row, person_id=int(pid))
        for row, crew in zip(crews, plan.crews, strict=True)
        for pid in crew.members
        if int(pid) in still_in
    )
    unplaced = []
    for u in plan.unplaced:
        if int(u.id) not in still_in:
            continue
        detail = unplaced_detail(u, data.names)
        words = " ".join(filter(None, [reason_words(u.code, detail), change_words(detail)]))
        unplaced.append(
            RoundUnplaced(
                round=round_, person_id=int(u.id), code=u.code, detail=detail, reason=words[:300]
            )
        )
    RoundUnplaced.objects.bulk_create(unplaced)
    _mark_worst(round_, crews)
    round_.total_score = plan.total
    round_.worst_score = plan.worst if plan.crews else None
    round_.status = RoundStatus.PREVIEW
    round_.progress = 1.0
    round_.progress_note = _("Done: %(crews)s crews proposed, %(left)s people not placed.") % {
        "crews": len(plan.crews),
        "left": len(plan.unplaced),
    }
    round_.proposal_version += 1
    round_.save(
        update_fields=[
            "total_score",
            "worst_score",
            "status",
            "progress",
            "progress_note",
            "proposal_version",
        ]
    )
    return round_


def _mark_worst(round_: FormationRound, crews: list[ProposedCrew]) -> None:
    """The lowest-scoring crew is highlighted for the host, when there is a choice of crews."""
    ProposedCrew.objects.filter(round=round_).update(is_worst=False)
    scored = [crew for crew in crews if crew.pk is not None]
    if len(scored) < 2:
        return
    worst = min(scored, key=lambda crew: (crew.score, crew.number))
    ProposedCrew.objects.filter(pk=worst.pk).update(is_worst=True)


# ---------------------------------------------------------------------------------------
# Host adjustments: moving someone


@transaction.atomic
def round_move(
    *,
    by,
    round: FormationRound,
    person,
    to_crew: ProposedCrew | None,
    seen_version: int | None = None,
) -> FormationRound:
    """Move someone to another crew or out of the proposal; broken rules become warnings."""
    round_ = _lock(round)
    _require_host(by, round_)
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
            round=round_, person=person, reason=_("Taken out of the proposal by a host.")
        )
    else:
        ProposedMember.objects.create(crew=to_crew, person=person, moved_by_host=True)
    _proposal_changed(round_, [crew for crew in (source, to_crew) if crew is not None])
    return round_


def _warnings(violations, names: dict[str, str], rules: CrewRules) -> list[str]:
    def name(key: str) -> str:
        return names.get(key, key)

    out: list[str] = []
    for violation in violations:
        words = violation.detail.split()
        if violation.rule == "size":
            out.append(
                _("%(detail)s: crews here have %(min)s to %(max)s people.")
                % {"detail": violation.detail, "min": rules.min_size, "max": rules.max_size}
            )
        elif violation.rule == "together" and len(words) == 3:
            out.append(
                _("%(a)s is pinned together with %(b)s, who is not in this crew.")
                % {"a": name(words[0]), "b": name(words[2])}
            )
        elif violation.rule == "apart" and len(words) == 3:
            if words[0] < words[2]:
                out.append(
                    _("%(a)s and %(b)s are pinned apart.")
                    % {"a": name(words[0]), "b": name(words[2])}
                )
        elif violation.rule == "history" and len(words) >= 3:
            out.append(
                _("%(a)s and %(b)s have been in a crew together before.")
                % {"a": name(words[0]), "b": name(words[2])}
            )
        elif violation.rule == "time":
            out.append(
                _("They share no %(min)s minutes in a row each week (the longest is %(run)s).")
                % {"min": rules.min_common_minutes, "run": words[-2] if words else "0"}
            )
        elif violation.rule == "language":
            out.append(_("There is no language everyone in this crew speaks."))
        else:
            out.append(f"{violation.rule}: {violation.detail}")
    return out


def _crew_score(members: list[Person], rules: CrewRules, fallback: float) -> float:
    """The engine's score for a given crew: form exactly one crew of these people, no rules."""
    if len(members) < 2:
        return 0.0
    loose = [replace(p, together=frozenset(), apart=frozenset()) for p in members]
    solo = CrewRules(
        min_size=len(loose),
        max_size=len(loose),
        min_common_minutes=0,
        week=rules.week,
        require_shared_language=False,
    )
    try:
        plan = form_crews(loose, solo, seed=0)
    except ValueError:
        return fallback
    return plan.crews[0].score if len(plan.crews) == 1 else fallback


def _proposal_changed(round_: FormationRound, crews: list[ProposedCrew]) -> None:
    """Re-explain the crews a change touched, record broken rules as warnings, bump the version."""
    data = engine_input(round_)
    by_id = {p.id: p for p in data.people}
    crew_of = _crew_of(round_)
    crews_by_number: dict[int, list[str]] = {}
    for key, number in crew_of.items():
        crews_by_number.setdefault(number, []).append(key)
    ordered = sorted(crews_by_number)
    # Pins are checked against the whole proposal: a partner may sit in another crew.
    violations = check_crews(
        [by_id[key] for key in crew_of if key in by_id],
        [crews_by_number[n] for n in ordered],
        data.rules,
    )
    for crew in crews:
        member_ids = [
            str(pid)
            for pid in ProposedMember.objects.filter(crew=crew)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        ]
        if not member_ids:
            crew.delete()
            continue
        members = [by_id[key] for key in member_ids if key in by_id]
        index = ordered.index(crew.number)
        crew.explanation = {
            **explain_crew(members, data.rules.week_monday).as_dict(),
            "warnings": _warnings(
                [v for v in violations if v.crew == index], data.names, data.rules
            ),
        }
        crew.score = _crew_score(members, data.rules, crew.score)
        crew.save(update_fields=["explanation", "score"])
    remaining = list(ProposedCrew.objects.filter(round=round_))
    # A pin partner's crew elsewhere gains (or loses) a warning too.
    touched = {crew.pk for crew in crews}
    for crew in remaining:
        if crew.pk in touched or crew.number not in crews_by_number:
            continue
        index = ordered.index(crew.number)
        warnings = _warnings([v for v in violations if v.crew == index], data.names, data.rules)
        if warnings != (crew.explanation or {}).get("warnings", []):
            crew.explanation = {**(crew.explanation or {}), "warnings": warnings}
            crew.save(update_fields=["explanation"])
    _mark_worst(round_, remaining)
    sizes = Counter(
        ProposedMember.objects.filter(crew__round=round_).values_list("crew_id", flat=True)
    )
    round_.total_score = sum(crew.score * sizes[crew.pk] for crew in remaining)
    round_.worst_score = min((crew.score for crew in remaining), default=None)
    round_.proposal_version += 1
    round_.save(update_fields=["total_score", "worst_score", "proposal_version"])


def _crew_of(round_: FormationRound) -> dict[str, int]:
    return {
        str(person_id): number
        for person_id, number in ProposedMember.objects.filter(crew__round=round_).values_list(
            "person_id", "crew__number"
        )
    }


# ---------------------------------------------------------------------------------------
# Publishing


def first_meeting_at(
    explanation: dict, *, week_monday: date, after: datetime, meeting_minutes: int
) -> datetime:
    """The first shared weekly UTC window (long enough for a meeting, if any is) from `after` on."""
    spans = [tuple(span) for span in explanation.get("shared_windows_utc") or []]
    if len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == MINUTES_PER_WEEK:
        # A stretch across Sunday midnight is one window.
        spans = [(spans[-1][0], MINUTES_PER_WEEK + spans[0][1]), *spans[1:-1]]
    long_enough = [span for span in spans if span[1] - span[0] >= meeting_minutes]
    if not long_enough and spans:
        longest = max(end - start for start, end in spans)
        long_enough = [span for span in spans if span[1] - span[0] == longest]
    origin = datetime.combine(week_monday, datetime.min.time(), tzinfo=zoneinfo.ZoneInfo("UTC"))
    if not long_enough:
        # No shared time (a host's move broke the rule): an evening slot the crew can move.
        long_enough = [(18 * 60, 18 * 60 + meeting_minutes)]
    week = timedelta(days=7)
    best = None
    for start, _end in long_enough:
        moment = origin + timedelta(minutes=start)
        if moment < after:
            moment += week * math.ceil((after - moment) / week)
        else:
            moment -= week * math.floor((moment - after) / week)
        if best is None or moment < best:
            best = moment
    return best


def _meeting_after(round_: FormationRound) -> datetime:
    # A day's notice at least, so the email is read before the first meeting.
    soonest = timezone.now() + timedelta(days=1)
    if round_.first_meeting_after is None:
        return soonest
    start = datetime.combine(
        round_.first_meeting_after, datetime.min.time(), tzinfo=zoneinfo.ZoneInfo("UTC")
    )
    return max(start, soonest)


def _crew_zone(entries: list[RoundEntry], fallback: str) -> str:
    zones = Counter(entry.timezone for entry in entries)
    return zones.most_common(1)[0][0] if zones else fallback


@transaction.atomic
def round_publish(*, by, round: FormationRound, seen_version: int) -> FormationRound:
    """Make the proposal real: crews, memberships, first cycles, emails. Exactly one host wins."""
    round_ = _lock(round)
    _require_host(by, round_)
    if round_.status == RoundStatus.PUBLISHED:
        when = timezone.localtime(round_.published_at)
        raise Conflict(
            _("This round was already published by %(name)s at %(time)s.")
            % {
                "name": round_.published_by or _("another host"),
                "time": f"{when:%Y-%m-%d %H:%M} ({when.tzname()})",
            }
        )
    if round_.status != RoundStatus.PREVIEW:
        raise RuleBroken(_("There is no proposal to publish yet: form crews first."))
    if int(seen_version) != round_.proposal_version:
        raise Conflict(_("The proposal changed since you looked: look again, then publish."))
    congregation = round_.congregation
    crews = list(ProposedCrew.objects.filter(round=round_).prefetch_related("placements__person"))
    entries = {
        entry.person_id: entry
        for entry in RoundEntry.objects.filter(round=round_).select_related("person")
    }
    active = set(
        Membership.objects.filter(
            group=congregation, state=MembershipState.ACTIVE, person_id__in=list(entries)
        ).values_list("person_id", flat=True)
    )
    for crew in crews:
        people = [placement.person for placement in crew.placements.all()]
        if len(people) < 2:
            raise RuleBroken(
                _("Crew %(number)s has fewer than two people: move them, then publish.")
                % {"number": crew.number}
            )
        gone = [person for person in people if person.pk not in active]
        if gone:
            raise RuleBroken(
                _(
                    "%(names)s no longer belong to %(congregation)s: take them out of the "
                    "proposal, then publish."
                )
                % {"names": ", ".join(map(str, gone)), "congregation": congregation.name}
            )
    week_monday = week_of(round_)
    after = _meeting_after(round_)
    placed: set[int] = set()
    for crew in crews:
        people = sorted(
            (placement.person for placement in crew.placements.all()), key=lambda p: p.pk
        )
        group = _crew_create(round_, crew, people, [entries[p.pk] for p in people])
        starts = first_meeting_at(
            crew.explanation,
            week_monday=week_monday,
            after=after,
            meeting_minutes=round_.meeting_minutes,
        )
        cycle_start(
            crew=group,
            by=by,
            first_meeting_at=starts,
            meeting_minutes=round_.meeting_minutes,
            template=round_.template,
            formation_round=round_,
        )
        for person in people:
            placed.add(person.pk)
            transaction.on_commit(
                partial(
                    round_emails.crew_email,
                    round_id=round_.pk,
                    crew_id=group.pk,
                    person_id=person.pk,
                    explanation=crew.explanation,
                )
            )
    # The person reads only the reason; the change offered is for the host's page.
    reasons = {
        row.person_id: row.reason_text
        for row in RoundUnplaced.objects.filter(round=round_).only(
            "person_id", "reason", "code", "detail"
        )
    }
    for person_id in entries:
        if person_id not in placed:
            transaction.on_commit(
                partial(
                    round_emails.unplaced_email,
                    round_id=round_.pk,
                    person_id=person_id,
                    reason=reasons.get(person_id, ""),
                )
            )
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = timezone.now()
    round_.published_by = by
    round_.save(update_fields=["status", "published_at", "published_by"])
    return round_


def _crew_create(
    round_: FormationRound, crew: ProposedCrew, people: list, entries: list[RoundEntry]
) -> Group:
    """A crew group in the congregation; the first member starts it, everyone joins by formation."""
    first, *rest = people
    group = group_create(
        by=first,
        name=_("%(title)s: crew %(number)s") % {"title": round_.title, "number": crew.number},
        scale=Scale.CREW,
        parent=round_.congregation,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.PARENT,
        group_timezone=_crew_zone(entries, round_.congregation.timezone),
        languages=list(crew.explanation.get("languages") or []),
        status=Status.ACTIVE,
    )
    Membership.objects.filter(group=group, person=first).update(joined_via=JoinedVia.FORMATION)
    started = timezone.now()
    Membership.objects.bulk_create(
        Membership(
            group=group,
            person=person,
            state=MembershipState.ACTIVE,
            joined_via=JoinedVia.FORMATION,
            started_at=started,
        )
        for person in rest
    )
    for person in people:
        group_access.forget_memberships(person)
    return group
