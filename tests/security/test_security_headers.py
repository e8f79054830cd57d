"""Response headers: a content security policy without inline scripts or styles."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/docs"])
def test_pages_carry_a_policy_without_inline_scripts(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    page = client.get("/").content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in page


def test_referrer_policy_and_no_sniffing(client):
    response = client.get("/")

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
