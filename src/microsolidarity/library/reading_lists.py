"""Reading lists: ordered essays, links and books a group keeps, for its programs and crews."""

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.library import access
from microsolidarity.library.isbns import isbn_clean
from microsolidarity.library.models import Essay, ReadingItem, ReadingList

MAX_ITEMS = 200


@transaction.atomic
def reading_list_create(
    *, by, owner, title: str, slug: str = "", description: str = ""
) -> ReadingList:
    if not access.can_keep_reading_lists(by, owner):
        raise NotAllowed(
            _("Only the hosts of %(name)s keep its reading lists.") % {"name": owner.name}
        )
    slug = slugify(slug or f"{owner.slug}-{title}")[:140]
    if not slug:
        raise RuleBroken(_("Give the list an address of letters and digits."), field="slug")
    if ReadingList.objects.filter(slug=slug).exists():
        raise Conflict(_("Another list has the address %(slug)s.") % {"slug": slug}, field="slug")
    return ReadingList.objects.create(
        owner=owner, slug=slug, title=title, description=description, created_by=by
    )


def _locked(by, reading_list_id: int) -> ReadingList:
    reading_list = (
        ReadingList.objects.select_for_update().select_related("owner").filter(pk=reading_list_id)
    ).first()
    if reading_list is None:
        raise RuleBroken(_("That reading list is gone."))
    if not access.can_edit_reading_list(by, reading_list):
        raise NotAllowed(
            _("Only the hosts of %(name)s change this list.") % {"name": reading_list.owner.name}
        )
    return reading_list


@transaction.atomic
def reading_item_add(
    *,
    by,
    reading_list_id: int,
    essay_id: int | None = None,
    link_url: str = "",
    link_title: str = "",
    isbn: str = "",
    book_title: str = "",
    book_author: str = "",
    note: str = "",
) -> ReadingItem:
    """Append an essay, a link with a title, or a book (a title with an ISBN) to the list."""
    reading_list = _locked(by, reading_list_id)
    isbn = (isbn or "").strip()
    kinds = (essay_id is not None) + bool(link_url) + bool(isbn)
    if kinds != 1:
        if not kinds and (book_title or "").strip():
            raise RuleBroken(
                _("Give the book's ISBN, so people can find a copy on a shelf."), field="isbn"
            )
        raise RuleBroken(_("Add an essay, a link or a book, one at a time."))
    if essay_id is not None and not Essay.objects.filter(pk=essay_id).exists():
        raise RuleBroken(_("That essay is not in the library."), field="essay")
    if link_url and not link_title.strip():
        raise RuleBroken(_("Give the link a title people can read."), field="link_title")
    if isbn:
        isbn = isbn_clean(isbn)
        if not (book_title or "").strip():
            raise RuleBroken(_("Give the book's title."), field="book_title")
    items = reading_list.items
    if items.count() >= MAX_ITEMS:
        raise RuleBroken(_("A reading list holds at most %(max)s items.") % {"max": MAX_ITEMS})
    last = items.aggregate(last=Max("position"))["last"] or 0
    if isbn:
        title, author = book_title.strip()[:200], (book_author or "").strip()[:200]
    elif link_url:
        title, author = link_title.strip(), ""
    else:
        title, author = "", ""
    return ReadingItem.objects.create(
        reading_list=reading_list,
        position=last + 1,
        essay_id=essay_id,
        link_url=link_url,
        link_title=title,
        isbn=isbn,
        author=author,
        note=note,
    )


@transaction.atomic
def reading_item_remove(*, by, item_id: int) -> None:
    item = ReadingItem.objects.filter(pk=item_id).first()
    if item is None:
        return
    reading_list = _locked(by, item.reading_list_id)
    reading_list.items.filter(pk=item_id).delete()
    # Close the gap so positions stay 1..n.
    for position, item in enumerate(reading_list.items.order_by("position"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def reading_item_move(*, by, item_id: int, up: bool) -> ReadingItem:
    """Swap an item with its neighbour above or below; at either end it stays put."""
    item = ReadingItem.objects.filter(pk=item_id).first()
    if item is None:
        raise RuleBroken(_("That item is no longer on the list."))
    reading_list = _locked(by, item.reading_list_id)
    item = reading_list.items.get(pk=item_id)
    neighbours = reading_list.items.filter(
        position__lt=item.position if up else 32767, position__gt=0 if up else item.position
    ).order_by("-position" if up else "position")
    other = neighbours.first()
    if other is None:
        return item
    mine, theirs = item.position, other.position
    # The unique position per list holds at every step: park one item at 0 first.
    item.position = 0
    item.save(update_fields=["position"])
    other.position = mine
    other.save(update_fields=["position"])
    item.position = theirs
    item.save(update_fields=["position"])
    return item
