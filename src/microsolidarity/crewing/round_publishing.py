"""Publishing a formation round: the proposal becomes crews, memberships, first cycles, emails.

Exactly one host wins: the round row is locked and the host names the `proposal_version`
they saw, so two hosts publishing at once make one set of crews.
"""

import math
import zoneinfo
from collections import Counter
from datetime import date, datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import round_emails
from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.models import (
    FormationRound,
    ProposedCrew,
    RoundEntry,
    RoundStatus,
)
from microsolidarity.crewing.round_engine import week_of
from microsolidarity.crewing.round_locks import round_host_require, round_lock
from microsolidarity.errors import Conflict, RuleBroken
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
from microsolidarity.matching.availability import MINUTES_PER_WEEK


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

    def first_from_after(start: int) -> datetime:
        moment = origin + timedelta(minutes=start)
        if moment < after:
            return moment + week * math.ceil((after - moment) / week)
        return moment - week * math.floor((moment - after) / week)

    return min(first_from_after(start) for start, _end in long_enough)


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
def round_publish(*, by, formation_round: FormationRound, seen_version: int) -> FormationRound:
    """Make the proposal real: crews, memberships, first cycles, emails. Exactly one host wins."""
    round_ = round_lock(formation_round)
    round_host_require(by, round_)
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
                    round_emails.crew_email_send,
                    round_id=round_.pk,
                    crew_id=group.pk,
                    person_id=person.pk,
                    explanation=crew.explanation,
                )
            )
    for person_id in entries:
        if person_id not in placed:
            transaction.on_commit(
                partial(round_emails.unplaced_email_send, round_id=round_.pk, person_id=person_id)
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
