"""/healthz: the load balancer's and the operator's view of whether the portal can work."""

import os

import pytest

from rpo_portal.celery import app as celery_app

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def use_broker():
    """``use_broker(url, **transport_options)`` points the Celery app at a broker for one test."""
    saved = {
        "broker_url": celery_app.conf.broker_url,
        "broker_transport_options": celery_app.conf.broker_transport_options,
    }

    def point_at(url, **transport_options):
        celery_app.conf.update(broker_url=url, broker_transport_options=transport_options)

    yield point_at
    celery_app.conf.update(**saved)


@pytest.fixture
def filesystem_broker(use_broker, tmp_path):
    queue, processed = tmp_path / "queue", tmp_path / "processed"
    queue.mkdir()
    processed.mkdir()
    use_broker(
        "filesystem://",
        data_folder_in=str(queue),
        data_folder_out=str(queue),
        processed_folder=str(processed),
        store_processed=False,
    )
    return queue


@pytest.mark.django_db
def test_healthz_is_ok_on_the_embedded_filesystem_broker(client, filesystem_broker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_missing_broker_folder(client, filesystem_broker):
    filesystem_broker.rmdir()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_is_ok_on_redis(client, use_broker):
    use_broker(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client, use_broker):
    use_broker(UNREACHABLE_REDIS)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    # The answer names the kind of failure, never the broker's address or credentials.
    assert "127.0.0.1" not in body["broker"]


@pytest.mark.django_db
def test_healthz_needs_no_login_and_answers_get_and_head(client, filesystem_broker):
    # Uptime monitors often probe with HEAD.
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
