"""The ledger is read from Open Collective's transactions export, idempotently."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from ledger_sample import ROWS, export

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.participation.ledger import ledger_csv_parse, ledger_import
from microsolidarity.participation.models import Direction, LedgerEntry


def ledger_rows(group):
    return list(
        LedgerEntry.objects.filter(group=group)
        .order_by("transaction_id")
        .values_list(
            "transaction_id",
            "occurred_at",
            "direction",
            "kind",
            "amount",
            "amount_currency",
            "description",
            "counterparty",
            "tags",
        )
    )


def test_the_export_is_read_as_income_and_spending_with_tags(treasurer, congregation):
    report = ledger_import(by=treasurer, group=congregation, text=export(*ROWS))
    assert (report.added, report.updated, report.unchanged) == (4, 0, 0)
    kitchen = LedgerEntry.objects.get(transaction_id__endswith="000000000003")
    assert kitchen.direction == Direction.SPENDING
    assert kitchen.amount.amount == Decimal("84.10")
    assert str(kitchen.amount.currency) == "EUR"
    assert kitchen.tags == ["summer-camp", "food"]
    assert kitchen.counterparty == "Ben O"
    incomes = LedgerEntry.objects.filter(direction=Direction.INCOME)
    assert sorted(e.amount.amount for e in incomes) == [Decimal("20.00"), Decimal("150.00")]


def test_importing_the_same_export_twice_gives_the_same_ledger(treasurer, congregation):
    ledger_import(by=treasurer, group=congregation, text=export(*ROWS))
    first = ledger_rows(congregation)
    report = ledger_import(by=treasurer, group=congregation, text=export(*ROWS))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 4)
    assert ledger_rows(congregation) == first
    assert LedgerEntry.objects.count() == 4


def test_a_longer_export_adds_only_the_new_and_updates_a_changed_description(
    treasurer, congregation
):
    ledger_import(by=treasurer, group=congregation, text=export(*ROWS[:2]))
    changed = ROWS[1].replace("Payment processor fee", "Stripe fee")
    report = ledger_import(
        by=treasurer, group=congregation, text=export(ROWS[0], changed, *ROWS[2:])
    )
    assert (report.added, report.updated, report.unchanged) == (2, 1, 1)
    assert LedgerEntry.objects.filter(description="Stripe fee").count() == 1


def test_a_file_with_bad_lines_imports_nothing_and_names_each_line(treasurer, congregation):
    bad_amount = ROWS[2].replace("-84.10,0.00", "eighty,0.00")
    bad_type = ROWS[3].replace(",CREDIT,", ",GIFT,")
    with pytest.raises(RuleBroken) as refused:
        ledger_import(by=treasurer, group=congregation, text=export(ROWS[0], bad_amount, bad_type))
    assert "line 3" in refused.value.message and "line 4" in refused.value.message
    assert LedgerEntry.objects.count() == 0


def test_a_file_that_is_not_an_export_is_refused_with_the_missing_columns():
    with pytest.raises(RuleBroken) as refused:
        ledger_csv_parse("name,amount\nAna,20\n")
    assert "id" in refused.value.message and "currency" in refused.value.message


def test_the_dashboard_export_headers_are_read_too(treasurer, congregation):
    text = (
        "Effective Date & Time,Transaction ID,Description,Credit/Debit,Kind,"
        "Amount Single Column,Currency,Opposite Account Name\n"
        "2026-03-01 12:00:00,tx-1,Thank you,CREDIT,CONTRIBUTION,12.00,USD,Kim\n"
    )
    ledger_import(by=treasurer, group=congregation, text=text)
    entry = LedgerEntry.objects.get()
    assert (entry.amount.amount, str(entry.amount.currency)) == (Decimal("12.00"), "USD")


def test_only_treasurers_import_not_even_the_hosts(host, member, congregation):
    for person in (host, member):
        with pytest.raises(NotAllowed):
            ledger_import(by=person, group=congregation, text=export(*ROWS))


def test_the_command_imports_a_file_and_a_second_run_adds_nothing(congregation, tmp_path, capsys):
    path = tmp_path / "transactions.csv"
    path.write_text(export(*ROWS))
    call_command("import_ledger", congregation.slug, str(path))
    first = ledger_rows(congregation)
    call_command("import_ledger", congregation.slug, str(path))
    assert ledger_rows(congregation) == first
    out = capsys.readouterr().out
    assert "4 added" in out and "4 unchanged" in out
