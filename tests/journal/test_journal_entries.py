"""Writing the journal: parts, entries with prompts and links, export, and deleting it all."""

import json

import pytest

from microsolidarity.errors import RuleBroken
from microsolidarity.journal import services
from microsolidarity.journal.models import Entry, Part

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_its_text_prompt_and_parts(entry, author):
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.text.startswith("the critic says")
    assert stored.prompt == "who_is_here"
    assert [p.name for p in stored.parts.all()] == ["the planner zebra-part"]


def test_an_empty_entry_is_refused(author):
    with pytest.raises(RuleBroken) as error:
        services.entry_create(author=author, text="   ")
    assert error.value.field == "text"


def test_an_entry_cannot_name_someone_elses_part(author, make_person):
    other_part = services.part_create(author=make_person("Other"), name="their part")
    with pytest.raises(RuleBroken):
        services.entry_create(author=author, text="hello", part_ids=[other_part.pk])


def test_an_entry_links_only_to_a_dyad_or_crew_of_the_author(author, make_person, congregation):
    from microsolidarity.groups.services import dyad_create

    partner = make_person("Partner")
    from microsolidarity.groups.services import membership_approve, membership_request

    membership_approve(
        by=congregation.memberships.get(role="host").person,
        membership=membership_request(person=partner, group=congregation).membership,
    )
    dyad = dyad_create(by=author, partner=partner, parent=congregation)
    entry = services.entry_create(author=author, text="after we met", group_id=dyad.pk)
    assert entry.group == dyad
    with pytest.raises(RuleBroken):
        services.entry_create(author=make_person("Third"), text="x", group_id=dyad.pk)
    with pytest.raises(RuleBroken):
        services.entry_create(author=author, text="x", group_id=congregation.pk)


def test_an_unknown_prompt_is_refused(author):
    with pytest.raises(RuleBroken):
        services.entry_create(author=author, text="x", prompt="nope")


def test_editing_an_entry_reseals_its_text(entry, author):
    before = Entry.objects.get(pk=entry.pk).sealed_text
    services.entry_update(author=author, entry_id=entry.pk, text="changed", part_ids=[])
    after = Entry.objects.get(pk=entry.pk)
    assert after.text == "changed" and after.sealed_text != before
    assert list(after.parts.all()) == []


def test_deleting_a_part_keeps_the_entries_that_named_it(entry, author):
    part = entry.parts.get()
    services.part_delete(author=author, part_id=part.pk)
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert not Part.objects.filter(pk=part.pk).exists()


def test_export_holds_every_entry_and_part_in_plain_text(entry, author):
    data = services.journal_export(author=author)
    dumped = json.dumps(data)
    assert data["entries"][0]["text"].startswith("the critic says")
    assert data["parts"][0]["name"] == "the planner zebra-part"
    assert data["entries"][0]["parts"] == [data["parts"][0]["id"]]
    assert "zebra-quartz-4471" in dumped


def test_delete_all_removes_only_the_authors_journal(entry, author, make_person):
    other = make_person("Other")
    services.entry_create(author=other, text="mine")
    assert services.journal_delete_all(author=author) == (1, 1)
    assert not Entry.objects.filter(author=author).exists()
    assert Entry.objects.filter(author=other).count() == 1


def test_deleting_a_person_deletes_their_journal(entry, author):
    author.delete()
    assert not Entry.objects.exists() and not Part.objects.exists()


def test_str_of_an_entry_and_a_part_never_shows_their_words(entry):
    assert "critic" not in str(entry)
    assert "planner" not in str(entry.parts.get())
