"""The pages: a host starts a cohort from a template, people sign up and read their sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.programs.models import Cohort, Program, SeatState


def test_a_host_copies_a_template_and_starts_a_cohort_in_two_forms(client, host, congregation):
    client.force_login(host)
    page = client.get(reverse("program_list"))
    assert b"Start from a template" in page.content
    response = client.post(
        reverse("program_copy"), {"template": "vibes", "owner": congregation.slug}
    )
    program = Program.objects.get(owner=congregation)
    assert response.url == program.get_absolute_url()
    assert program.modules.count() == 5

    form = client.get(reverse("cohort_create", args=[program.slug]))
    assert form.status_code == 200
    first = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT18:00")
    response = client.post(
        reverse("cohort_create", args=[program.slug]),
        {
            "first_session_at": first,
            "host_timezone": "Europe/Berlin",
            "session_days": ["MO", "WE", "FR"],
            "session_minutes": 90,
            "capacity": 20,
            "contribution_url": "https://example.org/pay",
            "contribution_note": "Pay what you can.",
        },
    )
    cohort = Cohort.objects.get(program=program)
    assert response.status_code == 302 and response.url == cohort.get_absolute_url()
    assert cohort.series.occurrences.count() == 5
    detail = client.get(cohort.get_absolute_url())
    assert b"You facilitate this cohort" in detail.content
    assert b"Pay what you can." in detail.content


def test_a_bad_cohort_form_says_what_to_fix_and_keeps_the_answers(client, host, vibes):
    client.force_login(host)
    response = client.post(
        reverse("cohort_create", args=[vibes.slug]),
        {
            "first_session_at": "2001-01-01T18:00",
            "host_timezone": "Europe/Berlin",
            "session_days": ["MO"],
            "session_minutes": 90,
            "capacity": 7,
        },
    )
    assert response.status_code == 200
    assert "Choose a first session that is still ahead." in response.content.decode()
    assert b'value="7"' in response.content
    assert not Cohort.objects.exists()


def test_signing_up_leads_to_the_next_session_page(client, make_cohort, member):
    cohort = make_cohort(capacity=5)
    client.force_login(member)
    response = client.post(reverse("cohort_signup", args=[cohort.slug]))
    assert response.url == reverse("cohort_session", args=[cohort.slug, 1])
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Why small groups" in text
    assert "One to ones" in text  # a practice step
    assert "microsolidarity.cc" in text  # a reading
    assert cohort.seats.get(person=member).state == SeatState.GOING


def test_module_text_is_markdown_without_scripts(client, host, vibes, make_cohort):
    from microsolidarity.programs.services import module_save

    module_save(
        by=host,
        program=vibes,
        number=1,
        title="Why small groups",
        text="**bold** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    cohort = make_cohort()
    client.force_login(host)
    text = client.get(reverse("cohort_session", args=[cohort.slug, 1])).content.decode()
    assert "<strong>bold</strong>" in text
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text
    assert 'href="javascript:' not in text


def test_session_pages_are_for_the_cohorts_people(client, make_cohort, member, make_person):
    cohort = make_cohort()
    url = reverse("cohort_session", args=[cohort.slug, 1])
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert client.get(cohort.get_absolute_url()).status_code == 200
    assert client.get(reverse("cohort_session", args=[cohort.slug, 9])).status_code == 404


def test_a_late_visitor_is_offered_the_next_session(client, make_cohort, member):
    import time_machine

    from microsolidarity.programs.cohorts import sessions_of

    cohort = make_cohort(capacity=5)
    second = sessions_of(cohort)[1]
    client.force_login(member)
    with time_machine.travel(second.starts_at + timedelta(hours=3), tick=False):
        page = client.get(cohort.get_absolute_url()).content.decode()
        assert "you would join from session 3" in page
        response = client.post(reverse("cohort_signup", args=[cohort.slug]))
    assert response.url == reverse("cohort_session", args=[cohort.slug, 3])


@pytest.mark.django_db
def test_the_list_pages_take_a_fixed_number_of_queries(
    client, make_cohort, people, member, django_assert_max_num_queries
):
    from microsolidarity.programs.seats import seat_request

    cohorts = [make_cohort(capacity=4) for _ in range(3)]
    for cohort in cohorts:
        for person in people(5):
            seat_request(person=person, cohort=cohort)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("program_list")).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(cohorts[0].get_absolute_url()).status_code == 200


def test_the_cohort_page_does_not_grow_with_its_people(
    client, make_cohort, people, host, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=30)
    client.force_login(host)
    for person in people(2):
        seat_request(person=person, cohort=cohort)
    client.get(cohort.get_absolute_url())  # the first request also caches the viewer's zone
    with CaptureQueriesContext(connection) as few:
        client.get(cohort.get_absolute_url())
    for person in people(12, prefix="More"):
        seat_request(person=person, cohort=cohort)
    with CaptureQueriesContext(connection) as many:
        client.get(cohort.get_absolute_url())
    assert len(many) == len(few)
