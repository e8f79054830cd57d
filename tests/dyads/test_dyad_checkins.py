"""Partnership check-ins: private to the pair, a trend over time, summaries shared with hosts."""

from datetime import date

import pytest
from django.urls import reverse

from microsolidarity.dyads.models import CheckIn, PairingMember
from microsolidarity.dyads.queries import balance_trend, shared_summaries
from microsolidarity.dyads.services import checkin_create, pairing_round_run
from microsolidarity.errors import NotAllowed, RuleBroken

pytestmark = pytest.mark.django_db
ANSWERS = {"spoke": 3, "decided": 4, "carried": 2, "felt": 5}


@pytest.fixture
def pair(joiner, program):
    a, b = joiner("Alma"), joiner("Bruno")
    pairing_round_run(program_id=program.pk, today=date(2026, 3, 2))
    return a, b, PairingMember.objects.get(person=a).pairing.group


def test_both_in_the_pair_check_in_and_see_a_trend(pair):
    a, b, dyad = pair
    checkin_create(author=a, group=dyad, **ANSWERS, note="ours")
    checkin_create(author=a, group=dyad, **{**ANSWERS, "spoke": 1})
    checkin_create(author=b, group=dyad, **ANSWERS)
    trend = balance_trend(dyad, a)
    assert [r.spoke for r in trend["rows"]] == [3, 1, 3]
    mine = next(p for p in trend["people"] if p["mine"])
    assert mine["averages"]["spoke"] == 2.0


def test_an_answer_outside_one_to_five_is_refused(pair):
    a, _b, dyad = pair
    with pytest.raises(RuleBroken):
        checkin_create(author=a, group=dyad, **{**ANSWERS, "felt": 6})


@pytest.mark.parametrize("who", ["host", "staff", "outsider"])
def test_nobody_outside_the_pair_checks_in_or_reads(pair, who, host, staff, make_person, client):
    a, _b, dyad = pair
    checkin_create(author=a, group=dyad, **ANSWERS, note="only-for-us-5521")
    reader = {"host": host, "staff": staff, "outsider": make_person("Out")}[who]
    with pytest.raises(NotAllowed):
        checkin_create(author=reader, group=dyad, **ANSWERS)
    client.force_login(reader)
    response = client.get(reverse("dyads_checkin", args=[dyad.slug]))
    assert response.status_code == 404
    assert b"only-for-us-5521" not in response.content


def test_hosts_see_shared_summaries_but_not_answers_or_notes(pair, program, host, client):
    a, _b, dyad = pair
    checkin_create(author=a, group=dyad, **ANSWERS, note="private-note-1", summary="We laughed.")
    assert [s["summary"] for s in shared_summaries(program)] == ["We laughed."]
    client.force_login(host)
    page = client.get(reverse("dyads_program", args=[program.group.slug])).content.decode()
    assert "We laughed." in page and "private-note-1" not in page and "Alma" not in page


def test_the_check_in_page_saves_and_shows_the_trend(pair, client):
    a, _b, dyad = pair
    client.force_login(a)
    url = reverse("dyads_checkin", args=[dyad.slug])
    response = client.post(url, {**ANSWERS, "note": "next time you choose"})
    assert response.status_code == 302
    assert CheckIn.objects.get(author=a).note == "next time you choose"
    assert "next time you choose" in client.get(url).content.decode()
