"""Reading an essay file: YAML front matter between `---` lines, then the Markdown text."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken
from microsolidarity.library.licences import Licence, licence_from_text

_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
KNOWN_KEYS = {
    "title",
    "author",
    "licence",
    "license",
    "source",
    "source_url",
    "date",
    "translations",
    "slug",
    "language",
    "summary",
    "derived_from",
}


@dataclass
class EssayFile:
    slug: str
    title: str
    author: str
    licence: str
    body: str
    source_url: str = ""
    published_on: datetime.date | None = None
    language: str = "en"
    summary: str = ""
    translations: list[dict] = field(default_factory=list)
    derived_from: str = ""
    content_hash: str = ""


def _url(value, *, what: str) -> str:
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise RuleBroken(
            _("%(what)s is not a web address: %(value)s") % {"what": what, "value": value}
        ) from exc
    return value


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise RuleBroken(
            _("The date %(value)s is not a date like 2026-03-01.") % {"value": value}
        ) from exc


def _translations(value) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise RuleBroken(_("translations must be a list of language and address pairs."))
    found = []
    for item in value:
        if not isinstance(item, dict) or not item.get("language") or not item.get("url"):
            raise RuleBroken(_("Each translation needs a language and a url."))
        found.append(
            {
                "language": str(item["language"]).strip()[:16],
                "title": str(item.get("title") or "").strip()[:200],
                "url": _url(item["url"], what=_("A translation's url")),
            }
        )
    return found


def essay_file_read(text: str, *, default_slug: str) -> EssayFile:
    """Parse one file; a RuleBroken names the first thing that is wrong with it."""
    text = text.lstrip("\ufeff")
    match = _FENCE.match(text)
    if match is None:
        raise RuleBroken(_("The file does not start with front matter between two --- lines."))
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise RuleBroken(
            _("The front matter is not valid YAML: %(error)s") % {"error": str(exc).splitlines()[0]}
        ) from exc
    if not isinstance(meta, dict):
        raise RuleBroken(_("The front matter must be a list of key: value lines."))
    unknown = sorted(set(map(str, meta)) - KNOWN_KEYS)
    if unknown:
        raise RuleBroken(_("Unknown front matter keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    body = text[match.end() :].strip() + "\n"
    title = str(meta.get("title") or "").strip()
    author = str(meta.get("author") or "").strip()
    if not title:
        raise RuleBroken(_("The front matter has no title."))
    if not author:
        raise RuleBroken(_("The front matter has no author: attribution needs one."))
    raw_licence = meta.get("licence", meta.get("license"))
    if not raw_licence:
        raise RuleBroken(_("The front matter has no licence."))
    licence = licence_from_text(raw_licence)
    if licence is None:
        raise RuleBroken(
            _("The licence %(value)s is not one we know; use one of %(known)s.")
            % {"value": raw_licence, "known": ", ".join(Licence.values)}
        )
    if not body.strip():
        raise RuleBroken(_("The essay has no text after its front matter."))
    slug = slugify(str(meta.get("slug") or default_slug))[:140]
    if not slug:
        raise RuleBroken(_("The essay needs a slug made of letters, digits and dashes."))
    return EssayFile(
        slug=slug,
        title=title[:200],
        author=author[:200],
        licence=licence,
        body=body,
        source_url=_url(meta.get("source_url", meta.get("source")), what=_("The source")),
        published_on=_date(meta.get("date")),
        language=str(meta.get("language") or "en").strip()[:16],
        summary=str(meta.get("summary") or "").strip()[:300],
        translations=_translations(meta.get("translations")),
        derived_from=slugify(str(meta.get("derived_from") or "")),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def essay_file_write(essay) -> str:
    """An essay as a Markdown file with its front matter: what an import reads back."""
    meta = {
        "title": essay.title,
        "author": essay.author,
        "licence": essay.licence,
        "slug": essay.slug,
        "language": essay.language,
    }
    if essay.source_url:
        meta["source_url"] = essay.source_url
    if essay.published_on:
        meta["date"] = essay.published_on.isoformat()
    if essay.summary:
        meta["summary"] = essay.summary
    if essay.translations:
        meta["translations"] = essay.translations
    if essay.derived_from_id:
        meta["derived_from"] = essay.derived_from.slug
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n\n{essay.body.strip()}\n"
