"""Content-Security-Policy and Permissions-Policy on every kind of answer (issue 13, failure 10):
a page, an API response and the admin. The browser tests check that the pages work under the policy
(tests/browser: any CSP violation in the console fails the test)."""

import pytest
from django.template.loader import render_to_string

from . import factories


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict_policy(response):
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    for name, values in directives.items():
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name
        assert "*" not in values, name
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'"]  # data: images on the API docs page only
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response.headers  # enforced, not reported

    policy = dict(feature.split("=", 1) for feature in response.headers["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature


def test_a_page_carries_the_policies(world, client):
    assert client.get("/login/").status_code == 200
    _assert_strict_policy(client.get("/login/"))
    client.force_login(world.account_manager)
    response = client.get(f"/engagements/{world.acme_engagement.pk}/")
    assert response.status_code == 200
    _assert_strict_policy(response)


def test_an_api_response_carries_the_policies(world, api_client):
    token = api_client.post(
        "/api/v1/auth/token/", {"email": world.recruiter.email, "password": factories.DEFAULT_PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    _assert_strict_policy(response)
    _assert_strict_policy(api_client.get("/api/v1/engagements/999999/"))  # an error answers the same


def test_the_admin_login_carries_the_policies(db, client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    _assert_strict_policy(response)


@pytest.mark.parametrize("template", ["500.html", "404.html", "base.html"])
def test_error_pages_and_the_base_have_no_inline_style_or_script(rf, template):
    html = render_to_string(template, request=rf.get("/"))
    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html


def test_htmx_is_told_not_to_inject_its_inline_indicator_style(rf):
    html = render_to_string("base.html", request=rf.get("/"))
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
