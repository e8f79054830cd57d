"""The author's journal pages: prompts, parts, export, delete all with a confirmation."""

import json

import pytest
from django.urls import reverse

from microsolidarity.journal.models import Entry, Part
from microsolidarity.journal.services import entry_create, part_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def test_the_journal_needs_signing_in(client):
    response = client.get(reverse("journal_home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_writing_an_entry_from_a_prompt(signed_in, author):
    page = signed_in.get(reverse("journal_entry_create") + "?prompt=meet_a_part")
    assert 'value="meet_a_part" selected' in page.content.decode()
    part = part_create(author=author, name="the critic")
    response = signed_in.post(
        reverse("journal_entry_create"),
        {"prompt": "meet_a_part", "text": "It is afraid of failing.", "parts": [part.pk]},
    )
    entry = Entry.objects.get(author=author)
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.text == "It is afraid of failing." and list(entry.parts.all()) == [part]
    detail = signed_in.get(entry.get_absolute_url())
    assert "the critic" in detail.content.decode()
    assert detail["Cache-Control"].startswith("max-age=0")


def test_an_empty_entry_shows_the_form_again(signed_in):
    response = signed_in.post(reverse("journal_entry_create"), {"text": ""})
    assert response.status_code == 200
    assert not Entry.objects.exists()


def test_naming_editing_and_removing_a_part(signed_in, author):
    signed_in.post(reverse("journal_part_create"), {"name": "the planner", "notes": "lists"})
    part = Part.objects.get(author=author)
    signed_in.post(reverse("journal_part_edit", args=[part.pk]), {"name": "the organiser"})
    part.refresh_from_db()
    assert part.name == "the organiser" and part.notes == ""
    signed_in.post(reverse("journal_part_delete", args=[part.pk]))
    assert not Part.objects.exists()


def test_export_downloads_all_of_it_as_json(signed_in, author):
    entry_create(author=author, text="one")
    entry_create(author=author, text="two")
    response = signed_in.get(reverse("journal_export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert sorted(e["text"] for e in data["entries"]) == ["one", "two"]


def test_delete_all_needs_the_word_typed(signed_in, author):
    entry_create(author=author, text="one")
    response = signed_in.post(reverse("journal_delete_all"), {"confirm": "yes"})
    assert response.status_code == 200 and Entry.objects.count() == 1
    response = signed_in.post(reverse("journal_delete_all"), {"confirm": "Delete"})
    assert response.status_code == 302 and not Entry.objects.exists()


def test_the_journal_page_queries_do_not_grow_with_entries(
    signed_in, author, django_assert_max_num_queries
):
    part = part_create(author=author, name="p")
    for n in range(3):
        entry_create(author=author, text=f"entry {n}", part_ids=[part.pk])
    with django_assert_max_num_queries(12) as few:
        signed_in.get(reverse("journal_home"))
    for n in range(20):
        entry_create(author=author, text=f"more {n}", part_ids=[part.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("journal_home"))


def test_the_journal_shows_its_entries_a_page_at_a_time(signed_in, author):
    from microsolidarity.journal.views import ENTRIES_ON_A_PAGE

    critic = part_create(author=author, name="the critic")
    planner = part_create(author=author, name="a planner")
    for n in range(ENTRIES_ON_A_PAGE + 5):
        entry_create(author=author, text=f"entry number {n}.", part_ids=[critic.pk, planner.pk])

    first = signed_in.get(reverse("journal_home")).content.decode()
    older = signed_in.get(reverse("journal_home") + "?page=2").content.decode()
    beyond = signed_in.get(reverse("journal_home") + "?page=9").content.decode()
    bad = signed_in.get(reverse("journal_home") + "?page=first").content.decode()

    newest = ENTRIES_ON_A_PAGE + 4
    assert f"entry number {newest}." in first and "entry number 4." not in first
    assert "?page=2" in first and "Newer entries" not in first
    assert first.count('<span class="tag">') == 2 * ENTRIES_ON_A_PAGE
    assert first.index("a planner</span>") < first.index("the critic</span>")
    assert all(f"entry number {n}." in older for n in range(5))
    assert "Newer entries" in older and "Older entries" not in older
    assert "No entries this far back." in beyond and "Newer entries" in beyond
    assert f"entry number {newest}." in bad and "Newer entries" not in bad
