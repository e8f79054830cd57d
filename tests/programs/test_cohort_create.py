"""Starting a cohort from a template: its group, sessions, facilitators and breakouts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.errors import NotAllowed, RuleBroken


def test_a_cohort_of_vibes_has_a_session_per_module_on_its_days(make_cohort, vibes):
    from microsolidarity.programs.cohorts import sessions_of

    cohort = make_cohort(session_days="MO,WE,FR")
    sessions = sessions_of(cohort)
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5]
    assert [s.module.title for s in sessions] == list(
        vibes.modules.order_by("number").values_list("title", flat=True)
    )
    starts = [s.starts_at for s in sessions]
    assert starts == sorted(starts)
    # Within 15 days: the five fall on the chosen weekdays (plus the first one's own day).
    assert starts[-1] - starts[0] < timedelta(days=15)
    assert cohort.series.recurrence.endswith("COUNT=5")


def test_the_cohort_group_is_private_and_hosted_by_its_facilitators(
    make_cohort, make_person, congregation, host
):
    from microsolidarity.groups import access
    from microsolidarity.groups.models import Visibility
    from microsolidarity.groups.services import membership_join  # noqa: F401

    cohost = make_person("Cora Cohost")
    cohort = make_cohort(co_facilitators=[cohost])
    assert cohort.group.visibility == Visibility.MEMBERS
    assert set(cohort.facilitators.all()) == {host, cohost}
    assert access.is_host(cohost, cohort.group) and access.is_host(host, cohort.group)
    assert set(cohort.series.hosts.all()) == {host, cohost}
    # Facilitators follow the series: the sessions are in their calendars.
    assert cohort.series.subscriptions.count() == 2


def test_breakouts_are_off_between_sessions(make_cohort):
    from microsolidarity.dyads.models import PairingProgram

    cohort = make_cohort()
    program = PairingProgram.objects.get(group=cohort.group)
    assert program.active is False


def test_only_hosts_of_the_owner_start_cohorts(vibes, member):
    from microsolidarity.programs.cohorts import cohort_create

    with pytest.raises(NotAllowed):
        cohort_create(
            by=member,
            program=vibes,
            first_session_at=timezone.now() + timedelta(days=1),
            host_timezone="UTC",
            capacity=5,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_in": timedelta(hours=-1)}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"host_timezone": "Mars/Olympus"}, "timezone"),
        ({"session_days": "XX"}, "session_days"),
        ({"session_minutes": 5}, "session_minutes"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(make_cohort, changes, field):
    with pytest.raises(RuleBroken) as error:
        make_cohort(**changes)
    assert error.value.field == field
