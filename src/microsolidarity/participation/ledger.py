"""The public ledger: Open Collective's CSV export read in, and income and spending by month.

The import is idempotent by Open Collective's transaction id: a row seen before is
updated in place (to the same values when the export is the same), never added twice.
Every row is checked before anything is written, so a file with one bad line changes
nothing and the message names each bad line.
"""

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from djmoney.money import Money

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group
from microsolidarity.participation import access
from microsolidarity.participation.models import Direction, LedgerEntry

MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 20
# Open Collective's machine names first (the REST and "Platform Default" exports), then the
# labels its dashboard export writes as headers.
COLUMNS = {
    "id": ("id", "Transaction ID"),
    "datetime": ("datetime", "date", "Effective Date & Time", "Date & Time"),
    "type": ("type", "Credit/Debit"),
    "kind": ("kind", "Kind"),
    "amount": ("amount", "Amount Single Column", "Amount"),
    "currency": ("currency", "Currency"),
    "description": ("description", "Description"),
    "counterparty": ("oppositeAccountName", "Opposite Account Name", "Opposite Account"),
    "tags": ("expenseTags", "Expense Tags"),
}
REQUIRED = ("id", "datetime", "type", "amount", "currency")


@dataclass(frozen=True)
class LedgerRow:
    transaction_id: str
    occurred_at: datetime
    direction: str
    kind: str
    amount: Decimal
    currency: str
    description: str
    counterparty: str
    tags: tuple[str, ...]


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def _columns(header: list[str]) -> dict[str, str]:
    found = {}
    present = {name.strip(): name for name in header}
    for key, names in COLUMNS.items():
        for name in names:
            if name in present:
                found[key] = present[name]
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise RuleBroken(
            _(
                "This does not look like an Open Collective transactions export: it has no "
                "%(columns)s column. Export the transactions as CSV and try again."
            )
            % {"columns": ", ".join(missing)},
            field="file",
        )
    return found


def _when(text: str) -> datetime | None:
    text = text.strip()
    value = parse_datetime(text.replace(" ", "T", 1)) if text else None
    if value is None and text:
        day = parse_date(text[:10])
        value = datetime(day.year, day.month, day.day) if day else None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _row(values: dict[str, str], columns: dict[str, str]) -> LedgerRow:
    def get(key: str) -> str:
        return (values.get(columns[key]) or "").strip() if key in columns else ""

    transaction_id = get("id")
    if not transaction_id or len(transaction_id) > 80:
        raise ValueError(_("no transaction id"))
    occurred_at = _when(get("datetime"))
    if occurred_at is None:
        raise ValueError(_("the date %(value)r is not a date") % {"value": get("datetime")})
    kind_of = get("type").upper()
    if kind_of not in ("CREDIT", "DEBIT"):
        raise ValueError(_("type is %(value)r, not CREDIT or DEBIT") % {"value": get("type")})
    try:
        amount = abs(Decimal(get("amount").replace(",", ""))).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(
            _("the amount %(value)r is not a number") % {"value": get("amount")}
        ) from None
    if not amount.is_finite() or amount >= Decimal("1e10"):
        raise ValueError(_("the amount %(value)r is out of range") % {"value": get("amount")})
    currency = get("currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError(_("the currency %(value)r is not a code") % {"value": get("currency")})
    tags = tuple(t.strip().lower() for t in get("tags").split(",") if t.strip())
    return LedgerRow(
        transaction_id=transaction_id,
        occurred_at=occurred_at,
        direction=Direction.INCOME if kind_of == "CREDIT" else Direction.SPENDING,
        kind=get("kind")[:40],
        amount=amount,
        currency=currency,
        description=get("description")[:500],
        counterparty=get("counterparty")[:200],
        tags=tags[:20],
    )


def ledger_csv_parse(text: str) -> tuple[list[LedgerRow], list[str]]:
    """Rows and the errors found, each error naming its line in the file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise RuleBroken(_("The file is empty."), field="file")
    columns = _columns(list(reader.fieldnames))
    rows, errors, seen = [], [], set()
    for line, values in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise RuleBroken(
                _("More than %(max)s transactions in one file: export a shorter period.")
                % {"max": MAX_ROWS},
                field="file",
            )
        try:
            row = _row(values, columns)
        except ValueError as error:
            errors.append(_("line %(line)s: %(problem)s") % {"line": line, "problem": error})
            continue
        if row.transaction_id in seen:
            continue
        seen.add(row.transaction_id)
        rows.append(row)
    return rows, errors


def _values(row: LedgerRow) -> dict:
    return {
        "occurred_at": row.occurred_at,
        "direction": row.direction,
        "kind": row.kind,
        "amount": Money(row.amount, row.currency),
        "description": row.description,
        "counterparty": row.counterparty,
        "tags": list(row.tags),
    }


def _same(entry: LedgerEntry, values: dict) -> bool:
    return all(getattr(entry, name) == value for name, value in values.items())


def ledger_import(
    *,
    by,
    group: Group,
    text: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read an export into the group's ledger; `by` None is the operator's command line."""
    if by is not None and not access.is_treasurer(by, group):
        raise NotAllowed(_("Only the group's treasurers import its ledger."))
    rows, errors = ledger_csv_parse(text)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        message = _("Nothing was imported; please fix these lines: %(lines)s.") % {
            "lines": "; ".join(shown)
        }
        if more:
            message += " " + _("And %(count)s more.") % {"count": more}
        raise RuleBroken(message, field="file")
    report = ImportReport()
    with transaction.atomic():
        existing = {
            e.transaction_id: e
            for e in LedgerEntry.objects.select_for_update().filter(
                group=group, transaction_id__in=[r.transaction_id for r in rows]
            )
        }
        new = []
        for done, row in enumerate(rows, start=1):
            values = _values(row)
            entry = existing.get(row.transaction_id)
            if entry is None:
                new.append(LedgerEntry(group=group, transaction_id=row.transaction_id, **values))
                report.added += 1
            elif _same(entry, values):
                report.unchanged += 1
            else:
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.save(update_fields=[*values, "amount_currency"])
                report.updated += 1
            if progress and (done % 500 == 0 or done == len(rows)):
                progress(done, len(rows))
        LedgerEntry.objects.bulk_create(new, batch_size=500)
    return report


# Reading the ledger back ---------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: date
    income: Decimal
    spending: Decimal


@dataclass(frozen=True)
class LedgerSummary:
    currency: str
    months: list[Month]
    income: Decimal
    spending: Decimal
    other_currencies: list[str]

    @property
    def balance(self) -> Decimal:
        return self.income - self.spending


def ledger_summary(entries: Iterable[LedgerEntry], currency: str | None = None) -> LedgerSummary:
    """Income and spending by calendar month, in the ledger's main currency (the page's,
    or else the one most entries are in); the other currencies are named, not converted."""
    entries = list(entries)
    # django-stubs reads a MoneyField as a decimal; the values are Money.
    amounts = [cast(Money, entry.amount) for entry in entries]
    counts = Counter(str(amount.currency) for amount in amounts)
    main = currency if currency in counts or not counts else counts.most_common(1)[0][0]
    main = main or "EUR"
    by_month: dict[date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for entry, amount in zip(entries, amounts, strict=True):
        if str(amount.currency) != main:
            continue
        at = timezone.localtime(entry.occurred_at, UTC)
        slot = by_month[date(at.year, at.month, 1)]
        slot[0 if entry.direction == Direction.INCOME else 1] += amount.amount
    months = []
    if by_month:
        # Every month from the first to the last, so a quiet month shows as a gap.
        month, last = min(by_month), max(by_month)
        while month <= last:
            income, spending = by_month.get(month, (Decimal(0), Decimal(0)))
            months.append(Month(month, income, spending))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return LedgerSummary(
        currency=main,
        months=months,
        income=sum((m.income for m in months), Decimal(0)),
        spending=sum((m.spending for m in months), Decimal(0)),
        other_currencies=sorted(c for c in counts if c != main),
    )
