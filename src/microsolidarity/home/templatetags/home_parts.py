"""The home page's fresh parts, as tags (home/parts.py)."""

import json

from django import template
from django.template.loader import render_to_string

from microsolidarity.home import parts
from microsolidarity.home.dashboard import gatherings_in_my_groups, memberships_read, open_polls_in
from microsolidarity.page_cache import render_part

register = template.Library()
ITEM_END = "<!--coming-up-item-->"


def _items(template_name: str, context: dict, objects) -> list[tuple]:
    """(object, its list item's HTML), ...: one rendering for all the items, cut apart after."""
    items = render_to_string(template_name, context)
    return list(zip(objects, items.split(ITEM_END)[:-1], strict=True))


def _open_polls(context, home) -> str:
    # Read once for the page, however many places show the polls.
    if "_home_open_polls" not in context.render_context:
        polls = open_polls_in(home.member_of)
        context.render_context["_home_open_polls"] = json.dumps(
            [
                [poll.pk, poll.closes_at.timestamp() if poll.closes_at else None, item]
                for poll, item in _items("home/_open_poll_items.html", {"polls": polls}, polls)
            ]
        )
    return context.render_context["_home_open_polls"]


@register.simple_tag(takes_context=True)
def my_gatherings(context, home):
    """The coming gatherings of my groups are read and rendered here, with the page; the part
    sets aside those I am going to (home/parts.py)."""
    request = context["request"]
    occurrences = gatherings_in_my_groups(request.user, memberships_read(home), home.member_of)
    coming = [
        [occurrence.pk, item]
        for occurrence, item in _items(
            "home/_coming_up_items.html", {"occurrences": occurrences}, occurrences
        )
    ]
    return render_part(
        request,
        parts.my_gatherings_part,
        parts.ids_written(m.group_id for m in home.hosting),
        json.dumps(coming),
    )


@register.simple_tag(takes_context=True)
def open_polls(context, home):
    return render_part(context["request"], parts.open_polls_part, _open_polls(context, home), "")


@register.simple_tag(takes_context=True)
def nothing_waiting(context, home, *others):
    """ "Nothing waiting for you", unless the list has other items (`others`: each kind) or
    polls to answer."""
    if any(others):
        return ""
    return render_part(
        context["request"], parts.open_polls_part, _open_polls(context, home), "nothing"
    )
