"""The home page's fresh parts (page_cache): what everyone's RSVPs and poll answers change all
evening, rendered on every serve of a kept home page; the rest of it stays kept.

Their arguments are the person's group ids, written as "1,2,3": the kept page depends on the
memberships it was rendered from, so they are still true whenever it is served.
"""

import json

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from microsolidarity.gatherings.models import OccurrenceStatus, Rsvp, RsvpState
from microsolidarity.groups import queries as group_queries
from microsolidarity.home.dashboard import SHOWN, open_polls_for
from microsolidarity.page_cache import fresh_part

UPCOMING_ON_HOME = 6


def ids_written(ids) -> str:
    return ",".join(str(pk) for pk in ids)


def ids_read(text: str) -> list[int]:
    return [int(pk) for pk in text.split(",") if pk]


def my_next_gatherings(person, hosting_ids) -> list[Rsvp]:
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


@fresh_part
def my_gatherings_part(request, many, known) -> list[str]:
    """Gatherings I'm going to, then what comes up in my groups that I am not going to yet.
    `many`: (the groups I host, the coming gatherings of my groups as JSON [[occurrence id,
    its list item's HTML], ...], rendered with the page: only my RSVPs change which show)."""
    shown = []
    for hosting, coming in many:
        next_gatherings = my_next_gatherings(request.user, ids_read(hosting))
        going_ids = {rsvp.occurrence_id for rsvp in next_gatherings}
        in_my_groups = [
            mark_safe(item)  # noqa: S308 (rendered by the page from its own template)
            for occurrence_id, item in json.loads(coming)
            if occurrence_id not in going_ids
        ][:SHOWN]
        shown.append(
            render_to_string(
                "home/_my_gatherings.html",
                {"next_gatherings": next_gatherings, "gatherings_in_my_groups": in_my_groups},
            )
        )
    return shown


@fresh_part
def open_polls_part(request, many, known) -> list[str]:
    """The time polls I have yet to answer, as items of "What comes next" (`many`: (member
    of, "")), or "nothing waiting" when there are none (`many`: (member of, "nothing")): the
    page asks that one only when none of its other items are there. One query per set of
    groups, however many places show it."""
    polls: dict[str, list] = {}
    shown = []
    for member_of, what in many:
        if member_of not in polls:
            polls[member_of] = open_polls_for(request.user, ids_read(member_of))
        shown.append(
            render_to_string(
                "home/_open_polls.html",
                {"open_polls": polls[member_of], "nothing_waiting": what == "nothing"},
            )
        )
    return shown
