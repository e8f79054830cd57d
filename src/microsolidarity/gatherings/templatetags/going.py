"""`{% going occurrence %}`: how many are going, as a fresh part of a kept page (page_cache).

On a busy evening RSVPs change these counts several times a second and nothing else on the
pages that list gatherings; as a fresh part the rest of the page stays kept, and one query
counts every occurrence a kept page shows.
"""

from django import template
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from microsolidarity.gatherings.queries import going_counts
from microsolidarity.page_cache import fresh_part, render_part

register = template.Library()


def going_words(going: int, waiting: int, capacity: int | None) -> str:
    if capacity:
        words = gettext("%(n)s of %(seats)s seats taken") % {"n": going, "seats": capacity}
        if waiting:
            words += " · " + gettext("%(n)s waiting") % {"n": waiting}
        return escape(words)
    return escape(ngettext("%(n)s going", "%(n)s going", going) % {"n": going})


@fresh_part
def going_part(request, many, known) -> list[str]:
    """`many`: (occurrence id, the gathering's capacity) per place; `known`: the occurrence,
    with its counts (`with_fresh_counts`), when the page has it."""
    unknown = [pk for (pk, _capacity), has in zip(many, known, strict=True) if not has]
    counts = going_counts(unknown) if unknown else {}
    shown = []
    for (pk, capacity), has in zip(many, known, strict=True):
        occurrence = has.get("occurrence")
        if occurrence is not None:
            going, waiting = occurrence.going_count, occurrence.waitlist_count
        else:
            going, waiting = counts.get(pk, (0, 0))
        shown.append(going_words(going, waiting, capacity))
    return shown


@register.simple_tag(takes_context=True)
def going(context, occurrence):
    """Needs `going_count` and `waitlist_count` on the occurrence (`with_fresh_counts`)."""
    return render_part(
        context["request"],
        going_part,
        occurrence.pk,
        occurrence.gathering.capacity,
        occurrence=occurrence,
    )
