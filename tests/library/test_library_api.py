"""The library's API: essays with attribution, search, books and reading lists by slug."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_essay_comes_with_its_attribution(client, make_essay):
    make_essay(
        title="Crews", body="A *crew*.", author="Ana", source_url="https://example.org/crews"
    )
    data = client.get("/api/v1/library/essays/crews").json()
    assert data["html"] == "<p>A <em>crew</em>.</p>\n"
    assert data["attribution"]["licence"] == "CC-BY-SA-4.0"
    assert data["attribution"]["licence_url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["attribution"]["text"].startswith("“Crews” by Ana, from https://example.org/crews")
    assert client.get("/api/v1/library/essays/nothing-here").status_code == 404


def test_the_list_searches_with_q(client, make_essay):
    make_essay(title="Crews", body="Peers meeting weekly.")
    make_essay(title="Gardens", body="Soil and seeds.")
    assert [e["slug"] for e in client.get("/api/v1/library/essays").json()["items"]] == [
        "crews",
        "gardens",
    ]
    found = client.get("/api/v1/library/essays", {"q": "seeds"}).json()["items"]
    assert [e["slug"] for e in found] == ["gardens"]


def test_a_reading_list_is_seen_as_its_group_is(client, host, network, make_essay):
    from microsolidarity.groups.models import Scale, Visibility
    from microsolidarity.groups.services import group_create
    from microsolidarity.library.reading_lists import reading_item_add, reading_list_create

    private = group_create(
        by=host,
        name="Quiet",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=Visibility.MEMBERS,
    )
    reading_list = reading_list_create(by=host, owner=private, title="Ours", slug="ours")
    reading_item_add(by=host, reading_list_id=reading_list.pk, essay_id=make_essay(title="E").pk)
    assert client.get("/api/v1/library/reading-lists/ours").status_code == 404
    client.force_login(host)
    data = client.get("/api/v1/library/reading-lists/ours").json()
    assert data["group"] == private.slug
    assert [(i["position"], i["essay"]) for i in data["items"]] == [(1, "e")]


def test_lists_take_a_bounded_number_of_queries(
    client, steward, make_essay, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from microsolidarity.library.books import book_create

    essays = [make_essay(title=f"Essay {n}") for n in range(6)]
    with django_capture_on_commit_callbacks(execute=False):
        for n in range(3):
            book_create(by=steward, title=f"Book {n}", essay_ids=[e.pk for e in essays])
    for url in ("/api/v1/library/essays", "/api/v1/library/books"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_a_book_on_a_reading_list_carries_its_isbn(client, host, congregation, make_essay):
    from microsolidarity.library.reading_lists import reading_item_add, reading_list_create

    reading_list = reading_list_create(by=host, owner=congregation, title="Books", slug="books")
    reading_item_add(by=host, reading_list_id=reading_list.pk, essay_id=make_essay(title="E").pk)
    reading_item_add(
        by=host,
        reading_list_id=reading_list.pk,
        isbn="0-306-40615-2",
        book_title="Sweetgrass",
        book_author="R. W. K.",
    )
    items = client.get("/api/v1/library/reading-lists/books").json()["items"]
    assert [(i["essay"], i["isbn"], i["author"]) for i in items] == [
        ("e", None, None),
        (None, "9780306406157", "R. W. K."),
    ]
    assert items[1]["title"] == "Sweetgrass"
    assert items[1]["url"] == "/shelf/isbn/9780306406157/"
