"""Breakout pairs between sessions: the cohort group's dyad pairing program, one round a session.

After session n starts (n below the last), the partners met until session n+1 are drawn
by the dyads app's own round (`dyads.services.pairing_round_run`: the matching engine,
shared times, one trio for an odd count, emails, "we met", check-ins). The program is
kept off between sessions so the dyads schedule never runs a round of its own.

Nobody meets the same partner twice in a cohort. The dyads rule already forbids a repeat
within a cycle; a cycle only restarts once everyone has met everyone, so the cohort runs
no round then. Whoever cannot be given someone new sits that round out, as in dyads.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from microsolidarity.dyads import services as dyad_services
from microsolidarity.dyads.models import PairingMember, PairingProgram, PairingRound
from microsolidarity.dyads.planning import everyone_has_met, pairs_within
from microsolidarity.gatherings.models import OccurrenceStatus
from microsolidarity.groups.models import MembershipState
from microsolidarity.people.models import Person
from microsolidarity.programs.cohorts import a_host, sessions_of
from microsolidarity.programs.models import Cohort


def cohort_pairs(program: PairingProgram) -> set[tuple[str, str]]:
    """Every pair ever placed together in this cohort's breakouts, left pairs included."""
    groups: dict[int, list[str]] = {}
    for pairing_id, person_id in PairingMember.objects.filter(round__program=program).values_list(
        "pairing_id", "person_id"
    ):
        groups.setdefault(pairing_id, []).append(str(person_id))
    met: set[tuple[str, str]] = set()
    for members in groups.values():
        met |= pairs_within(members)
    return met


def _opted_in(program: PairingProgram) -> list[str]:
    """The people the next round would pair: the same query as `pairing_round_run`."""
    return [
        str(pk)
        for pk in Person.objects.filter(
            pairing_opt_ins__program=program,
            pairing_opt_ins__opted_out_at__isnull=True,
            memberships__group=program.group,
            memberships__state=MembershipState.ACTIVE,
            is_active=True,
        ).values_list("pk", flat=True)
    ]


@transaction.atomic
def breakouts_run(*, cohort_id: int, today: date | None = None) -> PairingRound | None:
    """Run the breakout round that is due, if any. Idempotent: a round a session, once."""
    cohort = (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("group", "series")
        .get(pk=cohort_id)
    )
    if cohort.is_called_off:
        return None
    program = PairingProgram.objects.select_for_update().filter(group=cohort.group).first()
    if program is None:
        return None
    now = timezone.now()
    today = today or timezone.localdate()
    sessions = [s for s in sessions_of(cohort) if s.occurrence.status == OccurrenceStatus.SCHEDULED]
    # A round after every session but the last: partners meet before the next session.
    # Once the last has begun there is no "between" left, so a missed round is not made up.
    started = sum(1 for s in sessions if s.starts_at <= now)
    if started == 0 or started >= len(sessions) or program.rounds.count() >= started:
        return None
    last = program.rounds.order_by("-number").first()
    if last is not None and last.starts_on >= today:
        return None
    if everyone_has_met(_opted_in(program), cohort_pairs(program)):
        return None
    host = a_host(cohort)
    following = [s for s in sessions if s.starts_at > now]
    next_on = timezone.localtime(following[0].starts_at).date() if following else today
    dyad_services.program_save(
        by=host,
        group=cohort.group,
        every_weeks=1,
        active=True,
        prompts=program.prompts,
        next_round_on=today,
    )
    round_ = dyad_services.pairing_round_run(program_id=program.pk, today=today)
    dyad_services.program_save(
        by=host,
        group=cohort.group,
        every_weeks=1,
        active=False,
        prompts=program.prompts,
        next_round_on=next_on,
    )
    return round_
