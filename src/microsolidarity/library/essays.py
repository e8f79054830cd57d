"""Writing essays: in the site by stewards, or imported from a folder of Markdown files."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.library import access
from microsolidarity.library.books import books_changed
from microsolidarity.library.front_matter import EssayFile, essay_file_read
from microsolidarity.library.licences import Licence, derivative_licence_allowed
from microsolidarity.library.models import Essay

MAX_FILE_BYTES = 1_000_000
# essay_update leaves the essay's original as it is unless told otherwise.
UNCHANGED = object()
ESSAY_FIELDS = (
    "title",
    "author",
    "licence",
    "body",
    "source_url",
    "published_on",
    "language",
    "summary",
    "translations",
)


def _check_licence(licence: str, derived_from: Essay | None) -> None:
    if licence not in Licence.values:
        raise RuleBroken(_("Choose one of the licences offered."), field="licence")
    if derived_from is not None and not derivative_licence_allowed(
        source=derived_from.licence, derivative=licence
    ):
        raise RuleBroken(
            _(
                "“%(title)s” is under %(licence)s, which asks that adaptations keep the same "
                "licence: choose %(licence)s for this one too."
            )
            % {"title": derived_from.title, "licence": Licence(derived_from.licence).label},
            field="licence",
        )


def _derived_from(essay_id: int | None, *, editing: Essay | None = None) -> Essay | None:
    if essay_id is None:
        return None
    source = Essay.objects.filter(pk=essay_id).first()
    if source is None:
        raise RuleBroken(_("The essay this adapts is not in the library."), field="derived_from")
    # Walking up the chain must never come back to the essay being edited.
    seen: set[int] = set()
    cursor: Essay | None = source
    while cursor is not None:
        if editing is not None and cursor.pk == editing.pk:
            raise RuleBroken(_("An essay cannot be adapted from itself."), field="derived_from")
        if cursor.pk in seen:
            break
        seen.add(cursor.pk)
        cursor = cursor.derived_from
    return source


def _check_steward(by) -> None:
    if not access.is_steward(by):
        raise NotAllowed(_("Only stewards edit the library."))


@transaction.atomic
def essay_create(
    *,
    by,
    slug: str,
    title: str,
    author: str,
    licence: str,
    body: str,
    source_url: str = "",
    published_on: date | None = None,
    language: str = "en",
    summary: str = "",
    translations: list[dict] | None = None,
    derived_from_id: int | None = None,
) -> Essay:
    _check_steward(by)
    slug = slugify(slug or title)[:140]
    if not slug:
        raise RuleBroken(_("Give the essay an address of letters and digits."), field="slug")
    if Essay.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Another essay already has the address %(slug)s.") % {"slug": slug}, field="slug"
        )
    derived_from = _derived_from(derived_from_id)
    _check_licence(licence, derived_from)
    return Essay.objects.create(
        slug=slug,
        title=title,
        author=author,
        licence=licence,
        body=body,
        source_url=source_url,
        published_on=published_on,
        language=language or "en",
        summary=summary,
        translations=list(translations or []),
        derived_from=derived_from,
        created_by=by,
        updated_by=by,
    )


@transaction.atomic
def essay_update(*, by, essay_id: int, derived_from_id=UNCHANGED, **values) -> Essay:
    """Change an essay; every book holding it is rebuilt in the background.

    `derived_from_id` names the essay this adapts (None: it adapts none); left out, it stays.
    """
    _check_steward(by)
    essay = Essay.objects.select_for_update().filter(pk=essay_id).first()
    if essay is None:
        raise RuleBroken(_("That essay is not in the library."))
    unknown = set(values) - set(ESSAY_FIELDS)
    if unknown:
        raise TypeError(f"essay_update got unknown fields {sorted(unknown)}")
    if derived_from_id is UNCHANGED:
        derived_from_id = essay.derived_from_id
    derived_from = _derived_from(derived_from_id, editing=essay)
    _check_licence(values.get("licence", essay.licence), derived_from)
    for derivative in essay.derivatives.all():
        new_licence = values.get("licence", essay.licence)
        if not derivative_licence_allowed(source=new_licence, derivative=derivative.licence):
            raise RuleBroken(
                _("“%(title)s” adapts this essay under %(licence)s; change it first.")
                % {"title": derivative.title, "licence": derivative.get_licence_display()},
                field="licence",
            )
    changed = [name for name, value in values.items() if getattr(essay, name) != value]
    if derived_from != essay.derived_from:
        changed.append("derived_from")
    if not changed:
        return essay
    for name in changed:
        setattr(essay, name, derived_from if name == "derived_from" else values[name])
    essay.updated_by = by
    essay.updated_at = timezone.now()
    # The imported file no longer says what the essay says: an import must not silently undo this.
    essay.content_hash = ""
    essay.save(update_fields=[*changed, "updated_by", "updated_at", "content_hash"])
    books_changed(essay_ids=[essay.pk])
    return essay


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _import_one(parsed: EssayFile, *, name: str, by, overwrite: bool, report: ImportReport):
    derived_from = None
    if parsed.derived_from:
        derived_from = Essay.objects.filter(slug=parsed.derived_from).first()
        if derived_from is None:
            raise RuleBroken(
                _("It adapts %(slug)s, which is not in the library or this folder.")
                % {"slug": parsed.derived_from}
            )
    _check_licence(parsed.licence, derived_from)
    values = {name_: getattr(parsed, name_) for name_ in ESSAY_FIELDS}
    with transaction.atomic():
        essay = Essay.objects.select_for_update().filter(slug=parsed.slug).first()
        if essay is None:
            Essay.objects.create(
                slug=parsed.slug,
                **values,
                derived_from=derived_from,
                imported_from=name,
                content_hash=parsed.content_hash,
                created_by=by,
                updated_by=by,
            )
            report.created.append(parsed.slug)
            return
        if essay.content_hash == parsed.content_hash:
            report.unchanged.append(parsed.slug)
            return
        if not essay.content_hash and not overwrite:
            report.skipped.append(
                (
                    name,
                    _(
                        "“%(title)s” was edited in the site since it was imported; "
                        "--overwrite replaces those edits with the file."
                    )
                    % {"title": essay.title},
                )
            )
            return
        for key, value in values.items():
            setattr(essay, key, value)
        essay.derived_from = derived_from
        essay.imported_from = name
        essay.content_hash = parsed.content_hash
        essay.updated_by = by
        essay.updated_at = timezone.now()
        essay.save(
            update_fields=[
                *values,
                "derived_from",
                "imported_from",
                "content_hash",
                "updated_by",
                "updated_at",
            ]
        )
        books_changed(essay_ids=[essay.pk])
        report.updated.append(parsed.slug)


def essays_import(*, directory: Path, by=None, overwrite: bool = False) -> ImportReport:
    """Import every *.md file in a folder; running it again changes only what changed.

    Each file is its own transaction: one bad file is reported and the rest still import.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleBroken(_("%(path)s is not a folder.") % {"path": directory})
    report = ImportReport()
    parsed: list[tuple[str, EssayFile]] = []
    slugs: dict[str, str] = {}
    for path in sorted(directory.glob("*.md")):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise RuleBroken(_("The file is larger than 1 MB."))
            text = path.read_text(encoding="utf-8")
            essay_file = essay_file_read(text, default_slug=path.stem)
        except UnicodeDecodeError:
            report.errors.append((path.name, _("The file is not UTF-8 text.")))
            continue
        except RuleBroken as error:
            report.errors.append((path.name, error.message))
            continue
        if essay_file.slug in slugs:
            report.errors.append(
                (
                    path.name,
                    _("%(other)s has the same slug, %(slug)s.")
                    % {"other": slugs[essay_file.slug], "slug": essay_file.slug},
                )
            )
            continue
        slugs[essay_file.slug] = path.name
        parsed.append((path.name, essay_file))
    # Originals before their adaptations, so a folder can hold both (chains too).
    parents = {essay_file.slug: essay_file.derived_from for _name, essay_file in parsed}

    def depth(slug: str) -> int:
        steps, seen = 0, {slug}
        while parents.get(slug) in parents and parents[slug] not in seen:
            slug = parents[slug]
            seen.add(slug)
            steps += 1
        return steps

    parsed.sort(key=lambda item: depth(item[1].slug))
    for name, essay_file in parsed:
        try:
            _import_one(essay_file, name=name, by=by, overwrite=overwrite, report=report)
        except RuleBroken as error:
            report.errors.append((name, error.message))
    return report
