"""A member opts in to pairing, receives a partner, marks "we met" and writes a check-in."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, axe_check, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_opt_in_receive_a_partner_mark_we_met_and_check_in(
    new_page, axe_check, verified_person, network, host
):
    from microsolidarity.dyads.models import CheckIn, PairingMember
    from microsolidarity.dyads.services import pairing_join, pairing_round_run, program_save
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join

    circle = group_create(
        by=host,
        name="Harbour Circle",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    program = program_save(by=host, group=circle, every_weeks=2, prompts="What is alive for you?")
    ana = verified_person("Ana Alves", "ana@example.org")
    ben = verified_person("Ben Brandt", "ben@example.org")
    for person, zone in ((ana, "Europe/Lisbon"), (ben, "Europe/Berlin")):
        person.profile.timezone = zone
        person.profile.availability = "tue 18:00-20:00"
        person.profile.languages = ["en"]
        person.profile.save()
        membership_join(person=person, group=circle)
    pairing_join(person=ben, program=program)

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, axe_check, "ana@example.org")
    page.goto("/dyads/")
    axe_check(page)
    page.get_by_role("button", name="Opt in to pairing in Harbour Circle").click()
    expect(page.get_by_role("status")).to_contain_text("You are in")
    axe_check(page)

    pairing_round_run(program_id=program.pk, today=date(2026, 3, 2))
    page.reload()
    expect(page.get_by_text("Ben Brandt", exact=True)).to_be_visible()
    expect(page.get_by_text("Tue 3 Mar, 18:00–19:00")).to_be_visible()
    expect(page.get_by_text("What is alive for you?")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="We met").click()
    expect(page.get_by_role("status")).to_contain_text("We met")
    assert PairingMember.objects.get(person=ana).outcome == "met"

    page.get_by_role("link", name="Check in on our balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership check-in")
    axe_check(page)
    page.get_by_role("group", name="Who spoke more?").get_by_label("About even").check()
    page.get_by_role("group", name="Who decided more?").get_by_label("More my partner").check()
    page.get_by_role("group", name="Who carried the work?").get_by_label("More me").check()
    page.get_by_role("group", name="How did it feel?").get_by_label("Good").check()
    page.get_by_label("A note for the two of us").fill("Next time I pick the topic.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in saved")
    expect(page.get_by_role("table")).to_contain_text("Next time I pick the topic.")
    axe_check(page)
    check_in = CheckIn.objects.get(author=ana)
    assert (check_in.spoke, check_in.decided, check_in.carried, check_in.felt) == (3, 4, 2, 4)
