"""Income and spending by month, in the ledger's main currency, and the chart drawn from it."""

from datetime import UTC, datetime
from decimal import Decimal

from djmoney.money import Money

from microsolidarity.participation.chart import ledger_chart
from microsolidarity.participation.ledger import ledger_summary
from microsolidarity.participation.models import LedgerEntry


def entry(day, direction, amount, currency="EUR"):
    return LedgerEntry(
        occurred_at=datetime(2026, *day, 12, tzinfo=UTC),
        direction=direction,
        amount=Money(Decimal(amount), currency),
    )


def test_months_add_up_in_the_main_currency_and_name_the_others():
    entries = [
        entry((1, 3), "income", "20"),
        entry((1, 20), "spending", "5.50"),
        entry((3, 1), "income", "10"),
        entry((3, 2), "income", "99", "USD"),
    ]
    summary = ledger_summary(entries, "EUR")
    assert [(m.month.month, m.income, m.spending) for m in summary.months] == [
        (1, Decimal("20"), Decimal("5.50")),
        (2, Decimal("0"), Decimal("0")),
        (3, Decimal("10"), Decimal("0")),
    ]
    assert summary.balance == Decimal("24.50")
    assert summary.other_currencies == ["USD"]
    # Without a page currency, the one most entries are in.
    assert ledger_summary(entries).currency == "EUR"


def test_the_chart_scales_bars_to_the_biggest_month_and_is_empty_without_entries():
    chart = ledger_chart(
        ledger_summary([entry((1, 3), "income", "20"), entry((2, 3), "spending", "10")])
    )
    heights = {(b.kind, round(b.height)) for b in chart.bars if b.height}
    plot = chart.baseline - 12
    assert heights == {("income", round(plot)), ("spending", round(plot / 2))}
    assert [label.text for label in chart.labels] == ["01/26", "02/26"]
    assert ledger_chart(ledger_summary([])) is None
