"""Reading lists: a group's hosts keep ordered essays and links; who sees them follows the group."""

import pytest
from django.urls import reverse

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.library.reading_lists import (
    reading_item_add,
    reading_item_move,
    reading_item_remove,
    reading_list_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_list(host, congregation):
    return reading_list_create(by=host, owner=congregation, title="Start here")


def _titles(reading_list):
    return [item.title for item in reading_list.items.select_related("essay")]


def test_hosts_keep_ordered_lists_of_essays_and_links(host, reading_list, make_essay):
    essay = make_essay(title="Five scales")
    reading_item_add(by=host, reading_list_id=reading_list.pk, essay_id=essay.pk)
    reading_item_add(
        by=host,
        reading_list_id=reading_list.pk,
        link_url="https://example.org/channel",
        link_title="The channel",
    )
    third = reading_item_add(
        by=host,
        reading_list_id=reading_list.pk,
        link_url="https://example.org/pod",
        link_title="The podcast",
    )
    assert _titles(reading_list) == ["Five scales", "The channel", "The podcast"]
    reading_item_move(by=host, item_id=third.pk, up=True)
    assert _titles(reading_list) == ["Five scales", "The podcast", "The channel"]
    reading_item_move(by=host, item_id=reading_list.items.first().pk, up=True)  # already first
    assert _titles(reading_list) == ["Five scales", "The podcast", "The channel"]
    reading_item_remove(by=host, item_id=reading_list.items.first().pk)
    assert _titles(reading_list) == ["The podcast", "The channel"]
    assert list(reading_list.items.values_list("position", flat=True)) == [1, 2]


def test_members_who_do_not_host_cannot_change_the_list(member, reading_list, congregation):
    with pytest.raises(NotAllowed):
        reading_item_add(
            by=member, reading_list_id=reading_list.pk, link_url="https://e.org", link_title="E"
        )
    with pytest.raises(NotAllowed):
        reading_list_create(by=member, owner=congregation, title="Mine")


def test_an_item_is_an_essay_or_a_titled_link(host, reading_list, make_essay):
    essay = make_essay()
    with pytest.raises(RuleBroken):
        reading_item_add(
            by=host, reading_list_id=reading_list.pk, essay_id=essay.pk, link_url="https://e.org"
        )
    with pytest.raises(RuleBroken):
        reading_item_add(by=host, reading_list_id=reading_list.pk)
    with pytest.raises(RuleBroken, match="title"):
        reading_item_add(by=host, reading_list_id=reading_list.pk, link_url="https://e.org")


def test_a_list_is_seen_by_whoever_sees_its_group(client, host, network, make_person):
    from microsolidarity.groups.models import Scale, Visibility
    from microsolidarity.groups.services import group_create

    private = group_create(
        by=host,
        name="Quiet Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=Visibility.MEMBERS,
    )
    hidden = reading_list_create(by=host, owner=private, title="Ours")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(make_person("Stranger"))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Ours" not in client.get(reverse("library_home")).content.decode()
    client.force_login(host)
    assert client.get(hidden.get_absolute_url()).status_code == 200
    assert "Ours" in client.get(reverse("library_home")).content.decode()


def test_a_host_adds_an_item_through_the_page_and_errors_keep_the_input(client, host, reading_list):
    client.force_login(host)
    url = reverse("library_reading_item_add", args=[reading_list.slug])
    bad = client.post(url, {"link_url": "https://example.org/x", "link_title": ""})
    assert bad.status_code == 400
    assert "Give the link a title" in bad.content.decode()
    assert 'value="https://example.org/x"' in bad.content.decode()
    good = client.post(url, {"link_url": "https://example.org/x", "link_title": "X"})
    assert good.status_code == 302
    assert _titles(reading_list) == ["X"]


def test_the_group_page_of_lists_offers_hosts_a_new_one(client, host, member, congregation):
    url = reverse("library_group_reading_lists", args=[congregation.slug])
    new = reverse("library_reading_list_create", args=[congregation.slug])
    client.force_login(member)
    assert new not in client.get(url).content.decode()
    client.force_login(host)
    assert new in client.get(url).content.decode()
    response = client.post(new, {"title": "For new crews"})
    assert response.status_code == 302
    assert congregation.reading_lists.get().title == "For new crews"


# Books: a title with an ISBN, found on the shelves ---------------------------------------


def test_a_host_adds_a_book_kept_by_its_isbn_13(client, host, reading_list):
    book = reading_item_add(
        by=host,
        reading_list_id=reading_list.pk,
        isbn="0-306-40615-2",
        book_title="  Braiding Sweetgrass ",
        book_author="Robin Wall Kimmerer",
        note="Chapter one for the first meeting.",
    )
    assert (book.isbn, book.title, book.author, book.url) == (
        "9780306406157",
        "Braiding Sweetgrass",
        "Robin Wall Kimmerer",
        "",
    )
    page = client.get(reading_list.get_absolute_url()).content.decode()
    assert reverse("shelf_isbn", args=["9780306406157"]) in page
    assert "Find it on a shelf" in page
    assert "978-0-306-40615-7" in page
    assert "Robin Wall Kimmerer" in page


def test_a_book_with_a_wrong_isbn_or_no_title_is_refused_and_nothing_is_added(host, reading_list):
    with pytest.raises(RuleBroken, match="not a valid ISBN") as refused:
        reading_item_add(
            by=host, reading_list_id=reading_list.pk, isbn="978-0-306-40615-8", book_title="B"
        )
    assert refused.value.field == "isbn"
    with pytest.raises(RuleBroken) as untitled:
        reading_item_add(by=host, reading_list_id=reading_list.pk, isbn="0306406152")
    assert untitled.value.field == "book_title"
    with pytest.raises(RuleBroken) as no_isbn:
        reading_item_add(by=host, reading_list_id=reading_list.pk, book_title="Only a title")
    assert no_isbn.value.field == "isbn"
    with pytest.raises(RuleBroken, match="one at a time"):
        reading_item_add(
            by=host,
            reading_list_id=reading_list.pk,
            link_url="https://example.org/b",
            link_title="B",
            isbn="0306406152",
        )
    assert not reading_list.items.exists()


def test_the_page_refuses_a_bad_isbn_with_its_reason_and_keeps_the_input(
    client, host, reading_list
):
    client.force_login(host)
    url = reverse("library_reading_item_add", args=[reading_list.slug])
    bad = client.post(url, {"isbn": "978-0-306-40615-8", "book_title": "Sweetgrass"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "978-0-306-40615-8 is not a valid ISBN" in html
    assert 'value="Sweetgrass"' in html
    assert not reading_list.items.exists()
    good = client.post(url, {"isbn": "978 0 306 40615 7", "book_title": "Sweetgrass"})
    assert good.status_code == 302
    assert list(reading_list.items.values_list("isbn", "link_title")) == [
        ("9780306406157", "Sweetgrass")
    ]


def test_the_database_keeps_an_item_to_one_kind(host, reading_list, make_essay):
    from django.db import IntegrityError, transaction

    from microsolidarity.library.models import ReadingItem

    essay = make_essay()
    wrong = [
        {"essay": essay, "isbn": "9780306406157"},
        {"link_url": "https://e.org", "link_title": "E", "isbn": "9780306406157"},
        {"isbn": "9780306406157"},  # a book needs its title
        {"essay": essay, "author": "Someone"},
    ]
    for position, fields in enumerate(wrong, start=1):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReadingItem.objects.create(reading_list=reading_list, position=position, **fields)
    ReadingItem.objects.create(
        reading_list=reading_list, position=9, isbn="9780306406157", link_title="A book"
    )
