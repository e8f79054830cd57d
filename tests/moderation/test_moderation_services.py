"""Reports, graded steps, their reversal, the member told and heard, and the audit log."""

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Membership, MembershipState
from microsolidarity.moderation.models import (
    ActionKind,
    AuditEntry,
    AuditWhat,
    ContentKind,
    ModerationAction,
    Report,
    ReportStatus,
)
from microsolidarity.moderation.services import (
    action_reverse,
    action_take,
    is_hidden,
    report_create,
    report_dismiss,
    response_create,
)


def _state(person, group) -> str:
    return Membership.objects.get(person=person, group=group).state


def test_a_member_reports_a_person_and_nothing_else_happens(report, other_member, congregation):
    assert report.status == ReportStatus.OPEN
    assert _state(other_member, congregation) == MembershipState.ACTIVE
    assert ModerationAction.objects.count() == 0


def test_many_reports_never_act_automatically(make_person, congregation, host, other_member):
    from microsolidarity.groups.services import membership_approve, membership_request

    for number in range(6):
        person = make_person(f"Reporter {number}")
        membership_approve(
            by=host, membership=membership_request(person=person, group=congregation).membership
        )
        report_create(
            reporter=person, group=congregation, about_person=other_member, reason="Again."
        )
    assert Report.objects.filter(about_person=other_member).count() == 6
    assert ModerationAction.objects.count() == 0
    other_member.refresh_from_db()
    assert other_member.is_active
    assert _state(other_member, congregation) == MembershipState.ACTIVE


def test_an_outsider_cannot_report_to_a_group(make_person, congregation, other_member):
    with pytest.raises(NotAllowed):
        report_create(
            reporter=make_person(), group=congregation, about_person=other_member, reason="x"
        )


def test_a_report_needs_a_reason_and_a_subject(member, congregation, other_member):
    with pytest.raises(RuleBroken):
        report_create(reporter=member, group=congregation, about_person=other_member, reason=" ")
    with pytest.raises(RuleBroken):
        report_create(reporter=member, group=congregation, reason="Something")
    with pytest.raises(RuleBroken):
        report_create(reporter=member, group=congregation, about_person=member, reason="Me")


def test_content_that_does_not_exist_cannot_be_reported(member, congregation):
    with pytest.raises(RuleBroken):
        report_create(
            reporter=member,
            group=congregation,
            content_kind=ContentKind.GATHERING,
            content_id=999_999,
            reason="x",
        )


def test_members_cannot_act(member, other_member, congregation, report):
    for kind in ActionKind.values:
        with pytest.raises(NotAllowed):
            action_take(
                by=member,
                group=congregation,
                person=other_member,
                kind=kind,
                reason="No.",
                report=report,
            )
    assert ModerationAction.objects.count() == 0
    with pytest.raises(NotAllowed):
        report_dismiss(by=member, report=report)


def test_pause_and_its_reversal(host, other_member, congregation, report):
    action = action_take(
        by=host,
        group=congregation,
        person=other_member,
        kind=ActionKind.PAUSE,
        reason="A break.",
        report=report,
    )
    assert _state(other_member, congregation) == MembershipState.PAUSED
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
    action_reverse(by=host, action=action)
    assert _state(other_member, congregation) == MembershipState.ACTIVE
    action.refresh_from_db()
    assert action.reversed_at is not None and action.reversed_by == host
    with pytest.raises(RuleBroken):
        action_reverse(by=host, action=action)


def test_remove_makes_alumni_and_its_reversal_restores(host, other_member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.REMOVE, reason="Harm."
    )
    membership = Membership.objects.get(person=other_member, group=congregation)
    assert membership.state == MembershipState.ALUMNI and membership.ended_at is not None
    action_reverse(by=host, action=action)
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE and membership.ended_at is None


def test_remove_of_a_paused_member_restores_the_pause(host, other_member, congregation):
    from microsolidarity.groups.services import membership_pause

    membership_pause(person=other_member, group=congregation, paused=True)
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.REMOVE, reason="Harm."
    )
    action_reverse(by=host, action=action)
    assert _state(other_member, congregation) == MembershipState.PAUSED


def test_hide_flags_the_content_and_its_reversal_shows_it(
    host, member, other_member, congregation, gathering
):
    report = report_create(
        reporter=member,
        group=congregation,
        about_person=other_member,
        content_kind=ContentKind.GATHERING,
        content_id=gathering.pk,
        reason="Misleading.",
    )
    assert not is_hidden(ContentKind.GATHERING, gathering.pk)
    action = action_take(
        by=host,
        group=congregation,
        person=other_member,
        kind=ActionKind.HIDE,
        reason="Hidden while we talk.",
        report=report,
    )
    assert is_hidden(ContentKind.GATHERING, gathering.pk)
    assert _state(other_member, congregation) == MembershipState.ACTIVE
    action_reverse(by=host, action=action)
    assert not is_hidden(ContentKind.GATHERING, gathering.pk)


def test_hide_needs_content(host, other_member, congregation, report):
    with pytest.raises(RuleBroken):
        action_take(
            by=host,
            group=congregation,
            person=other_member,
            kind=ActionKind.HIDE,
            reason="x",
            report=report,
        )


def test_only_staff_suspend_and_lift_a_suspension(host, staff, other_member, congregation):
    with pytest.raises(NotAllowed):
        action_take(
            by=host, group=congregation, person=other_member, kind=ActionKind.SUSPEND, reason="x"
        )
    action = action_take(
        by=staff,
        group=congregation,
        person=other_member,
        kind=ActionKind.SUSPEND,
        reason="Threats.",
    )
    other_member.refresh_from_db()
    assert not other_member.is_active
    with pytest.raises(NotAllowed):
        action_reverse(by=host, action=action)
    action_reverse(by=staff, action=action)
    other_member.refresh_from_db()
    assert other_member.is_active


def test_a_host_cannot_act_on_a_report_of_another_group(
    host, staff, network, other_member, congregation, report
):
    with pytest.raises(RuleBroken):
        action_take(
            by=host,
            group=network,
            person=other_member,
            kind=ActionKind.PAUSE,
            reason="x",
            report=report,
        )


def test_the_member_is_told_by_email_and_can_respond(
    host, other_member, congregation, report, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = action_take(
            by=host,
            group=congregation,
            person=other_member,
            kind=ActionKind.PAUSE,
            reason="Please take a week off.",
            report=report,
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [other_member.email]
    assert "Please take a week off." in message.body
    assert "/me/moderation/" in message.body
    response = response_create(person=other_member, action=action, text="I was upset; sorry.")
    assert response.action == action
    with django_capture_on_commit_callbacks(execute=True):
        action_reverse(by=host, action=action)
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [other_member.email]


def test_nothing_is_sent_when_the_step_fails(
    host, other_member, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuleBroken):
        action_take(
            by=host, group=congregation, person=other_member, kind=ActionKind.HIDE, reason="x"
        )
    assert mailoutbox == []
    assert ModerationAction.objects.count() == 0


def test_only_the_person_acted_on_can_respond(host, member, other_member, congregation):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="x"
    )
    with pytest.raises(NotAllowed):
        response_create(person=member, action=action, text="Not mine")
    with pytest.raises(RuleBroken):
        response_create(person=other_member, action=action, text="  ")


def test_the_audit_log_records_everything(host, member, other_member, congregation, report):
    action = action_take(
        by=host,
        group=congregation,
        person=other_member,
        kind=ActionKind.PAUSE,
        reason="x",
        report=report,
    )
    response_create(person=other_member, action=action, text="My side.")
    action_reverse(by=host, action=action)
    second = report_create(
        reporter=member, group=congregation, about_person=other_member, reason="Again"
    )
    report_dismiss(by=host, report=second)
    entries = list(AuditEntry.objects.order_by("pk").values_list("what", "who"))
    assert entries == [
        (AuditWhat.REPORT_MADE, member.pk),
        (AuditWhat.ACTION_TAKEN, host.pk),
        (AuditWhat.RESPONSE_MADE, other_member.pk),
        (AuditWhat.ACTION_REVERSED, host.pk),
        (AuditWhat.REPORT_MADE, member.pk),
        (AuditWhat.REPORT_DISMISSED, host.pk),
    ]
    assert set(AuditEntry.objects.values_list("group", flat=True)) == {congregation.pk}
