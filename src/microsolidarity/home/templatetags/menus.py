"""The main menu, rendered once per process for each language and signed-in state.

Its links and translations are the same for everyone; only the "Me" link's id and the sign-out
form's CSRF token are the viewer's, and those are filled into the kept text on each page.
Without this, each page rendered the menu twice (wide and narrow), a dozen reverse() each.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

PERSON_MARKER = "987654329"
TOKEN_MARKER = "menu-csrf-token-marker"  # noqa: S105 - a placeholder, not a secret
_menus: dict[tuple, str] = {}


@dataclass(frozen=True)
class _StandIn:
    """A signed-in viewer whose id is a marker, filled in per page."""

    pk: str = PERSON_MARKER
    is_authenticated: bool = True


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    key = (
        translation.get_language(),
        signed_in,
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = render_to_string(
            "_main_menu.html",
            {"user": _StandIn() if signed_in else user, "csrf_token": TOKEN_MARKER},
        )
    if signed_in:
        menu = menu.replace(f"/{PERSON_MARKER}/", f"/{user.pk}/").replace(
            TOKEN_MARKER, str(context.get("csrf_token", ""))
        )
    return mark_safe(menu)  # noqa: S308 - our own template, rendered with our own values
