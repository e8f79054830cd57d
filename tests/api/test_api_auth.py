"""Who is calling: personal tokens, the browser session with CSRF, and anonymous reads."""

from django.core.management import call_command
from django.test import Client

from microsolidarity.people.services import token_create, token_revoke


def test_token_authenticates_the_person_it_belongs_to(client, member, bearer):
    response = client.get("/api/v1/me", headers=bearer(member))

    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_revoked_token_gets_401(client, member):
    token, raw = token_create(person=member, name="old script")
    token_revoke(person=member, token_id=token.pk)

    response = client.get("/api/v1/groups", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_gets_401_even_on_public_reads(client, congregation):
    response = client.get("/api/v1/groups", headers={"Authorization": "Bearer ms_not-a-real-token"})

    assert response.status_code == 401
    assert response.json()["errors"] == {}


def test_empty_bearer_token_gets_401(client, congregation):
    response = client.get("/api/v1/groups", headers={"Authorization": "Bearer"})

    assert response.status_code == 401


def test_token_of_a_deactivated_person_gets_401(client, member, bearer):
    headers = bearer(member)
    member.is_active = False
    member.save(update_fields=["is_active"])

    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_me_needs_someone_signed_in(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_writes_need_someone_signed_in(client, congregation):
    response = client.post(f"/api/v1/groups/{congregation.slug}/request")

    assert response.status_code == 401


def test_browser_session_reads_without_a_token(client, member):
    client.force_login(member)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["name"] == "Mo Member"


def test_session_write_without_csrf_token_is_refused(network, make_person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_person())

    response = browser.post(f"/api/v1/groups/{network.slug}/join")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_write_with_csrf_token_goes_through(network, make_person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_person())
    browser.get("/api/v1/docs")  # any page that sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value

    response = browser.post(f"/api/v1/groups/{network.slug}/join", headers={"X-CSRFToken": csrf})

    assert response.status_code == 200


def test_bearer_writes_need_no_csrf_token(network, make_person, bearer):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(f"/api/v1/groups/{network.slug}/join", headers=bearer(make_person()))

    assert response.status_code == 200


def test_create_token_command_prints_a_token_that_authenticates(client, member, capsys):
    call_command("create_token", member.email)
    raw = capsys.readouterr().out.strip()

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["id"] == member.pk
