"""The languages a person can name: ISO 639-1 codes with English names, offline."""

from functools import cache

from django.conf.locale import LANG_INFO

# Widely spoken languages that Django has no translation for, so LANG_INFO lacks them
# (Chinese is there only as zh-hans and zh-hant).
_BEYOND_DJANGO = {
    "zh": "Chinese",
    "tl": "Tagalog",
    "gu": "Gujarati",
    "ha": "Hausa",
    "yo": "Yoruba",
    "am": "Amharic",
    "zu": "Zulu",
    "xh": "Xhosa",
    "so": "Somali",
    "ps": "Pashto",
    "si": "Sinhala",
    "lo": "Lao",
    "mt": "Maltese",
}


@cache
def language_names() -> dict[str, str]:
    """Base language codes (no regional variants) to their English names."""
    names = {
        code: info["name"]
        for code, info in LANG_INFO.items()
        if "-" not in code and "name" in info and len(code) in (2, 3)
    }
    return {**_BEYOND_DJANGO, **names}


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
