"""Template tags for the site's look: initials avatars and date blocks, made locally."""

import zlib

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from microsolidarity.crewing.queries import open_calls
from microsolidarity.gatherings.queries import upcoming_for, with_fresh_counts
from microsolidarity.groups.queries import request_memberships

register = template.Library()

AVATAR_COLOURS = 8


def initials(name: str) -> str:
    """ "Ana Lúcia Silva" -> "AS"; "mo" -> "M"; nothing readable -> "?"."""
    words = [word for word in str(name).replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_of(key) -> int:
    # crc32 rather than hash(): the same person keeps the same colour across processes.
    return zlib.crc32(str(key).encode()) % AVATAR_COLOURS


@register.simple_tag
def avatar(person, size: str = "") -> str:
    """A circle with a person's initials; decorative, since the name is always written beside it."""
    name = str(person)
    key = getattr(person, "pk", None) or name
    classes = f"avatar a{colour_of(key)}" + (f" {size}" if size else "")
    return format_html('<span class="{}" aria-hidden="true">{}</span>', classes, initials(name))


@register.simple_tag
def date_block(moment) -> str:
    """A calendar-page block (month over day) in the viewer's time zone, with a machine date."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return format_html(
        '<time class="date-block" datetime="{}"><span class="month">{}</span>'
        '<span class="day">{}</span></time>',
        local.isoformat(),
        date_format(local, "M"),
        local.day,
    )


GROUP_PAGE_SHOWN = 4


@register.inclusion_tag("home/_group_upcoming.html", takes_context=True)
def group_upcoming(context, group):
    """A group's next gatherings on its own page; a tag because groups sits below gatherings.
    Their counts are a fresh part (`{% going %}`), so the rest of a kept page stays kept."""
    request = context["request"]
    upcoming = upcoming_for(
        request.user,
        group=group,
        limit=GROUP_PAGE_SHOWN,
        memberships=request_memberships(request),
        counts=False,
    )
    return {"group": group, "upcoming": with_fresh_counts(upcoming), "request": request}


@register.inclusion_tag("home/_group_calls.html", takes_context=True)
def group_open_calls(context, group):
    """A congregation's open crew calls, for the people who may use its crewing pages."""
    viewer = context["request"].user
    calls = []
    if viewer.is_authenticated and viewer.has_perm("crewing.use_crewing", group):
        hosting = [m.group_id for m in request_memberships(context["request"]) if m.is_hosting()]
        calls = list(open_calls(group, viewer, hosting_ids=hosting)[:GROUP_PAGE_SHOWN])
    return {"group": group, "calls": calls, "request": context["request"]}


@register.filter
def any_has(items, attribute: str) -> bool:
    """True when any item has a truthy `attribute`: "is any crew in this proposal broken?"."""
    return any(getattr(item, attribute, None) for item in items or ())
