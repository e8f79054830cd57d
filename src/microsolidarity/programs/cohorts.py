"""Starting a cohort from a program: its group, its session series, its breakout pairing.

A cohort is built from the apps below it, through their services (decision 0014-a):
the people meet as a congregation-scale group of their own; the sessions are one
gathering series (so calendar feeds and reminders come with it); breakouts are the
group's dyad pairing program, driven session by session (`breakouts.py`); the last
module opens the group's formation round (`formation.py`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.dyads import services as dyad_services
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import rsvp
from microsolidarity.gatherings import services as gathering_services
from microsolidarity.gatherings.models import Audience, CallLinkAudience, Kind, Mode, Occurrence
from microsolidarity.groups import access as group_access
from microsolidarity.groups import services as group_services
from microsolidarity.groups.models import JoinPolicy, Role, Scale, Visibility
from microsolidarity.programs import access
from microsolidarity.programs.models import Cohort, Module, Program
from microsolidarity.programs.services import days_check, unique_slug
from microsolidarity.zones import zone_checked

MAX_CAPACITY = 500


@dataclass(frozen=True)
class Session:
    number: int
    occurrence: Occurrence
    module: Module | None

    @property
    def starts_at(self) -> datetime:
        return self.occurrence.starts_at


def sessions_of(cohort: Cohort) -> list[Session]:
    """Session n is the series' n-th occurrence (by where the rule put it) and module n."""
    occurrences = list(cohort.series.occurrences.order_by("original_starts_at", "pk"))
    modules = {m.number: m for m in cohort.program.modules.all()}
    return [
        Session(number=n, occurrence=o, module=modules.get(n))
        for n, o in enumerate(occurrences, start=1)
    ]


def next_session(sessions: list[Session], now: datetime | None = None) -> Session | None:
    """The session going on now, else the next one: what a late joiner is shown first."""
    now = now or timezone.now()
    for session in sessions:
        if session.occurrence.ends_at > now:
            return session
    return None


def a_host(cohort: Cohort):
    """Someone who may act for the cohort in the apps below: a facilitator hosting its group."""
    for person in cohort.facilitators.order_by("pk"):
        if group_access.is_host(person, cohort.group):
            return person
    raise RuleBroken(_("This cohort has no facilitator hosting it any more: ask the hosts."))


def _network_for(by, owner):
    network = owner if owner.scale == Scale.NETWORK else owner.parent
    if network is not None and group_access.can_create_inside(by, network, Scale.CONGREGATION):
        return network
    return None


@transaction.atomic
def cohort_create(
    *,
    by,
    program: Program,
    first_session_at: datetime,
    host_timezone: str,
    capacity: int,
    title: str = "",
    session_days: str | list[str] = "",
    session_minutes: int | None = None,
    application_question: str = "",
    contribution_url: str = "",
    contribution_note: str = "",
    call_link: str = "",
    co_facilitators=(),
) -> Cohort:
    """One run of a program: a session per module, on the chosen days, from the first session."""
    if not access.can_manage_program(by, program):
        raise NotAllowed(
            _("Only the hosts of %(name)s can start a cohort of this program.")
            % {"name": program.owner.name}
        )
    modules = program.modules.count()
    if modules == 0:
        raise RuleBroken(_("Add a module to the program first: each session follows one."))
    if first_session_at is None or timezone.is_naive(first_session_at):
        raise RuleBroken(_("Give the first session's time with its time zone."), field="starts_at")
    if first_session_at <= timezone.now():
        raise RuleBroken(_("Choose a first session that is still ahead."), field="starts_at")
    zone = zone_checked(host_timezone)
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise RuleBroken(_("Give from 1 to 500 places."), field="capacity")
    minutes = int(session_minutes or program.session_minutes)
    if not 15 <= minutes <= 480:
        raise RuleBroken(_("A session lasts from 15 minutes to 8 hours."), field="session_minutes")
    first_day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[
        first_session_at.astimezone(zone).weekday()
    ]
    days = days_check(session_days or program.session_days)
    # The first session is the first occurrence whatever the days: its weekday is one of them.
    days = days_check([*days.split(","), first_day])
    title = (title or "").strip() or _("%(program)s, from %(date)s") % {
        "program": program.title,
        "date": f"{first_session_at.astimezone(zone):%d %b %Y}",
    }
    co_facilitators = [p for p in co_facilitators if p.pk != by.pk]
    group = group_services.group_create(
        by=by,
        name=title[:120],
        scale=Scale.CONGREGATION,
        parent=_network_for(by, program.owner),
        description=program.summary,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.MEMBERS,
        group_timezone=host_timezone,
    )
    for person in co_facilitators:
        group_services.membership_invite(by=by, group=group, person=person)
        group_services.membership_accept(person=person, group=group)
        group_services.host_assign(by=by, group=group, person=person, role=Role.CO_HOST)
    series = gathering_services.gathering_create(
        by=by,
        group=group,
        title=title[:140],
        starts_at=first_session_at,
        ends_at=first_session_at + timedelta(minutes=minutes),
        host_timezone=host_timezone,
        recurrence=f"FREQ=WEEKLY;BYDAY={days};COUNT={modules}",
        description=program.summary,
        kind=Kind.CALL,
        mode=Mode.ONLINE,
        call_link=call_link,
        call_link_audience=CallLinkAudience.MEMBERS,
        audience=Audience.MEMBERS,
        contribution_url=contribution_url,
        contribution_note=contribution_note,
        co_hosts=co_facilitators,
    )
    made = series.occurrences.count()
    if made != modules:
        raise RuleBroken(
            _("Only %(made)s of %(wanted)s sessions fit in the coming year: start sooner.")
            % {"made": made, "wanted": modules},
            field="starts_at",
        )
    cohort = Cohort(
        program=program,
        group=group,
        series=series,
        title=title[:140],
        slug=unique_slug(Cohort, title),
        capacity=capacity,
        application_question=(application_question or "").strip()[:500],
        contribution_url=series.contribution_url,
        contribution_note=series.contribution_note,
        created_by=by,
    )
    cohort.save()
    cohort.facilitators.add(by, *co_facilitators)
    for person in [by, *co_facilitators]:
        rsvp.series_subscribe(person=person, gathering=series)
    first = series.occurrences.order_by("starts_at").first()
    first_starts = first.starts_at if first is not None else first_session_at
    dyad_services.program_save(
        by=by,
        group=group,
        every_weeks=1,
        prompts="\n".join(
            m.reflection_prompt for m in program.modules.all() if m.reflection_prompt
        ),
        # Off between sessions: the cohort runs each round itself (breakouts.py).
        active=False,
        next_round_on=timezone.localtime(first_starts, zone).date(),
    )
    return cohort
