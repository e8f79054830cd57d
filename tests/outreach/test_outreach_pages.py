"""The outreach pages: who may open them, what they show, and no query per row."""

import pytest
from django.urls import reverse

from microsolidarity.outreach import chat, newsletter, webhooks
from microsolidarity.outreach.models import DigestFrequency, DigestPreference, IssueStatus

pytestmark = pytest.mark.usefixtures("local_targets")


@pytest.fixture
def hosted(client, host):
    client.force_login(host)
    return client


def test_hosts_write_preview_and_send_an_issue_from_the_pages(
    hosted, congregation, subscribe, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    subscribe("reader@example.org")
    response = hosted.post(
        reverse("newsletter_issue_new", args=[congregation.slug]),
        {"subject": "Autumn", "body": "Dear all, **soup** on Friday.", "segment": "subscribers"},
    )
    issue = congregation.newsletter_issues.get()
    assert response["Location"] == issue.get_absolute_url()
    page = hosted.get(issue.get_absolute_url())
    assert b"<strong>soup</strong>" in page.content
    assert page.context["recipient_count"] == 1
    assert b"Send to 1 person" in page.content
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hosted.post(
            reverse("newsletter_issue_send", args=[congregation.slug, issue.pk]),
            {"expected_count": "1"},
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and [m.to for m in mailoutbox] == [
        ["reader@example.org"]
    ]
    progress = hosted.get(issue.get_absolute_url() + "?part=progress", HTTP_HX_REQUEST="true")
    assert b"<progress" in progress.content and b"<html" not in progress.content


def test_members_and_strangers_cannot_open_the_outreach_pages(client, member, congregation):
    client.force_login(member)
    assert client.get(reverse("outreach_home", args=[congregation.slug])).status_code == 404
    assert client.get(reverse("newsletter_issue_new", args=[congregation.slug])).status_code == 404


def test_only_operators_see_the_sites_webhooks(client, member, staff):
    client.force_login(member)
    assert client.get(reverse("site_webhooks")).status_code == 403
    client.force_login(staff)
    assert client.get(reverse("site_webhooks")).status_code == 200


def test_a_bad_webhook_address_is_refused_with_a_message(hosted, congregation):
    response = hosted.post(
        reverse("webhook_new", args=[congregation.slug]),
        {"name": "x", "url": "ftp://example.org", "event_types": ["gathering.created"]},
    )
    assert response.status_code == 200
    assert "https://" in " ".join(response.context["form"].errors["url"])


def test_the_outreach_page_lists_without_a_query_per_row(
    hosted, host, congregation, subscribe, receiver, django_assert_max_num_queries
):
    for number in range(5):
        subscribe(f"reader{number}@example.org")
        newsletter.issue_create(
            by=host, group=congregation, subject=f"Issue {number}", body="x", segment="subscribers"
        )
        chat.chat_rule_create(
            by=host,
            group=congregation,
            service="discord",
            name=f"#c{number}",
            url=receiver.url + "/api/webhooks/1/x",
        )
        webhooks.endpoint_create(
            by=host,
            group=congregation,
            name=f"hook {number}",
            url=receiver.url,
            event_types=["gathering.created"],
        )
    with django_assert_max_num_queries(12):
        response = hosted.get(reverse("outreach_home", args=[congregation.slug]))
    assert response.status_code == 200 and response.content.count(b"Issue ") == 5


def test_the_delivery_log_lists_without_a_query_per_row(
    hosted, host, congregation, receiver, django_assert_max_num_queries
):
    endpoint = webhooks.endpoint_create(
        by=host,
        group=congregation,
        name="hook",
        url=receiver.url,
        event_types=["gathering.created"],
    )
    for _ in range(4):
        webhooks.endpoint_test(by=host, endpoint=endpoint)
    with django_assert_max_num_queries(11):
        response = hosted.get(reverse("webhook_detail", args=[congregation.slug, endpoint.pk]))
    assert response.content.count(b"HTTP 200") == 4


def test_a_person_turns_the_digest_on_and_sees_a_preview(client, member):
    client.force_login(member)
    page = client.get(reverse("digest_settings"))
    assert page.status_code == 200 and b"an empty digest is never sent" in page.content
    client.post(reverse("digest_settings"), {"frequency": "weekly", "gatherings": "on"})
    preference = DigestPreference.objects.get(person=member)
    assert preference.frequency == DigestFrequency.WEEKLY
    assert preference.include_gatherings and not preference.include_calls


def test_the_group_page_links_the_newsletter(client, congregation):
    page = client.get(congregation.get_absolute_url())
    assert reverse("newsletter_subscribe", args=[congregation.slug]).encode() in page.content


def test_the_demo_has_readers_a_draft_and_a_digest(db):
    from microsolidarity.demo.network import DEMO_MEMBER_EMAIL, demo_network_load
    from microsolidarity.outreach import segments
    from microsolidarity.outreach.models import NewsletterIssue

    demo_network_load()
    issue = NewsletterIssue.objects.get()
    assert issue.status == IssueStatus.DRAFT
    assert segments.recipient_count(issue.group, "subscribers") >= 10
    assert DigestPreference.objects.get(person__email=DEMO_MEMBER_EMAIL).frequency == "weekly"


def test_the_issue_page_names_the_recipients_that_bounced(hosted, host, congregation, subscribe):
    from microsolidarity.outreach.models import DeliveryStatus, IssueDelivery

    subscribe("fine@example.org")
    subscribe("bouncy@example.org")
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="News", body="x", segment="subscribers"
    )
    newsletter.issue_send(by=host, issue=issue)
    newsletter.issue_batch(issue_id=issue.pk)
    newsletter.subscription_bounce(email="bouncy@example.org")
    page = hosted.get(issue.get_absolute_url())
    assert [d.email for d in page.context["attention"]] == ["bouncy@example.org"]
    assert IssueDelivery.objects.get(email="bouncy@example.org").status == DeliveryStatus.BOUNCED
    assert page.context["progress"].bounced == 1 and page.context["progress"].sent == 1
