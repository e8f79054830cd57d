"""A body over the limit is a 413 and a non-numeric id a 404, in the API's JSON shape, whether
DEBUG is on (development) or off (production)."""

import json

import pytest

pytestmark = pytest.mark.django_db

MEGABYTES = 4


@pytest.fixture(params=[True, False], ids=["development", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _big_entry() -> str:
    return json.dumps({"text": "x" * (MEGABYTES * 1024 * 1024)})


def _assert_too_large(response):
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "too large" in body["detail"]
    assert b"Traceback" not in response.content


def test_a_body_of_megabytes_is_a_json_413(client, member, bearer, debug):
    response = client.post(
        "/api/v1/journal/entries",
        _big_entry(),
        content_type="application/json",
        headers=bearer(member),
    )
    _assert_too_large(response)


def test_the_api_itself_refuses_a_body_of_megabytes_as_json(
    client, member, bearer, debug, settings
):
    """Behind the middleware, ninja's own handler answers the same when Django refuses the read."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("ApiErrorsMiddleware")
    ]
    response = client.post(
        "/api/v1/journal/entries",
        _big_entry(),
        content_type="application/json",
        headers=bearer(member),
    )
    _assert_too_large(response)


def test_a_body_within_the_limit_is_still_taken(client, member, bearer, debug):
    response = client.post(
        "/api/v1/journal/entries",
        json.dumps({"text": "A short one."}),
        content_type="application/json",
        headers=bearer(member),
    )
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/gatherings/not-a-number", "/api/v1/no/such/route"])
def test_a_path_no_route_matches_is_a_json_404(client, path, debug):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_pages_keep_their_html_404_in_both(client, debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
