"""Addresses of the pages that lists link to row by row, without a full reverse() per row.

A reverse() walks the URL resolver and checks each argument against its converter: about
35 microseconds, and a list of 30 gatherings or groups asks for one per row. The first call
for a route reverses it once with placeholder digits; later calls fill the placeholders in.
Only slugs and ids take the fast way (the characters a slug or int converter accepts, which
reverse() would not quote); anything else goes through reverse() as before.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")


@lru_cache(maxsize=256)
def _pieces(name: str, count: int, urlconf, root: str, prefix: str) -> tuple[str, ...] | None:
    # Digits, so int converters accept them as well as slug ones.
    markers = [f"98765432{index}" for index in range(count)]
    rest = reverse(name, args=markers, urlconf=urlconf)
    pieces = []
    for marker in markers:
        head, found, rest = rest.partition(marker)
        if not found:
            return None
        pieces.append(head)
    pieces.append(rest)
    return tuple(pieces)


def path_for(name: str, *args: str | int) -> str:
    """reverse(name, args=args) for a route whose arguments are slugs or ids."""
    texts = [str(arg) for arg in args]
    if not all(_PLAIN.fullmatch(text) for text in texts):
        return reverse(name, args=args)
    # Keyed by what reverse() depends on: the URLconf (per request or overridden in
    # settings) and the script prefix the site is mounted under.
    pieces = _pieces(name, len(texts), get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    if pieces is None:
        return reverse(name, args=args)
    out = [pieces[0]]
    for text, piece in zip(texts, pieces[1:], strict=True):
        out += [text, piece]
    return "".join(out)
