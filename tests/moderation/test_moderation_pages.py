"""The moderation pages: report form, hosts' queue, action form, the member's page, the log."""

import pytest
from django.urls import reverse

from microsolidarity.groups.models import Membership, MembershipState
from microsolidarity.moderation.models import (
    ActionKind,
    AuditEntry,
    MemberResponse,
    ModerationAction,
    Report,
)
from microsolidarity.moderation.services import action_take


def test_a_member_reports_from_a_link_with_query_params(client, member, other_member, congregation):
    client.force_login(member)
    url = reverse("moderation_report") + f"?group={congregation.slug}&person={other_member.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert str(other_member) in page.content.decode()
    answer = client.post(
        reverse("moderation_report"),
        {"group": congregation.slug, "person": other_member.pk, "reason": "Shouted at me."},
    )
    assert answer.status_code == 302
    report = Report.objects.get()
    assert report.reporter == member and report.about_person == other_member


def test_an_outsider_gets_no_report_form(client, make_person, other_member, congregation):
    client.force_login(make_person())
    url = reverse("moderation_report") + f"?group={congregation.slug}&person={other_member.pk}"
    assert client.get(url).status_code == 404


def test_reports_reach_the_hosts_only(client, host, member, other_member, congregation, report):
    queue = reverse("moderation_queue", args=[congregation.slug])
    for person in (member, other_member):
        client.force_login(person)
        assert client.get(queue).status_code == 403
        assert client.get(reverse("moderation_log", args=[congregation.slug])).status_code == 403
    client.force_login(host)
    page = client.get(queue)
    assert page.status_code == 200
    assert "Rude in the chat." in page.content.decode()


def test_a_host_acts_from_the_form_and_undoes_it(
    client, host, other_member, congregation, report, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(host)
    url = reverse("moderation_act", args=[congregation.slug])
    page = client.get(url + f"?report={report.pk}")
    assert page.status_code == 200
    assert 'value="suspend"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"report": report.pk, "kind": "pause", "reason": "A week off."})
    assert answer.status_code == 302
    action = ModerationAction.objects.get()
    assert action.kind == ActionKind.PAUSE
    assert len(mailoutbox) == 1
    state = Membership.objects.get(person=other_member, group=congregation).state
    assert state == MembershipState.PAUSED
    client.post(reverse("moderation_reverse", args=[congregation.slug, action.pk]))
    state = Membership.objects.get(person=other_member, group=congregation).state
    assert state == MembershipState.ACTIVE


def test_a_member_cannot_post_a_step(client, member, other_member, congregation, report):
    client.force_login(member)
    url = reverse("moderation_act", args=[congregation.slug])
    answer = client.post(url, {"report": report.pk, "kind": "remove", "reason": "x"})
    assert answer.status_code == 403
    assert ModerationAction.objects.count() == 0


def test_the_member_sees_the_step_and_responds(client, host, other_member, member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="Breath."
    )
    client.force_login(other_member)
    page = client.get(reverse("moderation_mine"))
    assert "Breath." in page.content.decode()
    client.post(reverse("moderation_respond", args=[action.pk]), {"text": "Understood."})
    assert MemberResponse.objects.get().text == "Understood."
    client.force_login(member)
    answer = client.post(reverse("moderation_respond", args=[action.pk]), {"text": "Me too"})
    assert answer.status_code == 404
    client.force_login(host)
    log = client.get(reverse("moderation_log", args=[congregation.slug]))
    assert log.status_code == 200
    assert AuditEntry.objects.count() == 2


@pytest.mark.parametrize("name", ["moderation_queue", "moderation_log"])
def test_host_pages_have_no_inline_scripts_or_styles(client, host, congregation, report, name):
    client.force_login(host)
    html = client.get(reverse(name, args=[congregation.slug])).content.decode()
    assert "<script>" not in html and "style=" not in html


def test_the_queue_does_not_grow_queries_with_reports(
    client, host, member, other_member, congregation, django_assert_max_num_queries
):
    from microsolidarity.moderation.services import report_create

    for number in range(5):
        report_create(
            reporter=member, group=congregation, about_person=other_member, reason=f"R{number}"
        )
    action_take(by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="x")
    client.force_login(host)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("moderation_queue", args=[congregation.slug])).status_code == 200
