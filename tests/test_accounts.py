"""Accounts through django-allauth: sign-up with an emailed code, and sign-in by code."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def emailed_code() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{2,4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_sign_up_verifies_the_email_by_code_and_creates_a_profile(client):
    from microsolidarity.people.models import Person

    response = client.post(
        "/accounts/signup/",
        {
            "email": "ada@example.org",
            "display_name": "Ada",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )
    assert response.status_code == 302
    assert "confirm-email" in response.url
    assert mail.outbox[-1].to == ["ada@example.org"]

    response = client.post(response.url, {"code": emailed_code()}, follow=True)
    person = Person.objects.get(email="ada@example.org")
    assert person.display_name == "Ada"
    assert person.profile.timezone == "UTC"
    assert response.context["user"] == person
    assert person.emailaddress_set.get().verified


def test_sign_up_without_a_name_is_refused_next_to_the_field(client):
    from microsolidarity.people.models import Person

    response = client.post(
        "/accounts/signup/",
        {
            "email": "bo@example.org",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not Person.objects.filter(email="bo@example.org").exists()


def test_sign_in_by_emailed_code(client, make_person):
    from allauth.account.models import EmailAddress

    person = make_person("Cy", email="cy@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    response = client.post("/accounts/login/code/", {"email": "cy@example.org"})
    assert response.status_code == 302
    response = client.post(response.url, {"code": emailed_code()}, follow=True)
    assert response.context["user"] == person


def test_unverified_email_cannot_sign_in_with_a_password(client, make_person):
    make_person("Di", email="di@example.org", password="a-long-test-password")
    response = client.post(
        "/accounts/login/", {"login": "di@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response.url or "verification" in response.url
    assert "_auth_user_id" not in client.session
