"""Personal API tokens: shown once, stored only as a hash, and dead once revoked."""

import datetime as dt
import hashlib

import pytest
import time_machine

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.people.models import ApiToken
from microsolidarity.people.services import token_authenticate, token_create, token_revoke
from microsolidarity.people.tokens import token_digest


def _stored_text(token):
    token.refresh_from_db()
    return " ".join(str(value) for value in vars(token).values())


def test_a_new_token_authenticates_its_person(make_person):
    person = make_person()

    token, raw = token_create(person=person, name="  my script ")

    assert raw.startswith("ms_")
    assert len(raw) > 40
    assert token.name == "my script"
    assert token_authenticate(raw) == person


def test_only_a_hash_of_the_token_is_stored(make_person):
    token, raw = token_create(person=make_person(), name="script")

    assert token.key_hash == token_digest(raw)
    assert token.key_hash != hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in _stored_text(token)
    assert raw.startswith(token.prefix)
    assert len(token.prefix) < len(raw) // 3


def test_each_token_is_different(make_person):
    person = make_person()

    raws = {token_create(person=person, name="script")[1] for _ in range(5)}

    assert len(raws) == 5


def test_a_token_without_a_name_gets_one(make_person):
    token, _raw = token_create(person=make_person(), name="   ")

    assert token.name == "token"


def test_a_token_name_longer_than_80_characters_is_refused_on_every_database(make_person):
    person = make_person()

    with pytest.raises(RuleBroken, match="up to 80 characters") as error:
        token_create(person=person, name="x" * 81)

    assert error.value.field == "name"
    assert not ApiToken.objects.filter(person=person).exists()
    assert token_create(person=person, name="x" * 80)[0].name == "x" * 80


@pytest.mark.parametrize("raw", ["", "ms_", "ms_not-a-real-token", "Bearer ms_x", "garbage"])
def test_unknown_tokens_authenticate_nobody(make_person, raw):
    token_create(person=make_person(), name="script")

    assert token_authenticate(raw) is None


def test_a_revoked_token_no_longer_authenticates(make_person):
    person = make_person()
    token, raw = token_create(person=person, name="script")
    _other, other_raw = token_create(person=person, name="other")

    revoked = token_revoke(person=person, token_id=token.pk)

    assert revoked.revoked_at is not None
    assert not revoked.is_active
    assert token_authenticate(raw) is None
    assert token_authenticate(other_raw) == person


def test_revoking_twice_keeps_the_first_time(make_person):
    person = make_person()
    token, _raw = token_create(person=person, name="script")
    first = token_revoke(person=person, token_id=token.pk).revoked_at

    assert token_revoke(person=person, token_id=token.pk).revoked_at == first


def test_nobody_revokes_someone_elses_token(make_person):
    owner, other = make_person(), make_person()
    token, raw = token_create(person=owner, name="script")

    with pytest.raises(NotAllowed):
        token_revoke(person=other, token_id=token.pk)

    assert token_authenticate(raw) == owner


def test_a_deactivated_persons_token_authenticates_nobody(make_person):
    person = make_person()
    _token, raw = token_create(person=person, name="script")
    person.is_active = False
    person.save(update_fields=["is_active"])

    assert token_authenticate(raw) is None


def test_use_is_recorded_at_most_once_a_minute(make_person):
    token, raw = token_create(person=make_person(), name="script")
    start = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)

    with time_machine.travel(start, tick=False) as clock:
        token_authenticate(raw)
        clock.shift(dt.timedelta(seconds=30))
        token_authenticate(raw)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(dt.timedelta(seconds=31))
        token_authenticate(raw)

    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(seconds=61)


def test_the_tokens_page_shows_a_new_token_once(client, make_person):
    person = make_person()
    client.force_login(person)

    created = client.post("/me/tokens/new/", {"name": "backup script"}).content.decode()
    (token,) = ApiToken.objects.filter(person=person)
    raw = created.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    listed = client.get("/me/tokens/").content.decode()

    assert token_authenticate(raw) == person
    assert token.prefix in listed
    assert raw not in listed


def test_the_tokens_page_revokes_a_token(client, make_person):
    person = make_person()
    token, raw = token_create(person=person, name="script")
    client.force_login(person)

    response = client.post(f"/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert token_authenticate(raw) is None


def test_a_revoked_token_is_refused_by_the_api(client, make_person):
    person = make_person()
    token, raw = token_create(person=person, name="script")
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 200

    token_revoke(person=person, token_id=token.pk)

    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401


def test_the_tokens_page_refuses_someone_elses_token_with_a_message(client, make_person):
    owner, other = make_person(), make_person()
    token, raw = token_create(person=owner, name="script")
    client.force_login(other)

    response = client.post(f"/me/tokens/{token.pk}/revoke/", follow=True)

    assert response.redirect_chain[-1][0] == "/me/tokens/"
    assert "That token is not one of yours." in response.content.decode()
    assert token_authenticate(raw) == owner


def test_the_tokens_page_revokes_only_with_a_post(client, make_person):
    person = make_person()
    token, raw = token_create(person=person, name="script")
    client.force_login(person)

    assert client.get(f"/me/tokens/{token.pk}/revoke/").status_code == 405
    assert token_authenticate(raw) == person
