"""The home page's fresh parts, as tags (home/parts.py)."""

from django import template

from microsolidarity.home import parts
from microsolidarity.home.dashboard import memberships_read
from microsolidarity.page_cache import render_part

register = template.Library()


def _member_of(home) -> str:
    return parts.ids_written(m.group_id for ms in home.by_scale.values() for m in ms)


@register.simple_tag(takes_context=True)
def my_gatherings(context, home):
    return render_part(
        context["request"],
        parts.my_gatherings_part,
        _member_of(home),
        parts.ids_written(m.group_id for m in home.hosting),
        memberships=memberships_read(home),
    )


@register.simple_tag(takes_context=True)
def open_polls(context, home):
    return render_part(context["request"], parts.open_polls_part, _member_of(home), "")


@register.simple_tag(takes_context=True)
def nothing_waiting(context, home, *others):
    """ "Nothing waiting for you", unless the list has other items (`others`: each kind) or
    polls to answer."""
    if any(others):
        return ""
    return render_part(context["request"], parts.open_polls_part, _member_of(home), "nothing")
