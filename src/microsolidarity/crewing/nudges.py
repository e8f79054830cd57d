"""Every few months (90 days unless a congregation sets otherwise) active crews are asked
to check in; `CrewNudge` remembers when, so each crew gets one per period."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from microsolidarity.crewing import emails
from microsolidarity.crewing.models import CrewingSettings, CrewNudge
from microsolidarity.groups.models import Group, MembershipState, Scale, Status
from microsolidarity.periodic import each_survives

DEFAULT_DAYS = CrewingSettings._meta.get_field("check_in_every_days").default


def _crew_page(crew: Group) -> str:
    cycle = crew.crew_cycles.order_by("-number").first()
    return cycle.get_absolute_url() if cycle is not None else crew.get_absolute_url()


def crews_due_for_nudge(*, now: datetime):
    """Active crews whose last check-in reminder (or start, if none yet) is a period old."""
    periods = dict(CrewingSettings.objects.values_list("congregation_id", "check_in_every_days"))
    crews = (
        Group.objects.filter(scale=Scale.CREW, status=Status.ACTIVE)
        .select_related("crew_nudge")
        .order_by("pk")
    )
    due = []
    for crew in crews:
        days = (periods.get(crew.parent_id) if crew.parent_id is not None else None) or DEFAULT_DAYS
        nudge = getattr(crew, "crew_nudge", None)
        since = nudge.sent_at if nudge is not None else crew.created_at
        if since <= now - timedelta(days=days):
            due.append(crew)
    return due


@transaction.atomic
def _nudge(crew: Group, now: datetime, days: int) -> bool:
    # Claim the period first: lock the nudge row (or create it) so two runners send once.
    nudge, created = CrewNudge.objects.select_for_update().get_or_create(
        crew=crew, defaults={"sent_at": now}
    )
    if not created:
        if nudge.sent_at > now - timedelta(days=days):
            return False
        nudge.sent_at = now
        nudge.save(update_fields=["sent_at"])
    page = _crew_page(crew)
    # Sent inside the claim's transaction: the period is marked only once the emails went;
    # a failed one rolls the claim back and the next pass asks the crew again.
    for membership in crew.memberships.filter(state=MembershipState.ACTIVE).select_related(
        "person"
    ):
        emails.check_in_email_send(crew=crew, person=membership.person, page_path=page)
    return True


def crew_nudges_send(*, now: datetime | None = None) -> int:
    """Remind each active crew to check in once per its congregation's period; a crew that
    fails is logged and the others are still asked."""
    now = now or timezone.now()
    periods = dict(CrewingSettings.objects.values_list("congregation_id", "check_in_every_days"))
    return each_survives(
        crews_due_for_nudge(now=now),
        lambda crew: _nudge(crew, now, periods.get(crew.parent_id) or DEFAULT_DAYS),
        what="The check-in nudge of crew",
    )
