"""The home page, for visitors and for members."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from microsolidarity.gatherings.models import OccurrenceStatus, Rsvp, RsvpState
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group, Scale
from microsolidarity.home.dashboard import guidance_for

UPCOMING_ON_HOME = 6


def _my_next_gatherings(person, hosting_ids) -> list[Rsvp]:
    return list(
        Rsvp.objects.filter(
            person=person,
            state__in=[RsvpState.GOING, RsvpState.WAITLISTED],
            occurrence__ends_at__gte=timezone.now(),
            occurrence__status=OccurrenceStatus.SCHEDULED,
        )
        .filter(
            # The groups the person hosts are on the home page already: no subquery for them.
            group_queries.not_hidden_given(
                person,
                hosting_ids,
                "occurrence__gathering__group",
                "occurrence__gathering__hidden_at",
            )
        )
        .select_related("occurrence__gathering__group")
        .order_by("occurrence__starts_at")[:UPCOMING_ON_HOME]
    )


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        public = group_queries.groups_with_counts(
            Group.objects.visible_to(None).filter(scale=Scale.CONGREGATION)
        )[:12]
        return render(request, "home/welcome.html", {"congregations": public})
    home = group_queries.home_for(request.user)
    hosting_ids = [membership.group_id for membership in home.hosting]
    next_gatherings = _my_next_gatherings(request.user, hosting_ids)
    going_ids = {rsvp.occurrence_id for rsvp in next_gatherings}
    return render(
        request,
        "home/home.html",
        {
            "home": home,
            "next_gatherings": next_gatherings,
            "guidance": guidance_for(request.user, home, going_ids=going_ids),
        },
    )
