"""The participation pages: forms that work, clear refusals, and list pages whose query
count does not grow with their rows."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from ledger_sample import ROWS, export

from microsolidarity.participation.bookshelf import copy_add, loan_request
from microsolidarity.participation.contributions import pledge_set
from microsolidarity.participation.models import Copy, LedgerEntry, RoleSlot, SlotSignup
from microsolidarity.participation.volunteering import buddy_ask, slot_create, slot_signup


def test_a_treasurer_uploads_the_export_and_sees_the_chart_and_the_camp_line(
    client, treasurer, host, congregation, camp
):
    from microsolidarity.participation.contributions import camp_budget_set

    camp_budget_set(by=host, gathering=camp, amount=Decimal("500"), tag="summer-camp")
    client.force_login(treasurer)
    upload = SimpleUploadedFile("transactions.csv", export(*ROWS).encode(), "text/csv")
    response = client.post(reverse("ledger_import", args=[congregation.slug]), {"file": upload})
    assert response.status_code == 302
    assert LedgerEntry.objects.count() == 4
    page = client.get(reverse("ledger", args=[congregation.slug])).content.decode()
    assert "<svg" in page and page.count("<rect") >= 4
    assert "Summer camp" in page and "€84.10" in page


def test_a_bad_upload_is_refused_on_the_form_and_nothing_is_imported(
    client, treasurer, congregation
):
    client.force_login(treasurer)
    upload = SimpleUploadedFile("x.csv", b"name,amount\nAna,5\n", "text/csv")
    response = client.post(reverse("ledger_import", args=[congregation.slug]), {"file": upload})
    assert response.status_code == 200
    assert "does not look like an Open Collective" in response.content.decode()
    assert LedgerEntry.objects.count() == 0


def test_the_pledge_form_takes_an_amount_and_refuses_words(client, member, congregation):
    client.force_login(member)
    url = reverse("pledge_save", args=[congregation.slug])
    client.post(url, {"amount": "12.50", "rhythm": "monthly", "listed": "on"})
    page = client.get(reverse("contribute", args=[congregation.slug])).content.decode()
    assert "€12.50" in page
    response = client.post(url, {"amount": "lots", "rhythm": "monthly"}, follow=True)
    assert "Write an amount such as 12.50." in response.content.decode()


def test_signing_up_on_the_page_and_a_full_slot_says_so(
    client, host, member, other_member, gathering
):
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role="welcomer")
    client.force_login(member)
    url = reverse("gathering_slot_signup", args=[gathering.slug, slot.pk])
    client.post(url, {"occurrence": occurrence.pk})
    assert SlotSignup.objects.filter(person=member).exists()
    client.force_login(other_member)
    response = client.post(url, {"occurrence": occurrence.pk}, follow=True)
    assert "are taken for this date" in response.content.decode()


def test_adding_a_book_with_a_wrong_isbn_keeps_what_was_typed(client, member, congregation):
    client.force_login(member)
    response = client.post(
        reverse("shelf_add", args=[congregation.slug]),
        {"title": "Mutual Aid", "isbn": "978-0-306-40615-8", "terms": "lend", "loan_days": "28"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "is not a valid ISBN" in text and 'value="Mutual Aid"' in text
    assert not Copy.objects.exists()


def _many(host, congregation, gathering, people, make_person, join):
    occurrence = gathering.occurrences.get()
    members = [join(make_person(f"Many {n}"), congregation) for n in range(people)]
    for n, person in enumerate(members):
        slot = slot_create(by=host, gathering=gathering, role="kitchen", count=3)
        slot_signup(person=person, slot=slot, occurrence=occurrence)
        copy = copy_add(by=person, shelf=congregation, title=f"Book {n}", author="A. Author")
        loan_request(person=host, copy=copy)
        pledge_set(person=person, group=congregation, amount=Decimal("5"), listed=True)
        buddy_ask(person=person, occurrence=occurrence)
        LedgerEntry.objects.create(
            group=congregation,
            transaction_id=f"t{people}-{n}",
            occurred_at=occurrence.starts_at - timedelta(days=30 * n),
            direction="income",
            amount=Decimal("5"),
        )
    return members


PAGES = [
    ("contribute", "group"),
    ("ledger", "group"),
    ("shelf", "group"),
    ("pledge_list", "group"),
    ("gathering_volunteer", "gathering"),
    ("helping", None),
]


def test_list_pages_cost_the_same_queries_for_many_rows(
    client, host, treasurer, congregation, gathering, make_person, join,
    django_assert_max_num_queries,
):  # fmt: skip
    from microsolidarity.participation.contributions import treasurer_appoint

    treasurer_appoint(by=host, group=congregation, person=host)
    _many(host, congregation, gathering, 3, make_person, join)
    client.force_login(host)

    def url(name, kind):
        if kind is None:
            return reverse(name)
        return reverse(name, args=[(congregation if kind == "group" else gathering).slug])

    few = {}
    for name, kind in PAGES:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(name, kind)).status_code == 200
        few[name] = len(queries)
    _many(host, congregation, gathering, 12, make_person, join)
    assert RoleSlot.objects.count() == 15
    for name, kind in PAGES:
        with django_assert_max_num_queries(few[name]):
            assert client.get(url(name, kind)).status_code == 200
