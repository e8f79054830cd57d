"""A changed JOURNAL_KEY: what no key opens is a clear message (never a 500), the rest of the
journal and of the data export is still delivered, and `journal_reseal` moves every row
under the new key, with progress, and resumes where it stopped."""

import html
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from microsolidarity.journal.sealing import current_key_id, needs_reseal

pytestmark = pytest.mark.django_db

OLD_KEY = "the-old-journal-key-" + "o" * 40
NEW_KEY = "the-new-journal-key-" + "n" * 40
LOST = "written under a key nobody kept"
KEPT = "written under the new key"


@pytest.fixture
def written_under_old_key(settings, author):
    from microsolidarity.journal.services import entry_create, part_create

    settings.JOURNAL_KEY, settings.JOURNAL_KEY_FALLBACKS = OLD_KEY, []
    part = part_create(author=author, name="The watcher", notes="old notes")
    entry = entry_create(author=author, text=LOST, part_ids=[part.pk])
    return entry, part


@pytest.fixture
def key_changed_without_fallback(settings, written_under_old_key, author):
    """The key was changed and the old one not kept: old rows open no more."""
    from microsolidarity.journal.services import entry_create

    settings.JOURNAL_KEY, settings.JOURNAL_KEY_FALLBACKS = NEW_KEY, []
    fresh = entry_create(author=author, text=KEPT)
    return (*written_under_old_key, fresh)


def test_journal_pages_say_what_cannot_be_opened_instead_of_failing(
    client, author, key_changed_without_fallback
):
    lost, part, fresh = key_changed_without_fallback
    client.force_login(author)

    home = client.get("/me/journal/")
    assert home.status_code == 200
    assert KEPT in home.content.decode()
    assert "can't be opened" in html.unescape(home.content.decode())

    detail = client.get(lost.get_absolute_url())
    assert detail.status_code == 200
    page = html.unescape(detail.content.decode())
    assert "can't be opened with the site's current journal key" in page
    assert client.get(fresh.get_absolute_url()).status_code == 200

    # Editing would overwrite what the old key could still open: refused, with the reason.
    edit = client.get(lost.get_absolute_url() + "edit/", follow=True)
    assert edit.status_code == 200
    assert "JOURNAL_KEY_FALLBACKS" in edit.content.decode()
    assert client.get(part.get_absolute_url(), follow=True).status_code == 200
    export = client.get("/me/journal/export/")
    assert export.status_code == 200


def test_the_api_marks_an_unreadable_entry_and_lists_the_rest(
    client, author, key_changed_without_fallback
):
    from microsolidarity.people.services import token_create

    lost, _part, fresh = key_changed_without_fallback
    _token, raw = token_create(person=author, name="t")
    bearer = {"Authorization": f"Bearer {raw}"}

    listing = client.get("/api/v1/journal/entries", headers=bearer)
    assert listing.status_code == 200
    by_id = {row["id"]: row for row in listing.json()["items"]}
    assert by_id[fresh.pk]["readable"] is True and by_id[fresh.pk]["text"] == KEPT
    assert by_id[lost.pk]["readable"] is False and by_id[lost.pk]["text"] is None
    assert by_id[lost.pk]["parts"] == [{"id": _part.pk, "name": None}]
    one = client.get(f"/api/v1/journal/entries/{lost.pk}", headers=bearer)
    assert one.status_code == 200 and one.json()["readable"] is False


def test_the_whole_data_export_is_delivered_with_the_unreadable_marked(
    client, author, key_changed_without_fallback
):
    lost, _part, fresh = key_changed_without_fallback
    client.force_login(author)

    answer = client.get("/me/data/export/")

    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    journal = json.loads(archive.read("journal.json"))
    assert journal["unreadable"] == 2
    assert "JOURNAL_KEY_FALLBACKS" in journal["note"]
    entries = {row["id"]: row for row in journal["entries"]}
    assert entries[fresh.pk]["text"] == KEPT
    assert entries[lost.pk] | {"text": None, "readable": False} == entries[lost.pk]
    assert len(archive.namelist()) > 1


def test_journal_reseal_moves_every_row_under_the_new_key_and_resumes(
    settings, author, written_under_old_key
):
    from microsolidarity.journal.models import Entry, Part
    from microsolidarity.journal.resealing import journal_reseal

    entry, part = written_under_old_key
    settings.JOURNAL_KEY, settings.JOURNAL_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert needs_reseal(Entry.objects.get().sealed_text)

    # Stopped after the first batch of entries: the rows done are under the new key.
    seen = []

    def stop_after_first_batch(kind, done, total):
        seen.append((kind, done, total))
        if done and kind == "journal entries":
            raise KeyboardInterrupt

    from microsolidarity.journal.services import entry_create

    entry_create(author=author, text="a second one")
    with pytest.raises(KeyboardInterrupt):
        journal_reseal(batch_size=1, progress=stop_after_first_batch)
    assert (
        sum(needs_reseal(value) for value in Entry.objects.values_list("sealed_text", flat=True))
        == 1
    )

    out = io.StringIO()
    call_command("journal_reseal", "--batch-size", "1", stdout=out)

    printed = out.getvalue()
    assert "journal entries: 2/2 (100%)" in printed
    assert "parts: 1/1 (100%)" in printed
    assert "Re-sealed 2 of 3 rows; 1 were already under the current key." in printed
    key = current_key_id()
    for value in [
        *Entry.objects.values_list("sealed_text", flat=True),
        *Part.objects.values_list("sealed_name", "sealed_notes").first(),
    ]:
        assert value.split(".")[1] == key
    # The old key can go now: everything opens under the new one alone.
    settings.JOURNAL_KEY_FALLBACKS = []
    assert Entry.objects.get(pk=entry.pk).text == LOST
    assert Part.objects.get(pk=part.pk).name == "The watcher"


def test_journal_reseal_leaves_what_no_key_opens_and_says_so(author, key_changed_without_fallback):
    from microsolidarity.journal.models import Entry

    lost, _part, _fresh = key_changed_without_fallback
    before = Entry.objects.get(pk=lost.pk).sealed_text
    out, err = io.StringIO(), io.StringIO()

    call_command("journal_reseal", stdout=out, stderr=err)

    assert Entry.objects.get(pk=lost.pk).sealed_text == before
    assert "2 rows can't be opened" in err.getvalue()
    assert f"journal.entry:{lost.pk}" in err.getvalue()
