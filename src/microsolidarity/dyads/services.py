"""Writes for dyads: programs, opting in and out, running a round, outcomes and check-ins.

A round creates one dyad Group per pairing through `groups.services.dyad_create`, so
pairs show up on home pages, person pages and the API like any other dyad.
"""

from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.dyads import access, emails
from microsolidarity.dyads.models import (
    CheckIn,
    Every,
    Outcome,
    Pairing,
    PairingMember,
    PairingOptIn,
    PairingProgram,
    PairingRound,
    PairState,
    RoundStatus,
)
from microsolidarity.dyads.planning import pair_key, pairs_within, plan_round
from microsolidarity.dyads.queries import engine_people, week_of_round
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access as group_access
from microsolidarity.groups import services as group_services
from microsolidarity.groups.models import (
    Group,
    Membership,
    MembershipState,
    Scale,
)
from microsolidarity.people.models import Person
from microsolidarity.periodic import each_survives

PROMPT_LIMIT = 4000


@transaction.atomic
def program_save(
    *,
    by,
    group: Group,
    every_weeks: int = Every.TWO_WEEKS,
    prompts: str = "",
    active: bool = True,
    next_round_on: date | None = None,
) -> PairingProgram:
    """Turn pairing on (or change it) for a congregation, crew or network; hosts only."""
    if group.scale == Scale.DYAD:
        raise RuleBroken(_("A dyad is already a pair: pairing rounds are for larger groups."))
    if not access.can_manage_program(by, group):
        raise NotAllowed(_("Only the hosts of %(name)s can set up pairing.") % {"name": group.name})
    if int(every_weeks) not in Every.values:
        raise RuleBroken(_("Choose every 1, 2 or 4 weeks."), field="every_weeks")
    if len(prompts) > PROMPT_LIMIT:
        raise RuleBroken(_("Keep the prompts under 4,000 characters."), field="prompts")
    program = PairingProgram.objects.select_for_update().filter(group=group).first()
    today = timezone.localdate()
    if program is None:
        program = PairingProgram(group=group, created_by=by, next_round_on=next_round_on or today)
    elif next_round_on is not None:
        program.next_round_on = next_round_on
    program.every_weeks = int(every_weeks)
    program.prompts = prompts.strip()
    program.active = active
    if program.pk is None:
        program.save()
    else:
        program.save(update_fields=["every_weeks", "prompts", "active", "next_round_on"])
    return program


@transaction.atomic
def pairing_join(*, person, program: PairingProgram) -> PairingOptIn:
    """Join the next round; someone who opts in during a round waits for the next one."""
    if not access.can_join_program(person, program.group):
        raise NotAllowed(
            _("Pairing in %(name)s is for its active members.") % {"name": program.group.name}
        )
    choice, created = PairingOptIn.objects.select_for_update().get_or_create(
        program=program, person=person
    )
    if not created and choice.opted_out_at is not None:
        choice.opted_out_at = None
        choice.opted_in_at = timezone.now()
        choice.save(update_fields=["opted_out_at", "opted_in_at"])
    return choice


@transaction.atomic
def pairing_leave(*, person, program: PairingProgram) -> PairingOptIn | None:
    """Stop pairing at once. A partner in the open round is told, and re-paired when possible."""
    choice = PairingOptIn.objects.select_for_update().filter(program=program, person=person).first()
    if choice is None or choice.opted_out_at is not None:
        return choice
    choice.opted_out_at = timezone.now()
    choice.save(update_fields=["opted_out_at"])
    place = (
        PairingMember.objects.select_related("pairing", "pairing__group", "round")
        .filter(
            person=person,
            state=PairState.PAIRED,
            round__program=program,
            round__status=RoundStatus.OPEN,
        )
        .first()
    )
    if place is not None:
        _leave_mid_round(place)
    return choice


def _cycle_pairs(program: PairingProgram, cycle: int) -> set[tuple[str, str]]:
    """Every pair placed together in this cycle, including pairs that a leaver broke up."""
    groups: dict[int, list[str]] = {}
    for pairing_id, person_id in PairingMember.objects.filter(
        round__program=program, round__cycle=cycle
    ).values_list("pairing_id", "person_id"):
        groups.setdefault(pairing_id, []).append(str(person_id))
    met: set[tuple[str, str]] = set()
    for members in groups.values():
        met |= pairs_within(members)
    return met


def _dyad(people: list[Person], parent: Group) -> Group:
    first, second, *rest = people
    name = " & ".join(str(p) for p in people) if not rest else f"{first}, {second} & {rest[0]}"
    return group_services.dyad_create(
        by=first,
        partner=second,
        parent=parent,
        name=name[:120],
        third=rest[0] if rest else None,
    )


def _place(round_: PairingRound, people: list[Person]) -> Pairing:
    dyad = _dyad(people, round_.program.group)
    pairing = Pairing.objects.create(round=round_, group=dyad)
    members = PairingMember.objects.bulk_create(
        [PairingMember(pairing=pairing, round=round_, person=person) for person in people]
    )
    for member in members:
        transaction.on_commit(partial(emails.pairing_email, member_id=member.pk))
    return pairing


def _prompt_for(program: PairingProgram, number: int) -> str:
    prompts = program.prompt_list() or emails.default_prompts()
    return prompts[(number - 1) % len(prompts)]


@transaction.atomic
def pairing_round_run(*, program_id: int, today: date | None = None) -> PairingRound | None:
    """Close the open round and pair everyone opted in anew. Idempotent for a day.

    Returns None when the program is off, or already ran for this date.
    """
    program = (
        PairingProgram.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=program_id)
    )
    today = today or timezone.localdate()
    if not program.active:
        return None
    last = program.rounds.order_by("-number").first()
    if last is not None and last.starts_on >= today:
        return None
    program.rounds.filter(status=RoundStatus.OPEN).update(status=RoundStatus.CLOSED)
    participants = list(
        Person.objects.filter(
            pairing_opt_ins__program=program,
            pairing_opt_ins__opted_out_at__isnull=True,
            memberships__group=program.group,
            memberships__state=MembershipState.ACTIVE,
            is_active=True,
        )
        .select_related("profile")
        .order_by("pk")
    )
    number = (last.number + 1) if last else 1
    week = week_of_round(today)
    plan = plan_round(
        engine_people(participants),
        _cycle_pairs(program, program.cycle),
        week=week,
        seed=program.pk * 1000 + number,
    )
    if plan.new_cycle:
        program.cycle += 1
    round_ = PairingRound.objects.create(
        program=program,
        number=number,
        cycle=program.cycle,
        starts_on=today,
        ends_on=today + timedelta(weeks=program.every_weeks),
        prompt=_prompt_for(program, number),
        sat_out=[int(pid) for pid in plan.sat_out],
    )
    by_id = {str(p.pk): p for p in participants}
    for group_ids in plan.groups:
        _place(round_, [by_id[pid] for pid in group_ids])
    for person_id in plan.sat_out:
        transaction.on_commit(
            partial(emails.sat_out_email, round_id=round_.pk, person_id=int(person_id))
        )
    program.next_round_on = round_.ends_on
    program.save(update_fields=["cycle", "next_round_on"])
    return round_


def pairing_rounds_run_due(*, today: date | None = None) -> int:
    """Run every active program whose next round is due; returns how many rounds ran."""
    today = today or timezone.localdate()
    due = PairingProgram.objects.filter(active=True, next_round_on__lte=today).values_list(
        "pk", flat=True
    )
    # One program that fails is logged; the others still pair their members.
    return each_survives(
        list(due),
        lambda program_id: bool(pairing_round_run(program_id=program_id, today=today)),
        what="The pairing round of program",
    )


def _alone_in_round(round_: PairingRound, exclude: Person) -> list[Person]:
    """People of this open round who are without a partner now and still opted in."""
    left_alone = PairingMember.objects.filter(
        round=round_, state=PairState.PARTNER_LEFT
    ).values_list("person_id", flat=True)
    ids = set(left_alone) | set(round_.sat_out or [])
    ids.discard(exclude.pk)
    paired_now = set(
        PairingMember.objects.filter(round=round_, state=PairState.PAIRED).values_list(
            "person_id", flat=True
        )
    )
    return list(
        Person.objects.filter(
            pk__in=ids - paired_now,
            pairing_opt_ins__program=round_.program,
            pairing_opt_ins__opted_out_at__isnull=True,
            memberships__group=round_.program.group,
            memberships__state=MembershipState.ACTIVE,
        ).order_by("pk")
    )


def _leave_mid_round(place: PairingMember) -> None:
    """The leaver's partner is told; a partner left alone is re-paired with someone else
    left alone in the same round whom they have not met this cycle, else waits for the next."""
    round_ = place.round
    pairing = place.pairing
    place.state = PairState.LEFT
    place.save(update_fields=["state"])
    remaining = list(
        pairing.members.filter(state=PairState.PAIRED).select_related("person").order_by("pk")
    )
    membership = group_access.membership_of(place.person, pairing.group)
    if membership is not None and membership.state in Membership.MEMBER_STATES:
        group_services.membership_leave(person=place.person, group=pairing.group)
    if len(remaining) >= 2:
        # A trio that loses one is still a pair: it carries on.
        for member in remaining:
            transaction.on_commit(
                partial(emails.partner_left_email, member_id=member.pk, repaired=False)
            )
        return
    if not remaining:
        return
    alone = remaining[0]
    alone.state = PairState.PARTNER_LEFT
    alone.save(update_fields=["state"])
    met = _cycle_pairs(round_.program, round_.cycle)
    candidates = [
        person
        for person in _alone_in_round(round_, exclude=alone.person)
        if pair_key(str(person.pk), str(alone.person_id)) not in met
    ]
    if not candidates:
        transaction.on_commit(
            partial(emails.partner_left_email, member_id=alone.pk, repaired=False)
        )
        return
    other = candidates[0]
    PairingMember.objects.filter(round=round_, person=other, state=PairState.PARTNER_LEFT).update(
        state=PairState.REPAIRED
    )
    alone.state = PairState.REPAIRED
    alone.save(update_fields=["state"])
    if other.pk in (round_.sat_out or []):
        round_.sat_out = [pid for pid in round_.sat_out if pid != other.pk]
        round_.save(update_fields=["sat_out"])
    _place(round_, [alone.person, other])
    transaction.on_commit(partial(emails.partner_left_email, member_id=alone.pk, repaired=True))


@transaction.atomic
def outcome_record(*, person, member_id: int, outcome: str) -> PairingMember:
    """One click: "we met" or "we couldn't". Saying it again changes it."""
    if outcome not in (Outcome.MET, Outcome.COULD_NOT):
        raise RuleBroken(_("Say either that you met or that you couldn't."), field="outcome")
    member = (
        PairingMember.objects.select_for_update(of=("self",))
        .select_related("pairing__group", "round")
        .filter(pk=member_id)
        .first()
    )
    if member is None or member.person_id != person.pk:
        raise NotAllowed(_("That link is not for you."))
    member.outcome = outcome
    member.outcome_at = timezone.now()
    member.save(update_fields=["outcome", "outcome_at"])
    return member


CHECKIN_FIELDS = ("spoke", "decided", "carried", "felt")


@transaction.atomic
def checkin_create(
    *,
    author,
    group: Group,
    spoke: int,
    decided: int,
    carried: int,
    felt: int,
    note: str = "",
    summary: str = "",
):
    """A reflection on balance in a dyad; the two of them read it, hosts only the summary."""
    if not access.is_in_pair(author, group):
        raise NotAllowed(_("Only the people in a dyad can check in on it."))
    values = {"spoke": spoke, "decided": decided, "carried": carried, "felt": felt}
    for field, value in values.items():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise RuleBroken(_("Choose one of the five answers."), field=field)
    note, summary = (note or "").strip(), (summary or "").strip()
    if len(note) > 2000:
        raise RuleBroken(_("Keep the note under 2,000 characters."), field="note")
    if len(summary) > 1000:
        raise RuleBroken(_("Keep the summary under 1,000 characters."), field="summary")
    return CheckIn.objects.create(group=group, author=author, note=note, summary=summary, **values)
