"""The languages a person can name: ISO 639-1 codes with English names, offline."""

from functools import cache

from django.conf.locale import LANG_INFO


@cache
def language_names() -> dict[str, str]:
    """Base language codes (no regional variants) to their English names."""
    return {
        code: info["name"]
        for code, info in LANG_INFO.items()
        if "-" not in code and "name" in info and len(code) in (2, 3)
    }


def language_code(text: str) -> str | None:
    """Accept a code (`de`) or an English name (`German`); return the code or None."""
    wanted = text.strip().lower()
    names = language_names()
    if wanted in names:
        return wanted
    for code, name in names.items():
        if name.lower() == wanted:
            return code
    return None


def language_label(code: str) -> str:
    return language_names().get(code, code)
