"""Error pages keep the site's header and say the way on: sign in, join, or ask to join."""

import pytest
from django.test import RequestFactory, override_settings

pytestmark = pytest.mark.django_db


def test_a_missing_page_keeps_the_header_and_offers_sign_in_to_a_visitor(client):
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'aria-label="Main"' in page
    assert "Nothing is at this address" in page
    assert "/accounts/login/?next=/no/such/page/" in page


def test_a_missing_page_offers_a_member_the_way_home(client, member):
    client.force_login(member)
    page = client.get("/g/no-such-group/").content.decode()
    assert "Back to your home" in page
    assert "Sign in" not in page.split("<main", 1)[1]


def test_a_refused_members_page_offers_a_non_member_a_request_to_join(
    client, congregation, make_person
):
    client.force_login(make_person("Nia Newcomer"))
    response = client.get(f"/g/{congregation.slug}/members/")
    page = response.content.decode()
    assert response.status_code == 403
    assert f"This part of {congregation.name} is for its members" in page
    assert f'href="/g/{congregation.slug}/?join=1#join"' in page
    assert "Request to join" in page


def test_the_request_link_opens_the_ask_to_join_form(client, congregation, make_person):
    client.force_login(make_person("Nia Newcomer"))
    page = client.get(f"/g/{congregation.slug}/?join=1").content.decode()
    assert '<details id="join" open>' in page


def test_a_refusal_on_an_open_group_offers_the_join_button(client, congregation, make_person):
    congregation.join_policy = "open"
    congregation.save(update_fields=["join_policy"])
    client.force_login(make_person("Nia Newcomer"))
    page = client.get(f"/g/{congregation.slug}/members/").content.decode()
    assert f'action="/g/{congregation.slug}/join/"' in page
    assert f"Join {congregation.name}" in page


def test_a_refusal_after_a_request_says_it_is_with_the_hosts(client, congregation, make_person):
    from microsolidarity.groups.services import membership_request

    person = make_person("Nia Newcomer")
    membership_request(person=person, group=congregation)
    client.force_login(person)
    page = client.get(f"/g/{congregation.slug}/members/").content.decode()
    assert "Your request to join is with the hosts" in page
    assert "Request to join" not in page


def test_a_refusal_names_no_group_the_viewer_cannot_see(rf_user_request, network, host):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create
    from microsolidarity.home.errors import permission_denied

    hidden = group_create(
        by=host, name="Quiet Cove", scale=Scale.CONGREGATION, parent=network, visibility="members"
    )
    response = permission_denied(rf_user_request(f"/g/{hidden.slug}/members/"), Exception())
    page = response.content.decode()
    assert response.status_code == 403
    assert "Quiet Cove" not in page
    assert "This page is not open to you" in page
    assert "/accounts/login/" in page


@override_settings(DEBUG=False)
def test_a_bad_request_and_a_server_error_have_their_own_pages():
    from django.template.loader import render_to_string

    server_error = render_to_string("500.html")
    assert "Something went wrong on our side" in server_error
    assert 'aria-label="Main"' in server_error
    assert "go back and check before sending it again" in server_error
    bad = render_to_string("400.html", request=RequestFactory().get("/"))
    assert "That request was not understood" in bad
    assert "Nothing was changed" in bad


@pytest.fixture
def rf_user_request():
    """A GET request, resolved as the site would, from a visitor who is not signed in."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.urls import resolve

    def make(path: str):
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        request.resolver_match = resolve(path)
        request._messages = CookieStorage(request)
        return request

    return make
