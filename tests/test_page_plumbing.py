"""post_action and domain_errors_on: the one shape of a page action, checked on its own."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from microsolidarity.errors import DomainError, RuleBroken
from microsolidarity.pages import Done, domain_errors_on, post_action


class Thing:
    def __init__(self, pk: int) -> None:
        self.pk = pk

    def get_absolute_url(self) -> str:
        return f"/things/{self.pk}/"


def _load(request, pk: int) -> Thing:
    if pk != 1:
        raise Http404
    return Thing(pk)


def _request(method="post", data=None, user=None):
    request = getattr(RequestFactory(), method)("/things/1/act/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = user if user is not None else _Someone()
    return request


class _Someone:
    is_authenticated = True
    is_active = True

    def __init__(self, may: bool = True) -> None:
        self.may = may

    def has_perm(self, perm, obj=None) -> bool:
        return self.may


def _said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(request)]


@post_action(_load)
def act(request, thing, extra: str = ""):
    if request.POST.get("refuse"):
        raise RuleBroken("Not like that.")
    return f"Done with {thing.pk}{extra}."


def test_success_says_so_and_goes_back_to_the_object():
    request = _request()

    response = act(request, pk=1)

    assert response.status_code == 302
    assert response["Location"] == "/things/1/"
    assert _said(request) == [("success", "Done with 1.")]


def test_a_refusal_becomes_its_message_and_the_same_way_back():
    request = _request(data={"refuse": "1"})

    response = act(request, pk=1)

    assert response["Location"] == "/things/1/"
    assert _said(request) == [("error", "Not like that.")]


def test_url_arguments_the_loader_does_not_take_go_to_the_view():
    request = _request()

    act(request, pk=1, extra=" and more")

    assert _said(request) == [("success", "Done with 1 and more.")]


def test_get_is_405_and_a_missing_object_404():
    assert act(_request("get"), pk=1).status_code == 405
    with pytest.raises(Http404):
        act(_request(), pk=2)


def test_signed_out_goes_to_the_sign_in_page():
    response = act(_request(user=AnonymousUser()), pk=1)

    assert response.status_code == 302
    assert "login" in response["Location"]


@post_action(_load, allow="things.change")
def guarded(request, thing):
    return "Changed."


@post_action(_load, allow=lambda person, thing: person.may, hidden=True)
def hidden(request, thing):
    return "Changed."


def test_refused_permission_is_403_or_404_when_hidden():
    with pytest.raises(PermissionDenied):
        guarded(_request(user=_Someone(may=False)), pk=1)
    with pytest.raises(Http404):
        hidden(_request(user=_Someone(may=False)), pk=1)
    assert guarded(_request(), pk=1).status_code == 302


@post_action(_load, to="/elsewhere/", follow_next=True)
def follows(request, thing):
    return Done("Moved on.", level=25)


def test_a_safe_next_is_followed_and_an_unsafe_one_is_not():
    assert follows(_request(data={"next": "/somewhere/"}), pk=1)["Location"] == "/somewhere/"
    unsafe = follows(_request(data={"next": "https://evil.example/"}), pk=1)
    assert unsafe["Location"] == "/elsewhere/"


@post_action(_load, to="/elsewhere/")
def elsewhere_on_success(request, thing):
    return Done("Off you go.", to="/gone/")


def test_done_can_send_success_somewhere_else():
    request = _request()

    assert elsewhere_on_success(request, pk=1)["Location"] == "/gone/"
    assert _said(request) == [("success", "Off you go.")]


@post_action(_load, respond=lambda request, thing: HttpResponse(f"partial {thing.pk}"))
def partial(request, thing):
    if request.POST.get("refuse"):
        raise DomainError("No.")
    return "Yes."


def test_respond_replaces_the_redirect_after_success_and_refusal():
    assert partial(_request(), pk=1).content == b"partial 1"
    refused = _request(data={"refuse": "1"})
    assert partial(refused, pk=1).content == b"partial 1"
    assert _said(refused) == [("error", "No.")]


class NameForm(forms.Form):
    name = forms.CharField()


def test_domain_errors_on_puts_the_refusal_on_its_field_else_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    with domain_errors_on(form):
        raise RuleBroken("Taken.", field="name")
    with domain_errors_on(form):
        raise RuleBroken("Closed.", field="not_on_this_form")

    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Closed."]


def test_domain_errors_on_lets_success_through_and_other_errors_out():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    with domain_errors_on(form):
        pass
    assert form.errors == {}
    with pytest.raises(ValueError), domain_errors_on(form):
        raise ValueError("a bug, not a refusal")


@post_action(to="/done/", login=False)
def open_to_all(request):
    return "Counted."


def test_an_action_for_everyone_needs_no_sign_in():
    request = _request(user=AnonymousUser())

    assert open_to_all(request)["Location"] == "/done/"
    assert _said(request) == [("success", "Counted.")]
