"""JSON nested too deep is a 400 with a message, never a RecursionError answered as a 500 (issue 13,
failure 8): anonymously on the token endpoint, and signed in on a write endpoint."""

import pytest

TOKEN_URL = "/api/v1/auth/token/"

DEEP_PAYLOADS = {
    "arrays-1000": "[" * 1000 + "]" * 1000,
    "objects-1000": '{"a":' * 1000 + "1" + "}" * 1000,
    "mixed-1000": '{"a":[' * 500 + "1" + "]}" * 500,
    "arrays-100000": "[" * 100_000 + "]" * 100_000,
    "inside-a-field": '{"email": "a@b.example", "password": ' + "[" * 1000 + "]" * 1000 + "}",
    "one-level-too-deep": "[" * 21 + "]" * 21,
}


def _assert_refused_for_nesting(response):
    assert response.status_code == 400, response.content[:300]
    assert "nested" in response.json()["detail"]


@pytest.mark.parametrize("payload", DEEP_PAYLOADS.values(), ids=DEEP_PAYLOADS.keys())
def test_deeply_nested_json_to_the_token_endpoint_is_400_for_anyone(db, api_client, payload):
    _assert_refused_for_nesting(api_client.post(TOKEN_URL, payload, content_type="application/json"))


@pytest.mark.parametrize("payload", DEEP_PAYLOADS.values(), ids=DEEP_PAYLOADS.keys())
def test_deeply_nested_json_to_a_write_endpoint_is_400_for_a_signed_in_user(world, client_for, payload):
    account_manager = client_for(world.account_manager)
    _assert_refused_for_nesting(account_manager.post("/api/v1/candidates/", payload, content_type="application/json"))
    hiring_manager = client_for(world.hiring_manager)
    _assert_refused_for_nesting(hiring_manager.patch("/api/v1/me/", payload, content_type="application/json"))


def test_json_nested_within_the_limit_is_read_as_usual(world, client_for):
    # Twenty levels are allowed: the request gets as far as the serializer, which says what is wrong.
    response = client_for(world.hiring_manager).patch(
        "/api/v1/me/", '{"full_name": ' + "[" * 19 + "]" * 19 + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "full_name" in response.json()


def test_brackets_inside_strings_do_not_count_as_nesting(world, client_for):
    name = 'Ada [[[[[[[[[[[[[[[[[[[[[[[[[ "{{{{{{{{{{{{{{{{{{{{{{{{{ \\\\'
    response = client_for(world.hiring_manager).patch("/api/v1/me/", {"full_name": name[:60]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == name[:60]
