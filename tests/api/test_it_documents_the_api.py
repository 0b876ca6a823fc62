"""The OpenAPI schema generates cleanly and the docs page is served without any CDN."""

from django.core.management import call_command

from ..factories import DEFAULT_PASSWORD


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # fail_on_warn turns every drf-spectacular warning (untyped field, enum clash...) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/submissions/{id}/stage/",
        "/api/v1/interviews/{id}/status/",
        "/api/v1/assignments/{id}/end/",
        "/api/v1/out-of-office/{id}/",
        "/api/v1/feedback-requests/",
        "/api/v1/feedback-requests/{id}/respond/",
        "/api/v1/availability-requests/{id}/slots/",
        "/api/v1/availability-requests/{id}/book/",
        "/api/v1/partnership-items/",
        "/api/v1/partnership-items/{id}/comments/",
        "/api/v1/partnership-items/{id}/resolve/",
        "/api/v1/partnership-items/{id}/follow/",
        "/api/v1/pulse-surveys/",
        "/api/v1/pulse-surveys/{id}/",
        "/api/v1/pulse-answers/",
    ):
        assert f"{path}:" in schema


def test_schema_and_docs_refuse_anonymous_users(db, client):
    assert client.get("/api/schema/").status_code == 401
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/api/docs/"
    assert client.get("/api/docs/?script=").status_code == 302


def test_schema_endpoint_answers_a_signed_in_user(world, api_client):
    token = api_client.post(
        "/api/v1/auth/token/", {"email": world.hiring_manager.email, "password": DEFAULT_PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "RPO Partnership Portal API"


def test_docs_page_loads_its_assets_from_our_own_static_files(world, client):
    client.force_login(world.recruiter)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for cdn in ("cdn.", "jsdelivr", "unpkg", "//cdnjs", "googleapis"):
        assert cdn not in html
    # Nothing inline for the Content-Security-Policy to refuse: the init script is a file of its own.
    assert "<script>" not in html
    assert "<style" not in html
    assert 'src="/api/docs/?script="' in html
    # Swagger UI's icons are data: images: allowed on this page only (tests/test_it_sets_security_headers.py).
    policy = {name: values for name, *values in map(str.split, response["Content-Security-Policy"].split(";"))}
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"] == ["'self'"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
