"""Camps: registration answers and the hosts' CSV export, in waitlist order."""

import csv
import io
from datetime import UTC, datetime

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import CAMP_QUESTIONS, RsvpState
from microsolidarity.gatherings.registration import (
    registration_questions,
    registrations_csv,
    registrations_filename,
    registrations_for,
)
from microsolidarity.gatherings.rsvp import rsvp_set

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def camp(congregation, host):
    from microsolidarity.gatherings.services import gathering_create

    return gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        starts_at=datetime(2027, 7, 1, 14, 0, tzinfo=UTC),
        ends_at=datetime(2027, 7, 4, 12, 0, tzinfo=UTC),
        host_timezone="Europe/Lisbon",
        kind="camp",
        mode="in_person",
        place="The old farm",
        capacity=2,
        registration_questions=CAMP_QUESTIONS,
    )


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_camp_questions_are_asked_in_order(camp):
    assert [q["key"] for q in registration_questions(camp)] == ["dietary", "access", "arrival"]
    assert [q["required"] for q in registration_questions(camp)] == [False, False, True]


def test_registering_stores_the_answers_and_a_required_one_cannot_be_left_out(camp, make_person):
    ana = make_person("Ana")
    occurrence = camp.occurrences.get()
    with pytest.raises(RuleBroken, match="When you expect to arrive"):
        rsvp_set(
            state=RsvpState.GOING, person=ana, occurrence=occurrence, answers={"dietary": "vegan"}
        )
    assert not occurrence.rsvps.exists()

    result = rsvp_set(
        state=RsvpState.GOING,
        person=ana,
        occurrence=occurrence,
        answers={"dietary": " vegan ", "arrival": "Thursday evening", "unasked": "x"},
    )
    assert result.rsvp.state == RsvpState.GOING
    assert result.rsvp.answers == {"dietary": "vegan", "arrival": "Thursday evening"}

    again = rsvp_set(
        state=RsvpState.GOING,
        person=ana,
        occurrence=occurrence,
        answers={"arrival": "Friday morning"},
    )
    assert again.rsvp.pk == result.rsvp.pk
    again.rsvp.refresh_from_db()
    assert again.rsvp.answers == {"arrival": "Friday morning"}


def test_the_export_lists_going_then_the_waitlist_in_order_with_answers(
    camp, host, make_person, time_machine
):
    from datetime import timedelta

    from microsolidarity.gatherings.rsvp import rsvp_set

    occurrence = camp.occurrences.get()
    people = [make_person(name) for name in ("Ana", "Ben", "Cai", "Dee", "Eve")]
    for n, person in enumerate(people):
        time_machine.move_to(NOW + timedelta(minutes=n), tick=False)
        rsvp_set(
            state=RsvpState.GOING,
            person=person,
            occurrence=occurrence,
            answers={"arrival": f"day {n}", "access": ""},
        )
    rsvp_set(person=people[1], occurrence=occurrence, state="not_going")  # Cai is promoted

    rows = rows_of(registrations_csv(by=host, gathering=camp))
    assert rows[0] == [
        "Name",
        "Email",
        "State",
        "Waitlist place",
        "Starts (Europe/Lisbon)",
        "Answered at (UTC)",
        "Dietary needs",
        "Access needs",
        "When you expect to arrive",
    ]
    assert [(r[0], r[2], r[3], r[8]) for r in rows[1:]] == [
        ("Ana", "Going", "", "day 0"),
        ("Cai", "Going", "", "day 2"),
        ("Dee", "Waitlisted", "1", "day 3"),
        ("Eve", "Waitlisted", "2", "day 4"),
        ("Ben", "Not going", "", "day 1"),
    ]
    assert rows[1][1] == people[0].email
    assert rows[1][4] == "2027-07-01 15:00"


def test_a_cell_that_a_spreadsheet_would_run_is_defused(camp, host, make_person):
    occurrence = camp.occurrences.get()
    person = make_person("=HYPERLINK(1)")
    rsvp_set(
        state=RsvpState.GOING,
        person=person,
        occurrence=occurrence,
        answers={"arrival": "+1 day", "dietary": "@me"},
    )
    row = rows_of(registrations_csv(by=host, gathering=camp, occurrence=occurrence))[1]
    assert row[0] == "'=HYPERLINK(1)"
    assert row[6] == "'@me"
    assert row[8] == "'+1 day"


def test_a_question_a_spreadsheet_would_run_is_defused_in_the_header(camp, host):
    from microsolidarity.gatherings.models import Gathering

    questions = [
        {"key": "q1", "label": '=HYPERLINK("https://evil.example","x")'},
        {"key": "q2", "label": "-2+3"},
        {"key": "q3", "label": "@SUM(A1)"},
        {"key": "q4", "label": "\tTabbed"},
        {"key": "q5", "label": "Plain question"},
    ]
    Gathering.objects.filter(pk=camp.pk).update(registration_questions=questions)
    camp.refresh_from_db()
    header = rows_of(registrations_csv(by=host, gathering=camp))[0]
    assert header[6:] == [
        """'=HYPERLINK("https://evil.example","x")""",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTabbed",
        "Plain question",
    ]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in header)


def test_an_empty_gathering_exports_just_the_header(camp, host):
    assert len(rows_of(registrations_csv(by=host, gathering=camp))) == 1
    assert registrations_for(by=host, gathering=camp) == []


def test_only_hosts_export(camp, member):
    with pytest.raises(NotAllowed, match="Only the hosts of Summer camp"):
        registrations_csv(by=member, gathering=camp)


def test_the_filename_is_safe(camp):
    camp.slug = 'a"b/../c'
    assert registrations_filename(camp) == "abc-registrations.csv"
    assert (
        registrations_filename(camp, camp.occurrences.get()) == "abc-2027-07-01-registrations.csv"
    )


def test_the_export_page_is_csv_for_hosts_and_refused_to_others(client, camp, host, member):
    occurrence = camp.occurrences.get()
    rsvp_set(
        state=RsvpState.GOING, person=member, occurrence=occurrence, answers={"arrival": "Thursday"}
    )
    client.force_login(host)
    response = client.get(f"/gatherings/{camp.slug}/registrations.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="summer-camp-registrations.csv"'
    )
    assert "Mo Member" in response.content.decode()
    one = client.get(f"/gatherings/{camp.slug}/{occurrence.pk}/registrations.csv")
    assert one.status_code == 200
    assert "summer-camp-2027-07-01-registrations.csv" in one["Content-Disposition"]

    client.force_login(member)
    assert client.get(f"/gatherings/{camp.slug}/registrations.csv").status_code == 403
    client.logout()
    assert client.get(f"/gatherings/{camp.slug}/registrations.csv").status_code == 302
