"""The main menu, kept once per process, is what rendering its template for the viewer gives."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOKEN = "a" * 64


def kept_menu(user) -> str:
    return Template("{% load menus %}{% main_menu %}").render(
        Context({"user": user, "csrf_token": TOKEN})
    )


@pytest.mark.parametrize("who", ["host", "member", "anonymous"])
def test_the_kept_menu_equals_the_menu_rendered_for_the_viewer(who, host, member):
    user = {"host": host, "member": member, "anonymous": AnonymousUser()}[who]
    kept_menu(host)  # Another viewer's call first: what is kept must not carry their id.

    assert kept_menu(user) == render_to_string(
        "_main_menu.html", {"user": user, "csrf_token": TOKEN}
    )


def test_the_sign_out_form_on_a_page_carries_a_working_token(host):
    client = Client(enforce_csrf_checks=True)
    client.force_login(host)
    page = client.get("/groups/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens
    assert f'href="{reverse("person_detail", args=[host.pk])}"' in page

    signed_out = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]})

    assert signed_out.status_code == 302
