"""Essay search: one query function over SQLite FTS5 or PostgreSQL full text (the suite runs
on both, so both backends answer these)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microsolidarity.library.essays import essay_update
from microsolidarity.library.search import essay_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_essay):
    return {
        "crews": make_essay(title="Crews", body="Peers meeting weekly in small circles."),
        "hosting": make_essay(title="Hosting", body="A host welcomes and hands on; crews rotate."),
        "gardens": make_essay(title="Gardens", body="Soil, seeds and patience."),
    }


def _slugs(query):
    return [hit.essay.slug for hit in essay_search(query)]


def test_every_word_must_match(shelf):
    assert _slugs("seeds patience") == ["gardens"]
    assert _slugs("seeds crews") == []


def test_a_title_match_ranks_above_a_body_match(shelf):
    assert _slugs("crews") == ["crews", "hosting"]


def test_the_last_word_matches_as_a_prefix(shelf):
    assert _slugs("patien") == ["gardens"]


def test_the_snippet_marks_the_words_found_and_escapes_the_rest(make_essay):
    make_essay(title="Marks", body="Some <b>bold</b> words about **belonging** here.")
    [hit] = essay_search("belonging")
    assert "<mark>belonging</mark>" in hit.snippet
    assert "<b>" not in hit.snippet


def test_an_edit_is_found_at_once(shelf, steward):
    essay_update(by=steward, essay_id=shelf["gardens"].pk, body="Compost and worms.")
    assert _slugs("worms") == ["gardens"]
    assert _slugs("seeds") == []


def test_an_empty_query_finds_nothing(shelf):
    assert essay_search("") == [] and essay_search("   ") == [] and essay_search("*&!") == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_no_query_a_visitor_types_breaks_the_search(shelf, query):
    # Search syntax (quotes, AND, NEAR, parentheses, colons) is never passed through.
    hits = essay_search(query)
    assert all(hit.essay.pk in {essay.pk for essay in shelf.values()} for hit in hits)


def test_the_search_page_lists_hits(client, shelf):
    html = client.get(reverse("library_search"), {"q": "crews"}).content.decode()
    assert "2 essays match" in html
    assert shelf["crews"].get_absolute_url() in html
