"""Demo outreach: the first congregation's newsletter has readers and a draft to send, the
network's has a few, and the demo member asked for a weekly digest."""

from microsolidarity.groups.models import Group, Membership, MembershipState, Role
from microsolidarity.outreach.digest import digest_set
from microsolidarity.outreach.models import DigestFrequency
from microsolidarity.outreach.newsletter import (
    issue_create,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)

DRAFT = """Dear friends,

The **winter gathering** is on the calendar, and three crews are forming.

- Newcomers: come to the open evening first, there is soup.
- Crew callers: post your call before the gathering so people can find you.

See you there.
"""


def _readers(group: Group, people, outsiders: list[str]) -> None:
    for person in people:
        subscription = subscription_request(group=group, email=person.email, person=person)
        subscription_confirm(token=subscription.subscription.token)
    for email in outsiders:
        subscription_request(group=group, email=email)
    # One reader who confirmed and later left, and one who never confirmed.
    gone = subscription_request(group=group, email=f"moved-away@{group.slug}.example.org")
    subscription_confirm(token=gone.subscription.token)
    subscription_unsubscribe(token=gone.subscription.token)


def demo_outreach_load(network: Group, congregation: Group, *, member) -> None:
    host = congregation.memberships.filter(role=Role.HOST).select_related("person").first().person
    members = [
        m.person
        for m in Membership.objects.filter(group=congregation, state=MembershipState.ACTIVE)
        .select_related("person")
        .order_by("started_at", "pk")[:12]
    ]
    _readers(congregation, members, ["a-neighbour@example.org"])
    for email in ("curious@example.org", "friend-of-a-friend@example.org"):
        confirmed = subscription_request(group=congregation, email=email)
        subscription_confirm(token=confirmed.subscription.token)
    _readers(network, members[:4], [])
    issue_create(
        by=host,
        group=congregation,
        subject=f"Winter news from {congregation.name}",
        body=DRAFT,
        segment="subscribers",
    )
    digest_set(person=member, frequency=DigestFrequency.WEEKLY)
