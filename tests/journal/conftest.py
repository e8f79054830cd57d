"""Fixtures for the journal: an author with an entry, and the people who must never read it."""

import pytest

SECRET = "the critic says I am never enough - zebra-quartz-4471"


@pytest.fixture
def author(member):
    return member


@pytest.fixture
def entry(author):
    from microsolidarity.journal.services import entry_create, part_create

    part = part_create(author=author, name="the planner zebra-part", notes="keeps lists")
    return entry_create(author=author, text=SECRET, prompt="who_is_here", part_ids=[part.pk])


@pytest.fixture
def superuser(make_person):
    person = make_person("Root")
    person.is_staff = True
    person.is_superuser = True
    person.save(update_fields=["is_staff", "is_superuser"])
    return person


@pytest.fixture
def bearer_for():
    from microsolidarity.people.services import token_create

    def headers(person) -> dict[str, str]:
        _token, raw = token_create(person=person, name="tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
