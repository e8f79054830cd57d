"""Reports reach the hosts from wherever content and people appear, hosts are emailed, undoing
a removal gives back what it took, and a paused or suspended member still reads and responds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.groups.models import HostTerm, Membership, MembershipState, Role
from microsolidarity.moderation.models import ActionKind, ContentKind, MemberResponse, Report
from microsolidarity.moderation.services import action_reverse, action_take, report_create

REPORT_LINK = reverse("moderation_report")


# --- Report links ---------------------------------------------------------------------------


def test_a_gathering_page_links_to_a_report_about_it(client, member, co_host, their_gathering):
    client.force_login(member)
    page = client.get(their_gathering.get_absolute_url()).content.decode()
    assert f"kind=gathering&amp;id={their_gathering.pk}" in page
    occurrence = client.get(their_gathering.occurrences.get().get_absolute_url()).content.decode()
    assert f"kind=gathering&amp;id={their_gathering.pk}" in occurrence
    client.force_login(co_host)
    assert "kind=gathering" not in client.get(their_gathering.get_absolute_url()).content.decode()


def test_people_outside_the_group_see_no_report_link(client, make_person, their_gathering):
    client.force_login(make_person())
    assert "Report a concern" not in client.get(their_gathering.get_absolute_url()).content.decode()
    client.logout()
    assert "Report a concern" not in client.get(their_gathering.get_absolute_url()).content.decode()


def test_a_report_about_a_gathering_is_about_its_author_whatever_the_link_says(
    client, member, host, co_host, congregation, their_gathering
):
    client.force_login(member)
    url = REPORT_LINK + f"?group={congregation.slug}&kind=gathering&id={their_gathering.pk}"
    form = client.get(url)
    assert form.status_code == 200 and "Loud evening" in form.content.decode()
    answer = client.post(
        REPORT_LINK,
        {
            "group": congregation.slug,
            "kind": "gathering",
            "id": their_gathering.pk,
            "person": host.pk,
            "reason": "It says things that are not true.",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == their_gathering.get_absolute_url()
    report = Report.objects.get()
    assert report.about_person == co_host and report.content_id == their_gathering.pk


def test_a_report_link_to_content_that_is_not_there_answers_404(client, member, congregation):
    client.force_login(member)
    url = REPORT_LINK + f"?group={congregation.slug}&kind=gathering&id=999999"
    assert client.get(url).status_code == 404


def test_the_author_cannot_report_their_own_content(co_host, congregation, their_gathering):
    from microsolidarity.errors import RuleBroken

    with pytest.raises(RuleBroken):
        report_create(
            reporter=co_host,
            group=congregation,
            content_kind=ContentKind.GATHERING,
            content_id=their_gathering.pk,
            reason="Me",
        )


def test_agenda_sessions_and_crew_calls_link_to_reports(
    client, member, congregation, gathering, session, crew_call
):
    client.force_login(member)
    occurrence = gathering.occurrences.get()
    agenda = client.get(reverse("agenda_detail", args=[gathering.slug, occurrence.pk]))
    assert f"kind=agenda_session&amp;id={session.pk}" in agenda.content.decode()
    call_page = client.get(crew_call.get_absolute_url()).content.decode()
    assert f"kind=crew_call&amp;id={crew_call.pk}" in call_page
    answer = client.post(
        REPORT_LINK,
        {"group": congregation.slug, "kind": "crew_call", "id": crew_call.pk, "reason": "Odd."},
    )
    assert answer.status_code == 302
    assert Report.objects.get().about_person == crew_call.caller


def test_a_crew_gathering_is_reported_to_the_congregations_hosts(
    client, member, other_member, host, congregation
):
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join

    crew = group_create(
        by=other_member,
        name="Loud crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
    )
    membership_join(person=member, group=crew)
    starts = timezone.now() + timedelta(days=2)
    meeting = gathering_create(
        by=other_member,
        group=crew,
        title="Crew night",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"group={congregation.slug}&amp;kind=gathering" in page
    report = report_create(
        reporter=member,
        group=congregation,
        content_kind=ContentKind.GATHERING,
        content_id=meeting.pk,
        reason="Not kind.",
    )
    assert report.about_person == other_member


def test_a_person_page_links_to_a_report_to_the_shared_congregations_hosts(
    client, member, other_member, congregation
):
    client.force_login(member)
    page = client.get(reverse("person_detail", args=[other_member.pk])).content.decode()
    assert f"group={congregation.slug}&amp;person={other_member.pk}" in page


def test_the_group_page_link_lets_the_member_choose_whom_to_report(
    client, member, other_member, congregation
):
    client.force_login(member)
    form = client.get(REPORT_LINK + f"?group={congregation.slug}").content.decode()
    assert "Who is it about?" in form and str(other_member) in form
    assert f'value="{member.pk}"' not in form
    answer = client.post(
        REPORT_LINK,
        {"group": congregation.slug, "about": other_member.pk, "reason": "Shouted."},
    )
    assert answer.status_code == 302
    assert Report.objects.get().about_person == other_member


# --- Hosts are emailed ----------------------------------------------------------------------


def test_hosts_are_emailed_when_a_report_arrives(
    member,
    other_member,
    host,
    co_host,
    congregation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        report_create(
            reporter=member, group=congregation, about_person=other_member, reason="Secret words"
        )
    # The co-host is the one reported, but still a host of the group: both hosts are told.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([host.email, co_host.email])
    message = mailoutbox[0]
    assert congregation.name in message.subject
    assert reverse("moderation_queue", args=[congregation.slug]) in message.body
    assert "Secret words" not in message.body and str(member) not in message.body


def test_a_host_who_reports_is_not_emailed_about_their_own_report(
    host, co_host, member, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_create(reporter=host, group=congregation, about_person=member, reason="x")
    assert [m.to for m in mailoutbox] == [[co_host.email]]


def test_no_email_when_the_report_is_refused(
    member, congregation, host, mailoutbox, django_capture_on_commit_callbacks
):
    from microsolidarity.errors import RuleBroken

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuleBroken):
        report_create(reporter=member, group=congregation, about_person=member, reason="x")
    assert mailoutbox == []


# --- Undo gives back what the step took --------------------------------------------------------


def test_undoing_a_removal_gives_back_the_hosting_role_and_its_term(
    host, staff, co_host, congregation
):
    before = Membership.objects.get(person=co_host, group=congregation)
    assert before.role == Role.CO_HOST
    action = action_take(
        by=host, group=congregation, person=co_host, kind=ActionKind.REMOVE, reason="Harm."
    )
    removed = Membership.objects.get(person=co_host, group=congregation)
    assert removed.state == MembershipState.ALUMNI and removed.role == Role.MEMBER
    assert not HostTerm.objects.filter(person=co_host, group=congregation, ended_on=None).exists()

    action_reverse(by=host, action=action)
    after = Membership.objects.get(person=co_host, group=congregation)
    assert after.state == MembershipState.ACTIVE and after.ended_at is None
    assert after.role == Role.CO_HOST and after.role_until == before.role_until
    assert after.is_hosting()
    term = HostTerm.objects.get(person=co_host, group=congregation, ended_on=None)
    assert term.role == Role.CO_HOST and term.starts_on == timezone.localdate()
    assert term.ends_on == before.role_until


def test_undoing_the_removal_of_a_plain_member_gives_no_role(host, other_member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.REMOVE, reason="x"
    )
    action_reverse(by=host, action=action)
    membership = Membership.objects.get(person=other_member, group=congregation)
    assert membership.state == MembershipState.ACTIVE and membership.role == Role.MEMBER
    assert not HostTerm.objects.filter(person=other_member).exists()


def test_a_hosting_term_that_ran_out_meanwhile_does_not_come_back(host, co_host, congregation):
    membership = Membership.objects.get(person=co_host, group=congregation)
    membership.role_until = timezone.localdate() + timedelta(days=1)
    membership.save(update_fields=["role_until"])
    action = action_take(
        by=host, group=congregation, person=co_host, kind=ActionKind.REMOVE, reason="x"
    )
    action.previous_role_until = timezone.localdate() - timedelta(days=1)
    action.save(update_fields=["previous_role_until"])
    action_reverse(by=host, action=action)
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE and membership.role == Role.MEMBER


# --- The member acted on reads and responds ---------------------------------------------------


def test_a_paused_member_reads_the_notice_and_responds(client, host, other_member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="Rest."
    )
    client.force_login(other_member)
    page = client.get(reverse("moderation_mine"))
    assert page.status_code == 200 and "Rest." in page.content.decode()
    client.post(reverse("moderation_respond", args=[action.pk]), {"text": "Fair enough."})
    assert MemberResponse.objects.get(action=action).text == "Fair enough."


def test_a_removed_member_reads_the_notice_and_responds(client, host, other_member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.REMOVE, reason="Gone."
    )
    client.force_login(other_member)
    assert "Gone." in client.get(reverse("moderation_mine")).content.decode()
    client.post(reverse("moderation_respond", args=[action.pk]), {"text": "Please reconsider."})
    assert MemberResponse.objects.filter(action=action).exists()


def test_a_hidden_items_author_is_told_what_was_hidden(client, other_member, session, hide):
    hide(ContentKind.AGENDA_SESSION, session)
    client.force_login(other_member)
    page = client.get(reverse("moderation_mine")).content.decode()
    assert "Shouting workshop" in page and "Hidden while we talk." in page


def test_a_suspended_member_reads_and_responds_through_the_emailed_link(
    client, staff, other_member, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = action_take(
            by=staff,
            group=congregation,
            person=other_member,
            kind=ActionKind.SUSPEND,
            reason="Threats in the chat.",
        )
    other_member.refresh_from_db()
    assert not other_member.is_active
    # Signing in is refused to a suspended account, so the session way is closed...
    assert not client.login(email=other_member.email, password="a-long-test-password")
    assert client.get(reverse("moderation_mine")).status_code == 302
    # ...and the link in the email opens the notice instead.
    body = mailoutbox[-1].body
    path = body[body.index("/moderation/notice/") :].split()[0]
    page = client.get(path)
    assert page.status_code == 200 and "Threats in the chat." in page.content.decode()
    answer = client.post(path, {"action": action.pk, "text": "It was a joke, badly made."})
    assert answer.status_code == 302
    assert MemberResponse.objects.get(action=action).person == other_member


def test_a_notice_link_that_is_forged_or_old_opens_nothing(client, other_member, host):
    from django.core import signing

    from microsolidarity.moderation import notices

    assert client.get(reverse("moderation_notice", args=["forged"])).status_code == 400
    old = notices.notice_token(other_member.pk)
    later = timezone.now() + timedelta(seconds=notices.MAX_AGE + 60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        assert client.get(reverse("moderation_notice", args=[old])).status_code == 400


def test_a_notice_link_answers_only_for_its_own_persons_steps(
    client, host, member, other_member, congregation
):
    from microsolidarity.moderation import notices

    theirs = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="x"
    )
    url = reverse("moderation_notice", args=[notices.notice_token(member.pk)])
    assert client.post(url, {"action": theirs.pk, "text": "Not mine"}).status_code == 404
    assert not MemberResponse.objects.exists()
