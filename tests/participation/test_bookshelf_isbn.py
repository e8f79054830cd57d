"""A book's copies on the shelves, for the library's reading lists: only shelves the viewer
may see, found by ISBN-10 or -13 alike, each free or lent, with the ask-for-it button."""

import pytest
from django.urls import reverse

from microsolidarity.participation.bookshelf import copy_add, loan_hand_over, loan_request
from microsolidarity.participation.models import Loan, LoanState

pytestmark = pytest.mark.django_db

ISBN_13 = "9780306406157"
ISBN_10 = "0-306-40615-2"


def _congregation(host, network, name):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    return group_create(
        by=host, name=name, scale=Scale.CONGREGATION, parent=network, join_policy=JoinPolicy.REQUEST
    )


@pytest.fixture
def hillside(host, network):
    return _congregation(host, network, "Hillside Congregation")


@pytest.fixture
def neighbour(make_person, hillside, join):
    """A member of Hillside only: an outsider to Riverside's shelf."""
    return join(make_person("Nia Neighbour"), hillside)


@pytest.fixture
def riverside_copy(member, congregation):
    return copy_add(by=member, shelf=congregation, title="Braiding Sweetgrass", isbn=ISBN_13)


@pytest.fixture
def hillside_copy(neighbour, hillside):
    return copy_add(by=neighbour, shelf=hillside, title="Braiding Sweetgrass (2nd)", isbn=ISBN_10)


def _page(client, isbn=ISBN_13):
    return client.get(reverse("shelf_isbn", args=[isbn]))


def _listed(response) -> list[int]:
    return [item["copy"].pk for item in response.context["found"]]


def test_each_viewer_sees_only_the_copies_on_shelves_they_may_see(
    client, member, neighbour, make_person, riverside_copy, hillside_copy
):
    anonymous = _page(client)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))

    client.force_login(member)
    page = _page(client)
    assert page.status_code == 200
    assert _listed(page) == [riverside_copy.pk]
    assert "Riverside Congregation" in page.content.decode()
    assert "Hillside Congregation" not in page.content.decode()

    client.force_login(neighbour)
    assert _listed(_page(client)) == [hillside_copy.pk]

    client.force_login(make_person("Sam Stranger"))
    page = _page(client)
    assert _listed(page) == []
    html = page.content.decode()
    assert "No shelf you can see has this book." in html
    assert "join a group" in html
    assert "Braiding" not in html


def test_an_operator_sees_the_congregations_shelves_as_the_shelf_page_allows(
    client, staff, riverside_copy, hillside_copy
):
    client.force_login(staff)
    assert sorted(_listed(_page(client))) == sorted([riverside_copy.pk, hillside_copy.pk])
    assert client.get(reverse("shelf", args=[riverside_copy.shelf.slug])).status_code == 200


def test_an_isbn_10_and_its_isbn_13_find_the_same_copies(
    client, member, hillside, join, riverside_copy, hillside_copy
):
    join(member, hillside)
    client.force_login(member)
    found = {isbn: sorted(_listed(_page(client, isbn))) for isbn in (ISBN_13, "0306406152")}
    assert found[ISBN_13] == found["0306406152"] == sorted([riverside_copy.pk, hillside_copy.pk])
    assert _page(client, "978-0-306-40615-7").status_code == 200


def test_a_copy_shows_its_shelf_owner_and_whether_it_is_free_or_lent(
    client, host, member, other_member, congregation, riverside_copy
):
    group_copy = copy_add(
        by=host, shelf=congregation, title="Sweetgrass, the group's", isbn=ISBN_13, group_owned=True
    )
    loan_request(person=other_member, copy=group_copy)
    loan_hand_over(by=host, copy=group_copy)
    client.force_login(member)
    page = _page(client)
    by_pk = {item["copy"].pk: item for item in page.context["found"]}
    assert (by_pk[riverside_copy.pk]["lent"], by_pk[group_copy.pk]["lent"]) == (False, True)
    html = page.content.decode()
    assert "owned by Mo Member" in html
    assert "owned by Riverside Congregation" in html
    assert html.count('<span class="tag">lent out</span>') == 1
    assert html.count('<span class="tag">free</span>') == 1


def test_the_viewer_asks_for_a_copy_from_the_page_and_then_sees_their_place(
    client, member, other_member, riverside_copy
):
    client.force_login(member)
    # The owner is offered no button for their own copy.
    assert reverse("copy_request", args=[riverside_copy.pk]) not in _page(client).content.decode()
    client.force_login(other_member)
    ask = reverse("copy_request", args=[riverside_copy.pk])
    assert ask in _page(client).content.decode()
    assert client.post(ask).status_code == 302
    assert Loan.objects.get(copy=riverside_copy).state == LoanState.WAITING
    html = _page(client).content.decode()
    assert "You are in line for it." in html
    assert ask not in html


def test_nothing_found_offers_to_put_a_copy_on_my_groups_shelves(client, member, congregation):
    client.force_login(member)
    html = _page(client, ISBN_10).content.decode()
    assert "No shelf you can see has this book." in html
    add = f"{reverse('shelf', args=[congregation.slug])}?isbn={ISBN_13}"
    assert add in html
    shelf = client.get(add).content.decode()
    assert f'value="{ISBN_13}"' in shelf


def test_a_wrong_isbn_says_so(client, member):
    client.force_login(member)
    page = _page(client, "978-0-306-40615-8")
    assert page.status_code == 404
    assert "is not a valid ISBN" in page.content.decode()


def test_the_page_costs_the_same_queries_for_many_shelves(
    client, host, network, member, make_person, join, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def shelves(names):
        for name in names:
            group = _congregation(host, network, name)
            join(member, group)
            owner = join(make_person(f"Owner of {name}"), group)
            copy = copy_add(by=owner, shelf=group, title="Sweetgrass", isbn=ISBN_13)
            loan_request(person=host, copy=copy)

    shelves(["Alder"])
    client.force_login(member)
    with CaptureQueriesContext(connection) as few:
        assert len(_listed(_page(client))) == 1
    shelves([f"Birch {n}" for n in range(6)])
    with django_assert_max_num_queries(len(few)):
        assert len(_listed(_page(client))) == 7
