"""Bad input is refused with a JSON message for each field, and nothing is half-saved."""

from microsolidarity.api.errors import domain_status, field_errors
from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.groups.models import Membership


def test_unknown_scale_is_a_field_error(client):
    response = client.get("/api/v1/groups", {"scale": "village"})

    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert list(body["errors"]) == ["scale"]
    assert "congregation" in body["errors"]["scale"][0]


def test_several_bad_parameters_each_get_their_message(client):
    response = client.get("/api/v1/groups", {"limit": "0", "offset": "-1", "parent": "no/slug!"})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"limit", "offset", "parent"}


def test_page_size_has_a_ceiling(client):
    response = client.get("/api/v1/groups", {"limit": "1000"})

    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


def test_huge_offset_is_refused_not_crashed_on(client):
    response = client.get("/api/v1/groups", {"offset": str(10**30)})

    assert response.status_code == 422


def test_search_text_with_a_nul_character_is_refused(client):
    response = client.get("/api/v1/groups", {"q": "a\x00b"})

    assert response.status_code == 422
    assert response.json()["errors"]["q"] == ["Text can't contain NUL characters."]


def test_malformed_slug_in_the_path_is_a_field_error(client):
    response = client.get("/api/v1/groups/not%20a%20slug")

    assert response.status_code == 422
    assert "slug" in response.json()["errors"]


def test_too_long_request_message_is_refused_and_nothing_saved(
    client, congregation, make_person, bearer
):
    person = make_person()

    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        {"message": "x" * 1001},
        content_type="application/json",
        headers=bearer(person),
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["message"]
    assert not Membership.objects.filter(person=person).exists()


def test_request_message_of_the_wrong_type_is_a_field_error(
    client, congregation, make_person, bearer
):
    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        {"message": ["not", "text"]},
        content_type="application/json",
        headers=bearer(make_person()),
    )

    assert response.status_code == 422
    assert "message" in response.json()["errors"]


def test_body_that_is_not_json_is_refused(client, congregation, make_person, bearer):
    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        "{not json",
        content_type="application/json",
        headers=bearer(make_person()),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {}


def test_domain_errors_map_to_their_status():
    assert domain_status(RuleBroken("no")) == 400
    assert domain_status(NotAllowed("no")) == 403
    assert domain_status(Conflict("no")) == 409


def test_validation_errors_are_grouped_by_field():
    errors = [
        {"loc": ("query", "limit"), "msg": "Input should be greater than or equal to 1"},
        {"loc": ("body", "payload", "message"), "msg": "Value error, Too long"},
        {"loc": ("body", "payload"), "msg": "Field required"},
    ]

    assert field_errors(errors) == {
        "limit": ["Input should be greater than or equal to 1"],
        "message": ["Too long"],
        "__all__": ["Field required"],
    }


def test_request_message_with_a_lone_surrogate_is_refused(
    client, congregation, make_person, bearer
):
    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        '{"message": "\\ud800"}',
        content_type="application/json",
        headers=bearer(make_person()),
    )

    assert response.status_code == 422
    assert "message" in response.json()["errors"]


def test_request_body_that_is_not_an_object_is_a_whole_input_error(
    client, congregation, make_person, bearer
):
    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        "[1, 2]",
        content_type="application/json",
        headers=bearer(make_person()),
    )

    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]
