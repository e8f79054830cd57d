"""Re-sealing every journal row under the current key, after JOURNAL_KEY changed.

Rows are taken in id order, a batch at a time, each batch in its own transaction with its
rows locked, so a person editing an entry meanwhile never has their edit overwritten. A row
already under the current key is skipped, which makes the work resumable: stopped half way,
run again, it carries on where it was. A row no key opens is counted and left exactly as it
is (an earlier key added later may still open it). Text never reaches a log line.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from microsolidarity.journal.models import Entry, Part
from microsolidarity.journal.sealing import (
    SealBroken,
    needs_reseal,
    open_sealed,
    seal,
)

# Each model, what the progress lines call it, and its sealed columns.
SEALED = (
    (Entry, "journal entries", ("sealed_text",)),
    (Part, "parts", ("sealed_name", "sealed_notes")),
)


@dataclass
class ResealReport:
    rows: int = 0
    resealed: int = 0
    already_current: int = 0
    unreadable: int = 0
    unreadable_ids: list[str] = field(default_factory=list)


def _pending_ids(model, columns) -> list[int]:
    """Ids of rows with a column under another key (the key id is in the value itself)."""
    rows = model.objects.order_by("pk").values_list("pk", *columns)
    return [row[0] for row in rows.iterator() if any(needs_reseal(v) for v in row[1:])]


def _reseal_row(row, columns) -> bool:
    """Seal the row's columns again under the current key; False (and no change) when one
    of them can't be opened."""
    opened = {}
    for column in columns:
        value = getattr(row, column)
        if not needs_reseal(value):
            continue
        try:
            opened[column] = open_sealed(value, author_id=row.author_id)
        except SealBroken:
            return False
    for column, text in opened.items():
        setattr(row, column, seal(text, author_id=row.author_id))
    row.save(update_fields=list(opened))
    return True


def journal_reseal(
    *, batch_size: int = 200, progress: Callable[[str, int, int], None] | None = None
) -> ResealReport:
    """Re-seal every journal row under the current key; `progress(kind, done, total)` is
    called after each batch. Returns what was done."""
    report = ResealReport()
    for model, kind, columns in SEALED:
        total = model.objects.count()
        report.rows += total
        pending = _pending_ids(model, columns)
        report.already_current += total - len(pending)
        done = total - len(pending)
        if progress:
            progress(kind, done, total)
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            with transaction.atomic():
                for row in model.objects.select_for_update().filter(pk__in=batch).order_by("pk"):
                    if _reseal_row(row, columns):
                        report.resealed += 1
                    else:
                        report.unreadable += 1
                        report.unreadable_ids.append(f"{model._meta.label_lower}:{row.pk}")
            done += len(batch)
            if progress:
                progress(kind, done, total)
    return report
