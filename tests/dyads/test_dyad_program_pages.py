"""Program pages: hosts turn pairing on; members opt in and out; one-click outcome links."""

from datetime import date

import pytest
from django.urls import reverse

from microsolidarity.dyads.links import outcome_url
from microsolidarity.dyads.models import PairingMember, PairingProgram
from microsolidarity.dyads.services import pairing_round_run, program_save
from microsolidarity.errors import NotAllowed, RuleBroken

pytestmark = pytest.mark.django_db


def test_a_host_turns_pairing_on_from_the_page(client, host, congregation):
    client.force_login(host)
    url = reverse("dyads_program", args=[congregation.slug])
    response = client.post(url, {"every_weeks": 4, "prompts": "Hello?", "active": "on"})
    assert response.status_code == 302
    program = PairingProgram.objects.get(group=congregation)
    assert program.every_weeks == 4 and program.prompt_list() == ["Hello?"]


def test_members_cannot_change_settings_and_outsiders_see_nothing(
    client, member, congregation, make_person, host
):
    program_save(by=host, group=congregation)
    with pytest.raises(NotAllowed):
        program_save(by=member, group=congregation, every_weeks=1)
    client.force_login(member)
    url = reverse("dyads_program", args=[congregation.slug])
    assert client.get(url).status_code == 200
    assert client.post(url, {"every_weeks": 1}).status_code == 404
    client.force_login(make_person("Outsider"))
    assert client.get(url).status_code == 404


def test_only_every_one_two_or_four_weeks(host, congregation):
    with pytest.raises(RuleBroken):
        program_save(by=host, group=congregation, every_weeks=3)


def test_opting_in_and_out_from_the_page(client, member, congregation, host):
    program = program_save(by=host, group=congregation)
    client.force_login(member)
    client.post(reverse("dyads_opt_in", args=[congregation.slug]))
    assert program.opt_ins.get(person=member).is_in
    client.post(reverse("dyads_opt_out", args=[congregation.slug]), {"next": "//evil.example"})
    assert not program.opt_ins.get(person=member).is_in


def test_the_emailed_link_shows_a_button_and_the_button_records(joiner, program, client):
    a = joiner("A")
    joiner("B")
    pairing_round_run(program_id=program.pk, today=date(2026, 3, 2))
    place = PairingMember.objects.get(person=a)
    url = outcome_url(place.pk, "met")
    assert client.get(url).status_code == 200
    place.refresh_from_db()
    assert place.outcome == ""
    assert "noted as" in client.post(url).content.decode()
    place.refresh_from_db()
    assert place.outcome == "met"


def test_a_tampered_link_is_refused(client):
    assert client.get(reverse("dyads_outcome_link", args=["nonsense"])).status_code == 400


def test_the_pairing_page_queries_do_not_grow_with_programs_and_rounds(
    joiner, program, client, django_assert_max_num_queries
):
    people = [joiner(f"P{i}") for i in range(4)]
    pairing_round_run(program_id=program.pk, today=date(2026, 3, 2))
    client.force_login(people[0])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dyads_home")).status_code == 200
