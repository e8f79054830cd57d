"""Demo moderation: an open report for the hosts to read, and a crew call they hid."""

from microsolidarity.crewing.models import CrewCall
from microsolidarity.groups.models import Group, Membership, MembershipState, Role
from microsolidarity.moderation.models import ActionKind, ContentKind
from microsolidarity.moderation.services import action_take, report_create


def demo_moderation_load(congregation: Group, *, reporter) -> None:
    """In the first congregation, so the demo host sees both in the moderation queue."""
    host = congregation.memberships.filter(role=Role.HOST).select_related("person").first().person
    others = (
        Membership.objects.filter(group=congregation, state=MembershipState.ACTIVE)
        .exclude(person__in=[host, reporter])
        .select_related("person")
        .order_by("started_at", "pk")
    )
    about = others.first().person
    report_create(
        reporter=reporter,
        group=congregation,
        about_person=about,
        reason="In last week's call they kept talking over the newer people. Maybe a word?",
    )
    call = (
        CrewCall.objects.filter(congregation=congregation)
        .exclude(caller__in=[host, reporter])
        .order_by("created_at", "pk")
        .first()
    )
    if call is None:
        return
    report = report_create(
        reporter=reporter,
        group=congregation,
        content_kind=ContentKind.CREW_CALL,
        content_id=call.pk,
        reason="The call asks people to pay to join, which is not how crews work here.",
    )
    action_take(
        by=host,
        group=congregation,
        person=report.about_person,
        kind=ActionKind.HIDE,
        reason="Hidden while we talk it over with you; tell us your side and we may show it again.",
        report=report,
    )
