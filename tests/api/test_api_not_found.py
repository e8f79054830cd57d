"""A 404 under /api/ is JSON in the API's error format, even when no API route matched."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_non_numeric_id_gets_a_json_404(client):
    response = client.get("/api/v1/gatherings/not-a-number")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
