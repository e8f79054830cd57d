"""Invitations by email: a host invites an address with no account; the link signs them up
and makes them a member. Existing accounts are invited the usual way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Invitation, Membership, MembershipState
from microsolidarity.groups.services import invitation_send
from microsolidarity.people.models import Person


def invite(by, group, email, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitation_send(by=by, group=group, email=email)
    return sent


def link_in(message) -> str:
    return re.search(r"http://\S+/invitations/\S+/", message.body).group(0).split("testserver")[-1]


@pytest.fixture
def path(congregation, host, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "http://testserver"
    invite(host, congregation, "Nell@Example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["nell@example.org"]
    assert "Riverside Congregation" in message.subject
    return link_in(message)


def test_the_token_is_not_stored_as_it_is(path, congregation):
    token = path.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(group=congregation)

    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_a_new_person_signs_up_through_the_link_and_is_a_member(client, path, congregation):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("account_signup"))
    assert "email=nell%40example.org" in response.url

    response = client.post(
        response.url,
        {
            "email": "nell@example.org",
            "display_name": "Nell",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
        follow=True,
    )

    nell = Person.objects.get(email="nell@example.org")
    membership = Membership.objects.get(person=nell, group=congregation)
    assert membership.state == MembershipState.ACTIVE
    assert response.context["user"] == nell
    assert Invitation.objects.get(group=congregation).accepted_at is not None
    assert client.get(path).status_code == 410  # used up


def test_a_signed_in_person_with_that_address_is_a_member_at_once(
    client, path, congregation, make_person
):
    nell = make_person("Nell", email="nell@example.org")
    client.force_login(nell)

    response = client.get(path)

    assert response.status_code == 302 and response.url == congregation.get_absolute_url()
    assert Membership.objects.get(person=nell, group=congregation).state == MembershipState.ACTIVE


def test_someone_signed_in_with_another_address_is_refused(client, path, make_person, congregation):
    client.force_login(make_person("Other", email="other@example.org"))

    response = client.get(path)

    assert response.status_code == 403
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(group=congregation, person__email="other@example.org")


def test_an_expired_invitation_gets_a_clear_page(client, path, congregation):
    Invitation.objects.filter(group=congregation).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(path)

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_unknown_token_gets_a_clear_page(client, db):
    response = client.get("/invitations/not-a-real-token/")

    assert response.status_code == 404
    assert "not known" in response.content.decode()


def test_inviting_again_replaces_the_old_link(
    client, path, congregation, host, django_capture_on_commit_callbacks
):
    invite(host, congregation, "nell@example.org", django_capture_on_commit_callbacks)

    assert client.get(path).status_code == 404
    assert Invitation.objects.filter(group=congregation).count() == 1


def test_a_member_who_is_not_a_host_cannot_invite_by_email(congregation, member):
    with pytest.raises(NotAllowed):
        invitation_send(by=member, group=congregation, email="nell@example.org")
    assert not Invitation.objects.exists()


def test_a_crew_takes_no_email_invitation(congregation, member, host):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    crew = group_create(
        by=member, name="Crew", scale=Scale.CREW, parent=congregation, join_policy=JoinPolicy.OPEN
    )
    with pytest.raises(RuleBroken):
        invitation_send(by=member, group=crew, email="nell@example.org")


def test_an_address_with_an_account_is_invited_the_usual_way(
    congregation, host, make_person, django_capture_on_commit_callbacks
):
    nell = make_person("Nell", email="nell@example.org")

    sent = invite(host, congregation, "NELL@example.org", django_capture_on_commit_callbacks)

    assert sent.invitation is None
    assert Membership.objects.get(person=nell, group=congregation).state == MembershipState.INVITED
    assert not Invitation.objects.exists()


def test_the_invite_form_takes_an_email_with_no_account(
    client, congregation, host, django_capture_on_commit_callbacks
):
    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("group_invite", args=[congregation.slug]),
            {"email": "nell@example.org"},
            follow=True,
        )

    assert "An invitation is on its way to nell@example.org." in response.content.decode()
    assert mail.outbox[-1].to == ["nell@example.org"]


def test_the_invite_form_takes_a_name_here(client, congregation, host, make_person):
    nell = make_person("Nell Newcomer")
    client.force_login(host)

    client.post(reverse("group_invite", args=[congregation.slug]), {"email": "nell newcomer"})

    assert Membership.objects.get(person=nell, group=congregation).state == MembershipState.INVITED


def test_the_invite_form_says_when_nobody_has_that_name(client, congregation, host):
    client.force_login(host)

    response = client.post(
        reverse("group_invite", args=[congregation.slug]), {"email": "Nobody Atall"}, follow=True
    )

    assert "Nobody here is called Nobody Atall" in response.content.decode()
