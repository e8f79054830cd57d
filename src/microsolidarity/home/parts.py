"""The home page's fresh parts (page_cache): what everyone's RSVPs and poll answers change all
evening, rendered on every serve of a kept home page; the rest of it stays kept.

Their arguments are what the page read and rendered (the groups I host, written as "1,2,3";
the coming gatherings and open polls of my groups, as their list items): the kept page depends
on the tables it read them from, so they are still true whenever it is served.
"""

import json

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from microsolidarity.gatherings.models import (
    Gathering,
    Occurrence,
    OccurrenceStatus,
    PollAnswer,
    PollSlot,
    Rsvp,
    RsvpState,
)
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group
from microsolidarity.home.dashboard import SHOWN, answered_polls
from microsolidarity.page_cache import ANY_ROWS, fresh_part, row_version, table_version

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


def _mine(request, model) -> list[str]:
    """The versions of my own rows of `model` (and of rows written without saying whose)."""
    return [row_version(model, f"person:{request.user.pk}"), row_version(model, ANY_ROWS)]


def _my_gatherings_kept_by(request, hosting, coming):
    tables = [table_version(model) for model in (Occurrence, Gathering, Group)]
    return [*_mine(request, Rsvp), *tables], None


def _open_polls_kept_by(request, polls, what):
    closing = [closes for _pk, closes, _item in json.loads(polls) if closes is not None]
    return [*_mine(request, PollAnswer), table_version(PollSlot)], min(closing, default=None)


@fresh_part(kept_by=_my_gatherings_kept_by)
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


@fresh_part(kept_by=_open_polls_kept_by)
def open_polls_part(request, many, known) -> list[str]:
    """The time polls I have yet to answer, as items of "What comes next" (`many`: (the open
    polls of my groups as JSON [[poll id, closing time as a timestamp or null, its list
    item's HTML], ...], "")), or "nothing waiting" when there are none (`many`: (the same,
    "nothing")): the page asks that one only when none of its other items are there. The
    polls are read and rendered with the page; only my answers, and the clock, change which
    show. One query however many places show it."""
    now = timezone.now().timestamp()
    listed = {polls: json.loads(polls) for polls, _what in many}
    ids = {poll_id for polls in listed.values() for poll_id, _closes, _item in polls}
    answered = answered_polls(request.user, sorted(ids))
    shown = []
    for polls, what in many:
        items = [
            mark_safe(item)  # noqa: S308 (rendered by the page from its own template)
            for poll_id, closes, item in listed[polls]
            if poll_id not in answered and (closes is None or closes > now)
        ][:SHOWN]
        shown.append(
            render_to_string(
                "home/_open_polls.html",
                {"open_polls": items, "nothing_waiting": what == "nothing"},
            )
        )
    return shown
