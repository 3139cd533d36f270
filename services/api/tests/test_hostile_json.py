"""Bodies a JSON client would never send are a clean 400 on every anonymous endpoint, also on
those whose rate limits read the body before validation does."""

import pytest

pytestmark = pytest.mark.django_db

ANONYMOUS_POSTS = ["/api/auth/login/", "/api/auth/register/", "/api/auth/password/reset/", "/api/auth/email/resend/"]


@pytest.mark.parametrize("path", ANONYMOUS_POSTS)
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_number_constants_are_malformed_json(client, path, constant):
    body = f'{{"email": "ada@example.com", "password": {constant}}}'
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("path", ANONYMOUS_POSTS)
@pytest.mark.parametrize("body", ['["ada@example.com"]', '"ada@example.com"', "42", "null", "[]"])
def test_a_body_that_is_not_an_object_is_a_400(client, path, body):
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("validation_error", "parse_error")


@pytest.mark.parametrize("path", ANONYMOUS_POSTS)
@pytest.mark.parametrize("address", ["\\ud800@example.com", "ada\\udfff@example.com"])
def test_a_lone_surrogate_in_the_address_is_a_400(client, path, address):
    # Valid JSON (a \u escape) that no UTF-8 encoder accepts as it is.
    body = f'{{"email": "{address}", "password": "a perfectly fine passphrase"}}'
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
