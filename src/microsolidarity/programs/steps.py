"""Practices as crewing's meeting-format steps, and readings as links: checked and parsed."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext as _

from microsolidarity.crewing.forms import steps_parse, steps_text
from microsolidarity.errors import RuleBroken

MAX_READINGS = 20

__all__ = ["readings_check", "readings_parse", "readings_text", "steps_check", "steps_text"]


def steps_check(steps: list) -> list[dict]:
    """The same rules as a congregation's own meeting format (crewing.forms.steps_parse)."""
    if not steps:
        return []
    try:
        return steps_parse(steps_text(steps))
    except forms.ValidationError as error:
        raise RuleBroken(" ".join(error.messages), field="practices") from error


def _link_check(url: str, line: int) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuleBroken(
            _("Reading %(n)s: give a web address starting with https://.") % {"n": line},
            field="readings",
        )
    return url[:500]


def readings_check(readings: list) -> list[dict]:
    cleaned = []
    for line, reading in enumerate(readings or [], start=1):
        title = str(reading.get("title", "")).strip()[:200]
        url = _link_check(str(reading.get("url", "")).strip(), line)
        cleaned.append({"title": title or url, "url": url})
    if len(cleaned) > MAX_READINGS:
        raise RuleBroken(_("Up to 20 readings a module, please."), field="readings")
    return cleaned


def readings_parse(text: str) -> list[dict]:
    """Lines `title | https://...` (or just the address) into readings."""
    readings = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.rpartition("|")
        readings.append({"title": title.strip(), "url": url.strip()})
    return readings_check(readings)


def readings_text(readings: list[dict]) -> str:
    return "\n".join(f"{r['title']} | {r['url']}" for r in readings)
