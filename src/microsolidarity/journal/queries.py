"""Reads of a person's own journal; every query starts from the author, never from an id alone."""

from django.http import Http404

from microsolidarity.groups.models import Group, Membership
from microsolidarity.journal.access import is_author
from microsolidarity.journal.models import Entry, Part


def entries_of(author):
    return (
        Entry.objects.filter(author=author)
        .select_related("group")
        .prefetch_related("parts")
        .order_by("-written_at", "-pk")
    )


def entries_page(author, parts: list[Part], *, page: int, size: int) -> tuple[list[Entry], bool]:
    """One page of the author's entries, newest first, and whether older ones follow. Each
    entry's `tags` are its parts, taken from `parts` (the author's own, opened once) rather
    than read and opened again for every entry."""
    start = (page - 1) * size
    # The list shows no meeting: the group is read on the entry's own page.
    entries = list(
        Entry.objects.filter(author=author).order_by("-written_at", "-pk")[start : start + size + 1]
    )
    more, entries = len(entries) > size, entries[:size]
    if not entries:
        return entries, more
    place = {part.pk: number for number, part in enumerate(parts)}
    tagged = Entry.parts.through.objects.filter(entry__in=[entry.pk for entry in entries])
    tags: dict[int, list[int]] = {}
    for entry_id, part_id in tagged.values_list("entry_id", "part_id"):
        if part_id in place:  # else a part named since `parts` was read: shown next time
            tags.setdefault(entry_id, []).append(place[part_id])
    for entry in entries:
        entry.tags = [parts[number] for number in sorted(tags.get(entry.pk, []))]
    return entries, more


def entry_of(author, entry_id: int) -> Entry:
    """The author's entry, or 404 alike for one that is someone else's and one that isn't there."""
    entry = entries_of(author).filter(pk=entry_id).first()
    if entry is None or not is_author(author, entry):
        raise Http404("There is no journal entry of yours at this address.")
    return entry


def parts_of(author) -> list[Part]:
    parts = list(Part.objects.filter(author=author))
    return sorted(parts, key=lambda part: part.label.casefold())


def part_of(author, part_id: int) -> Part:
    part = Part.objects.filter(author=author, pk=part_id).first()
    if part is None or not is_author(author, part):
        raise Http404("There is no part of yours at this address.")
    return part


def linkable_groups(author):
    """Dyads and crews the author belongs or belonged to: the meetings an entry may follow."""
    return (
        Group.objects.filter(
            memberships__person=author,
            memberships__state__in=[*Membership.MEMBER_STATES, "alumni"],
            scale__in=["dyad", "crew"],
        )
        .distinct()
        .order_by("-created_at")
    )
