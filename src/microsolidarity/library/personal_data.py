"""What the library holds about a person: which works they added or last edited. The works
themselves are published writing, kept when an account goes; only the link to the person goes."""

from microsolidarity.library.models import Book, Episode, Essay, ReadingList, Video


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def library_export(*, person) -> dict:
    return {
        "essays_added": [
            {"slug": e.slug, "title": e.title, "created_at": _iso(e.created_at)}
            for e in Essay.objects.filter(created_by=person).order_by("created_at", "pk")
        ],
        "essays_last_edited": [
            {"slug": e.slug, "title": e.title, "updated_at": _iso(e.updated_at)}
            for e in Essay.objects.filter(updated_by=person).order_by("updated_at", "pk")
        ],
        "books_added": [
            {"slug": b.slug, "title": b.title, "created_at": _iso(b.created_at)}
            for b in Book.objects.filter(created_by=person).order_by("created_at", "pk")
        ],
        "episodes_published": [
            {"title": e.title, "published_at": _iso(e.published_at)}
            for e in Episode.objects.filter(created_by=person).order_by("published_at", "pk")
        ],
        "videos_added": [
            {"title": v.title, "url": v.url}
            for v in Video.objects.filter(created_by=person).order_by("created_at", "pk")
        ],
        "reading_lists_started": [
            {"slug": r.slug, "title": r.title, "group": r.owner.name}
            for r in ReadingList.objects.filter(created_by=person)
            .select_related("owner")
            .order_by("created_at", "pk")
        ],
    }


def library_forget(*, person) -> int:
    """Unlink the person from the works they added; returns how many rows changed."""
    changed = 0
    for model in (Essay, Book, Episode, Video, ReadingList):
        changed += model.objects.filter(created_by=person).update(created_by=None)
    changed += Essay.objects.filter(updated_by=person).update(updated_by=None)
    return changed
