"""Running a pairing round: dyad Groups for every pair, one trio for odd counts, emails to each."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from microsolidarity.dyads.models import Pairing, PairingMember, PairState, RoundStatus
from microsolidarity.dyads.services import pairing_round_run, pairing_rounds_run_due
from microsolidarity.groups.models import Membership, Scale

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


def groups_of(round_):
    return sorted(
        sorted(m.person_id for m in pairing.members.all()) for pairing in round_.pairings.all()
    )


def test_a_round_pairs_everyone_who_opted_in_in_dyad_groups(joiner, program):
    people = [joiner(f"P{i}") for i in range(4)]
    round_ = pairing_round_run(program_id=program.pk, today=MONDAY)
    assert round_.number == 1 and round_.status == RoundStatus.OPEN
    placed = [pid for group in groups_of(round_) for pid in group]
    assert sorted(placed) == sorted(p.pk for p in people)
    for pairing in round_.pairings.select_related("group"):
        assert pairing.group.scale == Scale.DYAD
        assert pairing.group.parent_id == program.group_id
        assert pairing.group.memberships.filter(state="active").count() == 2


def test_an_odd_count_makes_exactly_one_trio(joiner, program):
    for i in range(5):
        joiner(f"P{i}")
    round_ = pairing_round_run(program_id=program.pk, today=MONDAY)
    sizes = sorted(len(g) for g in groups_of(round_))
    assert sizes == [2, 3]
    trio = next(p for p in round_.pairings.all() if p.members.count() == 3)
    assert Membership.objects.filter(group=trio.group, state="active").count() == 3


def test_nobody_meets_the_same_partner_again_until_everyone_has_met(joiner, program):
    for i in range(4):
        joiner(f"P{i}")
    seen = []
    for week in range(3):
        round_ = pairing_round_run(program_id=program.pk, today=MONDAY + timedelta(weeks=2 * week))
        seen.extend(tuple(g) for g in groups_of(round_))
    assert len(seen) == len(set(seen)) == 6
    fourth = pairing_round_run(program_id=program.pk, today=MONDAY + timedelta(weeks=6))
    assert fourth.cycle == 2
    assert len(groups_of(fourth)) == 2


def test_a_new_round_closes_the_last_and_the_same_day_does_not_run_twice(joiner, program):
    joiner("A"), joiner("B")
    first = pairing_round_run(program_id=program.pk, today=MONDAY)
    assert pairing_round_run(program_id=program.pk, today=MONDAY) is None
    pairing_round_run(program_id=program.pk, today=MONDAY + timedelta(weeks=2))
    first.refresh_from_db()
    assert first.status == RoundStatus.CLOSED


def test_someone_alone_gets_no_partner_and_a_round_still_records(joiner, program):
    joiner("Solo")
    round_ = pairing_round_run(program_id=program.pk, today=MONDAY)
    assert round_.pairings.count() == 0
    assert len(round_.sat_out) == 1


def test_people_who_opted_out_or_left_the_group_are_not_paired(joiner, program, circle):
    from microsolidarity.dyads.services import pairing_leave
    from microsolidarity.groups.services import membership_leave

    a, b, c, d = (joiner(n) for n in "ABCD")
    pairing_leave(person=c, program=program)
    membership_leave(person=d, group=circle)
    round_ = pairing_round_run(program_id=program.pk, today=MONDAY)
    assert groups_of(round_) == [sorted([a.pk, b.pk])]


def test_each_email_shows_the_shared_times_in_the_readers_own_zone(
    joiner, program, django_capture_on_commit_callbacks
):
    lisbon = joiner("Ana", timezone="Europe/Lisbon", availability="tue 18:00-20:00")
    berlin = joiner("Ben", timezone="Europe/Berlin", availability="tue 19:00-22:00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round_run(program_id=program.pk, today=MONDAY)
    by_to = {m.to[0]: m.body for m in mail.outbox}
    # 18:00-20:00 in Lisbon and 19:00-22:00 in Berlin share 18:00-20:00 UTC (winter): 19-21 Berlin.
    assert "Tue 3 Mar, 18:00–20:00" in by_to[lisbon.email]
    assert "Europe/Lisbon" in by_to[lisbon.email]
    assert "Tue 3 Mar, 19:00–21:00" in by_to[berlin.email]
    assert "Ben" in by_to[lisbon.email] and "Ana" in by_to[berlin.email]
    assert "What is alive for you?" in by_to[lisbon.email]
    assert "/dyads/outcome/" in by_to[lisbon.email]


def test_the_times_move_with_daylight_saving(joiner, program):
    from microsolidarity.dyads.queries import current_places

    lisbon = joiner("Ana", timezone="Europe/Lisbon", availability="tue 18:00-20:00")
    joiner("Ben", timezone="America/New_York", availability="tue 13:00-16:00")
    # 9 March 2026: New York is on summer time, Lisbon not yet: 13:00 NY = 17:00 UTC.
    pairing_round_run(program_id=program.pk, today=date(2026, 3, 9))
    (place,) = current_places(lisbon)
    assert place.times_here == ["Tue 10 Mar, 18:00–20:00"]


def test_without_shared_time_the_email_says_to_write_to_each_other(
    joiner, program, django_capture_on_commit_callbacks
):
    joiner("Early", availability="mon 06:00-07:00")
    joiner("Late", availability="fri 22:00-23:00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_round_run(program_id=program.pk, today=MONDAY)
    assert len(mail.outbox) == 2
    assert all("write to each other" in m.body for m in mail.outbox)


def test_the_command_runs_due_rounds_only(joiner, program, circle, host):
    from microsolidarity.dyads.services import program_save

    joiner("A"), joiner("B")
    program_save(by=host, group=circle, next_round_on=timezone.localdate() + timedelta(days=3))
    assert pairing_rounds_run_due() == 0
    program_save(by=host, group=circle, next_round_on=timezone.localdate())
    out = io.StringIO()
    call_command("run_pairing_rounds", stdout=out)
    assert "1 pairing rounds started" in out.getvalue()
    program.refresh_from_db()
    assert program.rounds.count() == 1
    assert program.next_round_on == timezone.localdate() + timedelta(weeks=2)


def test_a_paused_program_runs_no_round(joiner, program, circle, host):
    from microsolidarity.dyads.services import program_save

    joiner("A"), joiner("B")
    program_save(by=host, group=circle, active=False)
    assert pairing_round_run(program_id=program.pk, today=MONDAY) is None


def test_outcome_is_one_click_and_can_change(joiner, program):
    from microsolidarity.dyads.services import outcome_record

    a = joiner("A")
    joiner("B")
    pairing_round_run(program_id=program.pk, today=MONDAY)
    place = PairingMember.objects.get(person=a)
    outcome_record(person=a, member_id=place.pk, outcome="met")
    outcome_record(person=a, member_id=place.pk, outcome="could_not")
    place.refresh_from_db()
    assert place.outcome == "could_not" and place.outcome_at is not None


def test_an_outcome_is_refused_for_someone_elses_place(joiner, program):
    from microsolidarity.dyads.services import outcome_record
    from microsolidarity.errors import NotAllowed

    a, b = joiner("A"), joiner("B")
    pairing_round_run(program_id=program.pk, today=MONDAY)
    with pytest.raises(NotAllowed):
        outcome_record(person=b, member_id=PairingMember.objects.get(person=a).pk, outcome="met")


def test_pairs_show_up_as_dyads_on_the_home_page(joiner, program, client):
    a = joiner("Alma")
    joiner("Bruno")
    pairing_round_run(program_id=program.pk, today=MONDAY)
    client.force_login(a)
    assert "Alma &amp; Bruno" in client.get("/").content.decode() or "Bruno &amp; Alma" in (
        client.get("/").content.decode()
    )
    assert Pairing.objects.count() == 1
    assert PairingMember.objects.filter(state=PairState.PAIRED).count() == 2
