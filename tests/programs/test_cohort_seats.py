"""Places in a cohort: open sign-up, applications, the waiting list, leaving, late joiners."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from microsolidarity.errors import RuleBroken
from microsolidarity.programs.models import SeatState


def test_signing_up_gives_the_group_the_sessions_and_the_breakouts(
    make_cohort, people, django_capture_on_commit_callbacks
):
    from microsolidarity.dyads.models import PairingOptIn
    from microsolidarity.gatherings.models import Rsvp, RsvpState
    from microsolidarity.groups import access
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=3)
    (ana,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        result = seat_request(person=ana, cohort=cohort)
    assert result.seat.state == SeatState.GOING
    assert access.is_active_member(ana, cohort.group)
    going = Rsvp.objects.filter(person=ana, occurrence__gathering=cohort.series)
    assert going.filter(state=RsvpState.GOING).count() == 5
    assert PairingOptIn.objects.filter(person=ana, program__group=cohort.group).exists()
    welcome = [m for m in mail.outbox if m.to == [ana.email]]
    assert len(welcome) == 1
    assert "You have a place" in welcome[0].subject
    assert welcome[0].attachments[0][0] == "sessions.ics"


def test_signing_up_twice_changes_nothing(make_cohort, people):
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=3)
    (ana,) = people(1)
    first = seat_request(person=ana, cohort=cohort).seat
    again = seat_request(person=ana, cohort=cohort).seat
    assert first.pk == again.pk and again.state == SeatState.GOING
    assert cohort.seats.count() == 1


def test_when_full_people_wait_in_order_and_a_freed_place_goes_to_the_first(make_cohort, people):
    from microsolidarity.groups import access
    from microsolidarity.programs.seats import seat_leave, seat_request

    cohort = make_cohort(capacity=2)
    ana, ben, cai, dee = people(4)
    for person in (ana, ben):
        assert seat_request(person=person, cohort=cohort).seat.state == SeatState.GOING
    cai_result = seat_request(person=cai, cohort=cohort)
    dee_result = seat_request(person=dee, cohort=cohort)
    assert (cai_result.seat.state, cai_result.waitlist_position) == (SeatState.WAITLISTED, 1)
    assert dee_result.waitlist_position == 2
    assert not access.is_member(cai, cohort.group)

    left = seat_leave(person=ana, cohort=cohort)
    assert left.seat.state == SeatState.LEFT
    assert left.promoted.person == cai
    access.forget_memberships(ana)
    access.forget_memberships(cai)
    assert not access.is_member(ana, cohort.group)
    assert access.is_active_member(cai, cohort.group)
    assert cohort.seats.filter(state=SeatState.GOING).count() == 2


def test_leaving_frees_the_sessions_and_stops_the_breakouts(make_cohort, people):
    from microsolidarity.dyads.models import PairingOptIn
    from microsolidarity.gatherings.models import Rsvp, RsvpState
    from microsolidarity.programs.seats import seat_leave, seat_request

    cohort = make_cohort(capacity=2)
    (ana,) = people(1)
    seat_request(person=ana, cohort=cohort)
    seat_leave(person=ana, cohort=cohort)
    assert not Rsvp.objects.filter(person=ana, state=RsvpState.GOING).exists()
    assert PairingOptIn.objects.get(person=ana).opted_out_at is not None


def test_an_application_waits_for_the_facilitators(make_cohort, people, host, member):
    from microsolidarity.errors import NotAllowed
    from microsolidarity.programs.seats import seat_accept, seat_decline, seat_request

    cohort = make_cohort(capacity=1, application_question="What brings you here?")
    ana, ben = people(2)
    with pytest.raises(RuleBroken) as error:
        seat_request(person=ana, cohort=cohort)
    assert error.value.field == "answer"
    seat = seat_request(person=ana, cohort=cohort, answer="Curiosity").seat
    assert seat.state == SeatState.APPLIED
    with pytest.raises(NotAllowed):
        seat_accept(by=member, seat=seat)
    assert seat_accept(by=host, seat=seat).seat.state == SeatState.GOING
    other = seat_request(person=ben, cohort=cohort, answer="A friend").seat
    assert seat_accept(by=host, seat=other).seat.state == SeatState.WAITLISTED
    assert seat_decline(by=host, seat=other).state == SeatState.DECLINED
    with pytest.raises(RuleBroken):
        seat_request(person=ben, cohort=cohort, answer="Please")


def test_facilitators_do_not_take_a_place(make_cohort, host):
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=1)
    with pytest.raises(RuleBroken):
        seat_request(person=host, cohort=cohort)


def test_a_late_joiner_gets_the_sessions_ahead_and_is_shown_the_next(make_cohort, people):
    from microsolidarity.gatherings.models import Rsvp, RsvpState
    from microsolidarity.programs.cohorts import next_session, sessions_of
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=5, session_days="MO,WE,FR")
    sessions = sessions_of(cohort)
    (late,) = people(1)
    with time_machine.travel(sessions[2].starts_at + timedelta(hours=3), tick=False):
        seat_request(person=late, cohort=cohort)
        assert next_session(sessions).number == 4
    going = Rsvp.objects.filter(person=late, state=RsvpState.GOING).select_related("occurrence")
    assert sorted(r.occurrence.pk for r in going) == [s.occurrence.pk for s in sessions[3:]]


def test_sign_ups_close_when_the_last_session_starts(make_cohort, people):
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=5)
    (late,) = people(1)
    closing = sessions_of(cohort)[-1].starts_at
    with time_machine.travel(closing, tick=False), pytest.raises(RuleBroken) as error:
        seat_request(person=late, cohort=cohort)
    assert "closed" in error.value.message
    assert timezone.now() < sessions_of(cohort)[-1].starts_at


def test_a_cohort_called_off_takes_no_sign_ups_and_runs_no_breakouts(make_cohort, people, host):
    import time_machine as clock

    from microsolidarity.gatherings.services import gathering_cancel
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.periodic import cohorts_tick
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=5)
    ana, ben, cai = people(3)
    seat_request(person=ana, cohort=cohort)
    seat_request(person=ben, cohort=cohort)
    gathering_cancel(by=host, gathering=cohort.series, note="Not enough facilitators.")
    cohort.refresh_from_db()
    assert cohort.is_called_off
    with pytest.raises(RuleBroken) as error:
        seat_request(person=cai, cohort=cohort)
    assert "called off" in error.value.message
    with clock.travel(sessions_of(cohort)[0].starts_at + timedelta(minutes=5), tick=False):
        assert breakouts_run(cohort_id=cohort.pk) is None
        assert cohorts_tick() == (0, 0)


def test_someone_who_left_may_come_back_while_places_are_free(make_cohort, people):
    from microsolidarity.dyads.models import PairingOptIn
    from microsolidarity.groups.models import Membership, MembershipState
    from microsolidarity.programs.seats import seat_leave, seat_request

    cohort = make_cohort(capacity=2)
    (ana,) = people(1)
    seat_request(person=ana, cohort=cohort)
    seat_leave(person=ana, cohort=cohort)
    again = seat_request(person=ana, cohort=cohort).seat
    assert again.state == SeatState.GOING
    assert Membership.objects.get(group=cohort.group, person=ana).state == MembershipState.ACTIVE
    assert PairingOptIn.objects.get(person=ana).opted_out_at is None
