"""allauth's limits on sign-in, sign-up, password reset and login codes: 429 with Retry-After,
counted per address, so a stranger's wrong guesses never keep the owner out."""

import pytest

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def sign_in(client, email, password, address):
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


def test_thirty_wrong_passwords_from_one_address_end_in_429s_and_the_owner_still_signs_in(
    client, limits_on, verified_person
):
    verified_person("owner@example.org", password="the-owners-long-password")

    answers = [
        sign_in(client, "owner@example.org", f"wrong-guess-{n}", ATTACKER) for n in range(30)
    ]

    statuses = [answer.status_code for answer in answers]
    assert set(statuses[:25]) == {200}
    assert set(statuses[25:]) == {429}
    assert all(int(answer["Retry-After"]) == 300 for answer in answers[25:])
    assert "_auth_user_id" not in client.session

    owner = sign_in(client, "owner@example.org", "the-owners-long-password", OWNER)
    assert owner.status_code == 302
    assert "_auth_user_id" in client.session


def test_ipv6_sign_ins_are_counted_per_64_network(client, limits_on, verified_person):
    verified_person("six@example.org")

    for n in range(25):
        sign_in(client, "six@example.org", "wrong", f"2001:db8:1:2::{n + 1:x}")
    same_network = sign_in(client, "six@example.org", "wrong", "2001:db8:1:2:ffff::1")
    other_network = sign_in(client, "six@example.org", "wrong", "2001:db8:1:3::1")

    assert same_network.status_code == 429
    assert other_network.status_code == 200


def test_the_limits_are_off_in_the_rest_of_the_suite(client, verified_person):
    verified_person("many@example.org")

    statuses = {
        sign_in(client, "many@example.org", "wrong", ATTACKER).status_code for _ in range(30)
    }

    assert statuses == {200}


def test_sign_up_is_limited_per_address(client, limits_on):
    def sign_up(n):
        return client.post(
            "/accounts/signup/",
            {
                "email": f"new{n}@example.org",
                "display_name": f"New {n}",
                "password1": "a-long-new-password",
                "password2": "a-long-new-password",
            },
            REMOTE_ADDR=ATTACKER,
        )

    statuses = [sign_up(n).status_code for n in range(6)]
    refused = sign_up(6)

    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert int(refused["Retry-After"]) == 1800
    elsewhere = client.post(
        "/accounts/signup/",
        {
            "email": "else@example.org",
            "display_name": "Else",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
        REMOTE_ADDR=OWNER,
    )
    assert elsewhere.status_code == 302


def test_password_reset_emails_are_limited_per_address_and_per_email(
    client, limits_on, verified_person, mailoutbox
):
    verified_person("reset@example.org")

    statuses = [
        client.post(
            "/accounts/password/reset/", {"email": "reset@example.org"}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(6)
    ]

    assert statuses == [302] * 5 + [429]
    assert len(mailoutbox) == 5


def test_login_codes_are_limited_per_email(limits_on, verified_person, mailoutbox):
    from django.test import Client

    verified_person("code@example.org")

    for _ in range(3):
        Client().post("/accounts/login/code/", {"email": "code@example.org"}, REMOTE_ADDR=OWNER)
    fourth = Client().post(
        "/accounts/login/code/", {"email": "code@example.org"}, REMOTE_ADDR=ATTACKER
    )

    # allauth refuses on the form (its own behaviour for codes); no fourth code is sent.
    assert fourth.status_code == 200
    assert len(mailoutbox) == 3
