"""/api/v1/journal/entries: the author lists, writes, reads and deletes; everyone else gets 404."""

import pytest

from microsolidarity.journal.models import Entry
from microsolidarity.journal.services import entry_create, part_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/journal/entries"


@pytest.fixture
def superuser(make_person):
    person = make_person("Root")
    person.is_staff = person.is_superuser = True
    person.save(update_fields=["is_staff", "is_superuser"])
    return person


def test_the_author_writes_and_reads_an_entry(client, member, bearer):
    part = part_create(author=member, name="the planner")
    headers = bearer(member)
    created = client.post(
        URL,
        {"text": "lists, lists", "prompt": "who_is_here", "parts": [part.pk]},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 200
    body = created.json()
    assert body["text"] == "lists, lists"
    assert body["parts"] == [{"id": part.pk, "name": "the planner"}]
    assert body["prompt_text"].startswith("Which parts of me")
    detail = client.get(f"{URL}/{body['id']}", headers=headers)
    assert detail.json()["text"] == "lists, lists"
    listing = client.get(URL, headers=headers).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]


def test_an_empty_or_unknown_prompt_entry_is_refused(client, member, bearer):
    headers = bearer(member)
    empty = client.post(URL, {"text": ""}, content_type="application/json", headers=headers)
    assert empty.status_code == 422 and "text" in empty.json()["errors"]
    wrong = client.post(
        URL, {"text": "x", "prompt": "nope"}, content_type="application/json", headers=headers
    )
    assert wrong.status_code == 422


def test_someone_elses_part_is_refused(client, member, bearer, make_person):
    other = part_create(author=make_person("Other"), name="theirs")
    response = client.post(
        URL,
        {"text": "x", "parts": [other.pk]},
        content_type="application/json",
        headers=bearer(member),
    )
    assert response.status_code == 400 and "parts" in response.json()["errors"]


@pytest.mark.parametrize("who", ["other", "host", "staff", "superuser"])
def test_nobody_else_reads_lists_or_deletes_an_entry(
    client, member, bearer, who, make_person, host, staff, superuser
):
    entry = entry_create(author=member, text="private words 93817")
    reader = {"other": make_person("Other"), "host": host, "staff": staff, "superuser": superuser}[
        who
    ]
    headers = bearer(reader)
    assert client.get(f"{URL}/{entry.pk}", headers=headers).status_code == 404
    assert client.delete(f"{URL}/{entry.pk}", headers=headers).status_code == 404
    listing = client.get(URL, headers=headers)
    assert listing.json()["items"] == []
    assert b"93817" not in listing.content
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_author_deletes_an_entry(client, member, bearer):
    entry = entry_create(author=member, text="gone soon")
    headers = bearer(member)
    deleted = client.delete(f"{URL}/{entry.pk}", headers=headers)
    assert deleted.json() == {"id": entry.pk, "deleted": True}
    assert client.get(f"{URL}/{entry.pk}", headers=headers).status_code == 404


def test_the_journal_api_needs_a_person(client):
    assert client.get(URL).status_code == 401


def test_the_list_queries_do_not_grow_with_entries(
    client, member, bearer, django_assert_max_num_queries
):
    headers = bearer(member)
    part = part_create(author=member, name="p")
    entry_create(author=member, text="one", part_ids=[part.pk])
    with django_assert_max_num_queries(10) as few:
        client.get(URL, headers=headers)
    for n in range(15):
        entry_create(author=member, text=f"more {n}", part_ids=[part.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, headers=headers)
