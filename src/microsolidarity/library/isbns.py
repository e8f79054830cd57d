"""ISBNs, checked and kept one way: the ISBN-13, whatever form was typed.

It lives in the library, the lower of the two apps that keep books by ISBN, so reading
lists and the lending bookshelf (participation) check and compare them the same way.
"""

from django.utils.translation import gettext as _
from stdnum import isbn as isbn_numbers
from stdnum.exceptions import ValidationError as NumberInvalid

from microsolidarity.errors import RuleBroken


def isbn_clean(text: str) -> str:
    """The ISBN-13 of a typed ISBN-10 or -13 (spaces and hyphens allowed); "" for none."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return isbn_numbers.to_isbn13(isbn_numbers.validate(text))
    except NumberInvalid:
        raise RuleBroken(
            _("%(isbn)s is not a valid ISBN: check the digits (the last one is a check digit).")
            % {"isbn": text[:40]},
            field="isbn",
        ) from None


def isbn_display(value: str) -> str:
    """An ISBN with its hyphens where they belong, for reading."""
    return isbn_numbers.format(value) if value else ""
