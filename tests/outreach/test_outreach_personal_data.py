"""A person's outreach data is in their export and goes with their account."""

import pytest

from microsolidarity.outreach import digest, newsletter
from microsolidarity.outreach.models import (
    DeliveryStatus,
    DigestPreference,
    IssueDelivery,
    Subscription,
)
from microsolidarity.rights.deletion import account_delete
from microsolidarity.rights.exports import export_files

pytestmark = pytest.mark.usefixtures("local_targets")


@pytest.fixture
def footprint(host, member, congregation, subscribe, mailoutbox):
    subscribe(member.email)
    subscribe("someone-else@example.org")
    digest.digest_set(person=member, frequency="monthly")
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="Winter", body="x", segment="subscribers"
    )
    newsletter.issue_send(by=host, issue=issue)
    newsletter.issue_batch(issue_id=issue.pk)
    return issue


def test_the_export_holds_subscriptions_issues_and_the_digest(member, footprint):
    files = export_files(person=member)["outreach.json"]
    assert [s["email"] for s in files["newsletter_subscriptions"]] == [member.email]
    assert files["newsletter_issues_received"][0]["subject"] == "Winter"
    assert files["digest"][0]["frequency"] == "monthly"


def test_deleting_the_account_removes_the_address_everywhere_in_outreach(member, footprint):
    email = member.email
    account_delete(person_id=member.pk, force=True)
    assert not Subscription.objects.filter(email__iexact=email).exists()
    assert Subscription.objects.filter(email="someone-else@example.org").exists()
    assert not IssueDelivery.objects.filter(email__iexact=email).exists()
    # The issue keeps its count: the row stays, without the address.
    assert IssueDelivery.objects.filter(issue=footprint, status=DeliveryStatus.SENT).count() == 2
    assert not DigestPreference.objects.filter(person_id=member.pk).exists()
