"""Opting in and out at any time; a partner left alone mid-round is told, re-paired if possible."""

from datetime import date

import pytest
from django.core import mail

from microsolidarity.dyads.models import PairingMember, PairingOptIn, PairState
from microsolidarity.dyads.services import pairing_join, pairing_leave, pairing_round_run
from microsolidarity.errors import NotAllowed
from microsolidarity.groups.models import Membership, Status

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


def partners_of(person):
    place = PairingMember.objects.get(person=person, state=PairState.PAIRED)
    return {m.person_id for m in place.pairing.members.filter(state=PairState.PAIRED)} - {person.pk}


def test_only_active_members_can_opt_in(make_person, program):
    with pytest.raises(NotAllowed):
        pairing_join(person=make_person("Stranger"), program=program)


def test_opting_in_again_after_opting_out_keeps_one_row(joiner, program):
    a = joiner("A")
    pairing_leave(person=a, program=program)
    pairing_join(person=a, program=program)
    choice = PairingOptIn.objects.get(person=a, program=program)
    assert choice.is_in


def test_a_partner_left_alone_is_told_and_waits_for_the_next_round(
    joiner, program, django_capture_on_commit_callbacks
):
    a, b = joiner("A"), joiner("B")
    pairing_round_run(program_id=program.pk, today=MONDAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_leave(person=a, program=program)
    assert [m.to for m in mail.outbox] == [[b.email]]
    assert "you will be paired again in the next round" in mail.outbox[0].body
    left = PairingMember.objects.get(person=a)
    assert left.state == PairState.LEFT
    assert left.pairing.group.status == Status.CLOSED
    assert PairingMember.objects.get(person=b).state == PairState.PARTNER_LEFT


def test_two_people_left_alone_in_a_round_are_paired_together(
    joiner, program, django_capture_on_commit_callbacks
):
    people = [joiner(n) for n in "ABCD"]
    pairing_round_run(program_id=program.pk, today=MONDAY)
    first = people[0]
    (first_partner,) = partners_of(first)
    other = next(p for p in people if p.pk not in (first.pk, first_partner))
    (other_partner,) = partners_of(other)
    pairing_leave(person=first, program=program)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_leave(person=other, program=program)
    assert partners_of_id(first_partner) == {other_partner}
    bodies = " ".join(m.body for m in mail.outbox)
    assert "we found you someone else" in bodies


def partners_of_id(person_id):
    place = PairingMember.objects.get(person_id=person_id, state=PairState.PAIRED)
    return {m.person_id for m in place.pairing.members.filter(state=PairState.PAIRED)} - {person_id}


def test_someone_who_sat_out_is_paired_with_a_partner_left_alone(joiner, program):
    a, b = joiner("A"), joiner("B")
    round_ = pairing_round_run(program_id=program.pk, today=MONDAY)
    waiting = joiner("Waiting")
    # As if the round had found nobody new for them.
    round_.sat_out = [waiting.pk]
    round_.save(update_fields=["sat_out"])
    pairing_leave(person=a, program=program)
    assert partners_of(b) == {waiting.pk}
    round_.refresh_from_db()
    assert round_.sat_out == []


def test_leaving_a_trio_leaves_a_pair_that_carries_on(joiner, program):
    people = [joiner(n) for n in "ABC"]
    pairing_round_run(program_id=program.pk, today=MONDAY)
    pairing_leave(person=people[0], program=program)
    remaining = PairingMember.objects.filter(state=PairState.PAIRED)
    assert remaining.count() == 2
    group = remaining.first().pairing.group
    group.refresh_from_db()
    assert group.status == Status.ACTIVE
    assert Membership.objects.filter(group=group, state="active").count() == 2


def test_someone_who_opts_in_mid_round_waits_for_the_next(joiner, program):
    joiner("A"), joiner("B")
    pairing_round_run(program_id=program.pk, today=MONDAY)
    late = joiner("Late")
    assert not PairingMember.objects.filter(person=late).exists()
