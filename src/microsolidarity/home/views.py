"""The home page, for visitors and for members."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from microsolidarity.gatherings.models import OccurrenceStatus, Rsvp, RsvpState
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group, Scale

UPCOMING_ON_HOME = 6


def _my_next_gatherings(person) -> list[Rsvp]:
    return list(
        Rsvp.objects.filter(
            person=person,
            state__in=[RsvpState.GOING, RsvpState.WAITLISTED],
            occurrence__ends_at__gte=timezone.now(),
            occurrence__status=OccurrenceStatus.SCHEDULED,
        )
        .filter(
            group_queries.not_hidden_for(
                person, "occurrence__gathering__group", "occurrence__gathering__hidden_at"
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
    return render(
        request,
        "home/home.html",
        {
            "home": group_queries.home_for(request.user),
            "next_gatherings": _my_next_gatherings(request.user),
        },
    )
