"""Nobody but the author reads a journal: not another member, a host, staff or a superuser,
through no page, API endpoint or the admin; and a database dump shows no journal words."""

import io
import logging

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db
WORDS = ("zebra-quartz-4471", "zebra-part", "keeps lists")


@pytest.fixture(params=["other_member", "host", "staff", "superuser"])
def reader(request, make_person, congregation, host, staff, superuser):
    """Each kind of person who must not read the entry."""
    if request.param == "other_member":
        from microsolidarity.groups.services import membership_approve, membership_request

        person = make_person("Curious Member")
        result = membership_request(person=person, group=congregation)
        membership_approve(by=host, membership=result.membership)
        return person
    return {"host": host, "staff": staff, "superuser": superuser}[request.param]


def assert_no_words(content: bytes | str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    for word in WORDS:
        assert word not in text


def journal_pages(entry):
    part = entry.parts.get()
    return [
        reverse("journal_home"),
        reverse("journal_entry_detail", args=[entry.pk]),
        reverse("journal_entry_edit", args=[entry.pk]),
        reverse("journal_part_edit", args=[part.pk]),
        reverse("journal_export"),
        reverse("journal_entry_create"),
    ]


def test_the_author_reads_their_own_entry(client, author, entry):
    client.force_login(author)
    page = client.get(reverse("journal_entry_detail", args=[entry.pk]))
    assert "zebra-quartz-4471" in page.content.decode()


def test_no_one_else_reads_an_entry_through_any_journal_page(client, reader, entry):
    client.force_login(reader)
    for url in journal_pages(entry):
        response = client.get(url)
        assert_no_words(response.content)
    assert client.get(reverse("journal_entry_detail", args=[entry.pk])).status_code == 404
    assert client.get(reverse("journal_entry_edit", args=[entry.pk])).status_code == 404


def test_no_one_else_can_change_or_delete_an_entry(client, reader, entry):
    client.force_login(reader)
    url = reverse("journal_entry_delete", args=[entry.pk])
    assert client.post(url).status_code == 404
    edit = reverse("journal_entry_edit", args=[entry.pk])
    assert client.post(edit, {"text": "overwritten"}).status_code == 404
    entry.refresh_from_db()
    assert "zebra-quartz-4471" in entry.text


def test_no_one_else_reads_it_on_group_and_person_pages(
    client, reader, author, entry, congregation
):
    client.force_login(reader)
    for url in ("/", congregation.get_absolute_url(), author.get_absolute_url(), "/dyads/"):
        assert_no_words(client.get(url).content)


def test_no_one_else_reads_it_through_the_api(client, reader, entry, author, bearer_for):
    headers = bearer_for(reader)
    detail = client.get(f"/api/v1/journal/entries/{entry.pk}", headers=headers)
    assert detail.status_code == 404
    assert_no_words(detail.content)
    listing = client.get("/api/v1/journal/entries", headers=headers)
    assert listing.status_code == 200 and listing.json()["items"] == []
    assert client.delete(f"/api/v1/journal/entries/{entry.pk}", headers=headers).status_code == 404
    for url in ("/api/v1/me", "/api/v1/me/memberships", "/api/v1/groups", "/api/v1/dyads/partner"):
        assert_no_words(client.get(url, headers=headers).content)


def test_the_journal_is_not_in_the_admin_and_admin_search_finds_nothing(
    client, superuser, entry, author
):
    from microsolidarity.journal.models import Entry, Part

    assert Entry not in admin.site._registry and Part not in admin.site._registry
    client.force_login(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"journal" not in index.content.lower()
    assert client.get("/admin/journal/entry/").status_code == 404
    assert client.get(f"/admin/journal/entry/{entry.pk}/change/").status_code == 404
    for model in list(admin.site._registry):
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        for query in ("zebra", author.email):
            response = client.get(url, {"q": query})
            assert response.status_code in (200, 302, 403), url
            assert_no_words(response.content)
    person_change = reverse("admin:people_person_change", args=[author.pk])
    if client.get(person_change).status_code == 200:
        assert_no_words(client.get(person_change).content)


def test_a_database_dump_shows_no_journal_words(entry):
    out = io.StringIO()
    call_command("dumpdata", "journal", stdout=out)
    dumped = out.getvalue()
    assert '"sealed_text": "v1.' in dumped
    assert_no_words(dumped)
    everything = io.StringIO()
    call_command("dumpdata", stdout=everything, exclude=["contenttypes", "auth.permission"])
    assert_no_words(everything.getvalue())


def test_the_raw_table_holds_no_journal_words(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM journal_entry")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM journal_part")
        rows += cursor.fetchall()
    assert rows
    assert_no_words(repr(rows))


def test_writing_and_reading_logs_no_journal_words(client, author, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(author)
    client.post(reverse("journal_part_create"), {"name": "zebra-part", "notes": "keeps lists"})
    client.post(reverse("journal_entry_create"), {"text": "zebra-quartz-4471", "prompt": ""})
    client.get(reverse("journal_home"))
    client.get(reverse("journal_export"))
    assert "zebra" not in caplog.text


def test_a_value_that_does_not_open_raises_without_its_words(entry, settings):
    from microsolidarity.journal.models import Entry
    from microsolidarity.journal.sealing import SealBroken, open_sealed

    settings.JOURNAL_KEY = "an-entirely-different-key-" + "z" * 40
    row = Entry.objects.get(pk=entry.pk)
    with pytest.raises(SealBroken) as error:
        open_sealed(row.sealed_text, author_id=row.author_id)
    assert_no_words(str(error.value))
    # Pages and the API get no text and say it can't be opened (test_journal_key_change.py).
    assert row.text is None and not row.readable
