"""Sending in batches: a send that stops halfway and is resumed reaches each person once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from microsolidarity.errors import RuleBroken
from microsolidarity.outreach import newsletter, segments
from microsolidarity.outreach.models import DeliveryStatus, IssueDelivery, IssueStatus

pytestmark = pytest.mark.usefixtures("local_targets")


class CrashingBackend(EmailBackend):
    """Accepts `budget` messages, then fails as a lost SMTP connection would."""

    budget = 0

    def send_messages(self, messages):
        if CrashingBackend.budget <= 0:
            raise ConnectionResetError("the mail server went away")
        CrashingBackend.budget -= 1
        return super().send_messages(messages)


@pytest.fixture
def crashing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.CrashingBackend", "OPTIONS": {}}}
    mail.outbox = []
    yield CrashingBackend
    CrashingBackend.budget = 0


@pytest.fixture
def issue(host, congregation, subscribe):
    for number in range(7):
        subscribe(f"reader{number}@example.org")
    return newsletter.issue_create(
        by=host, group=congregation, subject="News", body="text", segment="subscribers"
    )


def _recipients():
    return Counter(m.to[0] for m in mail.outbox)


def test_a_send_interrupted_and_resumed_reaches_each_recipient_exactly_once(
    host, issue, crashing_mail
):
    newsletter.issue_send(by=host, issue=issue)
    crashing_mail.budget = 4
    with pytest.raises(ConnectionResetError):
        newsletter.issue_batch(issue_id=issue.pk, batch_size=3)  # 3 go out
        newsletter.issue_batch(issue_id=issue.pk, batch_size=3)  # 1 goes out, then the crash
    assert sum(_recipients().values()) == 4
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    # The row that failed went back to waiting; nothing is stuck as "being sent".
    assert not IssueDelivery.objects.filter(status=DeliveryStatus.SENDING).exists()
    crashing_mail.budget = 100
    while newsletter.issue_pending(issue.pk):
        newsletter.issue_batch(issue_id=issue.pk, batch_size=3)
    counts = _recipients()
    assert len(counts) == 7 and set(counts.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert newsletter.issue_progress(issue).sent == 7


def test_running_the_same_batch_again_sends_nobody_twice(host, issue, mailoutbox):
    newsletter.issue_send(by=host, issue=issue)
    newsletter.issue_batch(issue_id=issue.pk, batch_size=100)
    newsletter.issue_batch(issue_id=issue.pk, batch_size=100)
    assert sorted(Counter(m.to[0] for m in mailoutbox).values()) == [1] * 7


def test_a_row_claimed_by_a_sender_that_died_is_never_sent_again(host, issue, mailoutbox):
    """The process died between the mail server accepting and the row being marked: the
    mail probably went out, so it is marked unconfirmed rather than sent a second time."""
    newsletter.issue_send(by=host, issue=issue)
    first = IssueDelivery.objects.filter(issue=issue).order_by("pk").first()
    IssueDelivery.objects.filter(pk=first.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    while newsletter.issue_pending(issue.pk):
        newsletter.issue_batch(issue_id=issue.pk)
    assert first.email not in {m.to[0] for m in mailoutbox}
    assert len(mailoutbox) == 6
    first.refresh_from_db()
    assert first.status == DeliveryStatus.UNCONFIRMED
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert newsletter.issue_progress(issue).unconfirmed == 1


def test_the_send_task_runs_batches_until_done(host, issue, mailoutbox, settings, monkeypatch):
    from microsolidarity.outreach import tasks

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(newsletter, "BATCH_SIZE", 2)
    newsletter.issue_send(by=host, issue=issue)
    tasks.issue_batch_send.enqueue(issue.pk)
    assert len(mailoutbox) == 7
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_the_send_is_refused_when_the_list_changed_since_the_preview(
    host, issue, congregation, subscribe
):
    seen = segments.recipient_count(congregation, "subscribers")
    subscribe("late@example.org")
    with pytest.raises(RuleBroken, match="changed"):
        newsletter.issue_send(by=host, issue=issue, expected_count=seen)
    assert not IssueDelivery.objects.exists()


def test_an_issue_is_sent_once(host, issue):
    newsletter.issue_send(by=host, issue=issue)
    with pytest.raises(RuleBroken):
        newsletter.issue_send(by=host, issue=issue)


def test_members_and_friends_segments_narrow_the_subscribers(
    host, congregation, member, make_person, subscribe
):
    from microsolidarity.groups.models import Membership

    subscribe(member.email)
    subscribe("stranger@example.org")
    Membership.objects.filter(person=member, group=congregation).update(tier="Friend")
    assert segments.recipient_count(congregation, "subscribers") == 2
    assert segments.recipient_count(congregation, "members") == 1
    assert segments.recipient_count(congregation, "friends") == 1
    Membership.objects.filter(person=member, group=congregation).update(tier="Partner")
    assert segments.recipient_count(congregation, "friends") == 0


def test_the_network_segment_counts_each_address_once(network, congregation, subscribe):
    subscribe("both@example.org", group=network)
    subscribe("both@example.org", group=congregation)
    subscribe("only-here@example.org", group=congregation)
    assert segments.recipient_count(network, "network") == 2
    assert segments.recipient_count(network, "subscribers") == 1
    with pytest.raises(RuleBroken):
        segments.segment_check(congregation, "network")


def test_only_hosts_write_and_send(member, congregation):
    from microsolidarity.errors import NotAllowed

    with pytest.raises(NotAllowed):
        newsletter.issue_create(
            by=member, group=congregation, subject="x", body="y", segment="subscribers"
        )


def test_markdown_cannot_carry_a_script():
    from microsolidarity.outreach.rendering import markdown_html

    html = markdown_html("<script>alert(1)</script>\n\n[x](javascript:alert(1)) **b**")
    assert "<script" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "<strong>b</strong>" in html
