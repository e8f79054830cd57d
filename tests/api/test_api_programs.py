"""The programs API: templates, cohorts, signing up and leaving, and only my own pathway."""

import pytest


@pytest.fixture
def cohort(congregation, host):
    from datetime import timedelta

    from django.utils import timezone

    from microsolidarity.programs.cohorts import cohort_create
    from microsolidarity.programs.services import program_copy

    program = program_copy(by=host, owner=congregation, key="crewing")
    return cohort_create(
        by=host,
        program=program,
        first_session_at=timezone.now() + timedelta(days=2),
        host_timezone="Europe/Berlin",
        capacity=1,
        application_question="",
    )


def test_anyone_reads_the_templates_and_a_public_cohort(client, cohort):
    programs = client.get("/api/v1/programs").json()
    assert [p["title"] for p in programs["items"]] == ["Crewing"]
    detail = client.get(f"/api/v1/programs/{cohort.program.slug}").json()
    assert len(detail["modules"]) == 6 and detail["modules"][0]["practices"][0]["minutes"] == 10
    one = client.get(f"/api/v1/programs/cohorts/{cohort.slug}").json()
    assert len(one["sessions"]) == 6 and one["my_seat"] is None and one["next_session"] == 1


def test_sign_up_then_the_next_waits_then_leave_passes_it_on(client, cohort, make_person):
    first, second = make_person("First"), make_person("Second")
    client.force_login(first)
    body = client.post(
        f"/api/v1/programs/cohorts/{cohort.slug}/sign-up", {}, content_type="application/json"
    ).json()
    assert body["my_seat"]["state"] == "going" and body["places_taken"] == 1
    client.force_login(second)
    body = client.post(
        f"/api/v1/programs/cohorts/{cohort.slug}/sign-up", {}, content_type="application/json"
    ).json()
    assert body["my_seat"] == {"state": "waitlisted", "waitlist_position": 1, "answer": ""}
    client.force_login(first)
    body = client.delete(f"/api/v1/programs/cohorts/{cohort.slug}/sign-up").json()
    assert body["my_seat"]["state"] == "left"
    client.force_login(second)
    assert client.get(f"/api/v1/programs/cohorts/{cohort.slug}").json()["my_seat"]["state"] == (
        "going"
    )


def test_signing_up_needs_a_person_and_refusals_are_readable(client, cohort, host):
    response = client.post(
        f"/api/v1/programs/cohorts/{cohort.slug}/sign-up", {}, content_type="application/json"
    )
    assert response.status_code == 401
    client.force_login(host)
    response = client.post(
        f"/api/v1/programs/cohorts/{cohort.slug}/sign-up", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "facilitate" in response.json()["detail"]
    assert client.get("/api/v1/programs/cohorts/no-such").status_code == 404


def test_the_pathway_is_only_mine(client, make_person):
    from microsolidarity.programs.pathway import pathway_save

    owner, other = make_person("Owner"), make_person("Other")
    pathway_save(person=owner, ratings={"listening": 2}, note="private words")
    assert client.get("/api/v1/programs/pathway").status_code == 401
    client.force_login(other)
    body = client.get("/api/v1/programs/pathway").json()
    assert body["note"] == "" and body["stages"][0]["ratings"]["listening"] is None
    client.force_login(owner)
    body = client.get("/api/v1/programs/pathway").json()
    assert body["note"] == "private words" and body["stages"][0]["ratings"]["listening"] == 2
