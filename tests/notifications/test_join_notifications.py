"""Join requests reach the group's hosts; approvals reach the one who asked; nobody else."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from microsolidarity.groups.models import JoinPolicy, Membership, Role, Scale, Visibility
from microsolidarity.groups.services import (
    group_create,
    host_assign,
    membership_approve,
    membership_invite,
    membership_join,
    membership_request,
)
from microsolidarity.notifications.models import Kind


def test_a_join_request_tells_every_host_and_nobody_else(
    congregation, host, member, make_person, told
):
    co_host = make_person("Cora Cohost")
    membership_approve(
        by=host, membership=membership_request(person=co_host, group=congregation).membership
    )
    host_assign(by=host, group=congregation, person=co_host, role=Role.CO_HOST)
    asker = make_person("Ari Asker")

    membership_request(person=asker, group=congregation, message="Hello")

    text = "Ari Asker asks to join Riverside Congregation."
    assert told(host, Kind.JOIN_REQUEST)[-1] == text
    assert told(co_host, Kind.JOIN_REQUEST) == [text]
    assert told(asker) == []
    assert told(member, Kind.JOIN_REQUEST) == []


def test_a_host_whose_term_ended_is_not_told_of_requests(congregation, host, make_person, told):
    former = make_person("Fay Former")
    membership_approve(
        by=host, membership=membership_request(person=former, group=congregation).membership
    )
    host_assign(by=host, group=congregation, person=former, role=Role.CO_HOST)
    Membership.objects.filter(person=former, group=congregation).update(
        role_until=timezone.localdate() - timedelta(days=1)
    )

    membership_request(person=make_person("Ari Asker"), group=congregation)

    assert told(former, Kind.JOIN_REQUEST) == []


def test_an_approval_tells_the_one_who_asked_and_not_the_host(
    congregation, host, make_person, told
):
    asker = make_person("Ari Asker")
    request = membership_request(person=asker, group=congregation).membership

    membership_approve(by=host, membership=request)

    assert told(asker) == ["Your request is approved: you are a member of Riverside Congregation."]
    assert told(host, Kind.JOIN_APPROVED) == []


def test_an_invitation_that_answers_a_request_counts_as_an_approval(
    congregation, host, make_person, told
):
    asker = make_person("Ari Asker")
    membership_request(person=asker, group=congregation)

    membership_invite(by=host, group=congregation, person=asker)

    assert told(asker, Kind.JOIN_APPROVED) != []


def test_joining_an_open_group_tells_nobody(network, host, make_person, told):
    newcomer = make_person("Nia New")
    before = told(host)

    membership_join(person=newcomer, group=network)

    assert told(host) == before
    assert told(newcomer) == []


def test_a_request_to_a_crew_tells_its_hosts_not_the_congregations(
    congregation, host, member, make_person, told
):
    """The crew's own hosts hear of it; the congregation's host does not."""
    circle = group_create(
        by=member,
        name="Quiet Circle",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.REQUEST,
        visibility=Visibility.PARENT,
    )
    asker = make_person("Ari Asker")
    membership_approve(
        by=host, membership=membership_request(person=asker, group=congregation).membership
    )

    membership_request(person=asker, group=circle)

    assert told(member, Kind.JOIN_REQUEST) == ["Ari Asker asks to join Quiet Circle."]
    assert "Ari Asker asks to join Quiet Circle." not in told(host)


def test_the_request_email_goes_to_the_host_after_commit(
    congregation, host, make_person, django_capture_on_commit_callbacks
):
    asker = make_person("Ari Asker")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_request(person=asker, group=congregation)

    assert [message.to for message in mail.outbox] == [[host.email]]
    assert mail.outbox[0].subject == "Ari Asker asks to join Riverside Congregation."
    assert "/notifications/" in mail.outbox[0].body
