"""The demo has both templates and a Vibes cohort under way, with the demo member in it."""

from django.utils import timezone

from microsolidarity.demo.network import DEMO_MEMBER_EMAIL, demo_network_load


def test_the_demo_has_a_vibes_cohort_under_way(db, client):
    from microsolidarity.dyads.models import PairingMember
    from microsolidarity.programs.cohorts import next_session, sessions_of
    from microsolidarity.programs.models import Cohort, Program, SeatState

    demo_network_load()
    assert sorted(Program.objects.values_list("title", flat=True)) == ["Crewing", "Vibes"]
    crewing = Program.objects.get(title="Crewing")
    assert crewing.owner.scale == "network" and crewing.modules.count() == 6
    cohort = Cohort.objects.get()
    sessions = sessions_of(cohort)
    now = timezone.now()
    assert any(s.starts_at < now for s in sessions) and sessions[-1].starts_at > now
    upcoming = next_session(sessions)
    assert upcoming is not None and upcoming.number > 1
    seat = cohort.seats.get(person__email=DEMO_MEMBER_EMAIL)
    assert seat.state == SeatState.GOING
    assert cohort.facilitators.count() == 2
    past = sum(1 for s in sessions if s.starts_at < now)
    rounds = cohort.group.pairing_program.rounds.count()
    assert rounds == min(past, len(sessions) - 1)
    assert PairingMember.objects.filter(round__program__group=cohort.group).exists()
    # The rule still makes exactly these sessions: nothing more appears when the horizon rolls.
    from microsolidarity.gatherings.occurrences import occurrences_materialise

    assert occurrences_materialise(gathering=cohort.series) == 0

    client.force_login(seat.person)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "You are in." in page and "Breakout partner afterwards" in page
