"""Production settings: safe by default, and refusing to start without a real secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _environment(tmp_path, **overrides) -> dict[str, str]:
    """A production environment: nothing from the developer's shell but the basics."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="rpo_portal.settings",
        SECRET_KEY=secrets.token_urlsafe(48)[:64],
        ALLOWED_HOSTS="portal.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        CELERY_FILESYSTEM_BROKER_DIR=str(tmp_path / "broker"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_passes_without_a_warning_in_production(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


# `manage.py collectstatic` as a deployment runs it (production settings, so the production storage;
# our static/ and every app's files), but without compressing: gzip and brotli of the drf-spectacular
# sidecar's Swagger UI and Redoc took 30-80 s, and compressing cannot trip over a missing file.
# WhiteNoise compresses whatever WHITENOISE_SKIP_COMPRESS_EXTENSIONS does not list, so it lists every
# extension there is (only the few files without one, such as LICENSE, are still compressed).
_COLLECTSTATIC_WITHOUT_COMPRESSION = """
from pathlib import Path

import django
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.test.utils import override_settings

django.setup()
extensions = {Path(path).suffix[1:] for finder in get_finders() for path, _ in finder.list([])} - {""}
with override_settings(WHITENOISE_SKIP_COMPRESS_EXTENSIONS=sorted(extensions)):
    call_command("collectstatic", "--noinput")
"""


def test_collectstatic_prepares_every_front_end_file_for_production(tmp_path):
    # The manifest storage follows every url() and sourceMappingURL in CSS and JS; a reference to a
    # file we do not ship (a vendored library's source map, say) would stop a deployment here.
    static_root = tmp_path / "static"
    env = _environment(tmp_path, STATIC_ROOT=str(static_root))
    result = _run(["-c", _COLLECTSTATIC_WITHOUT_COMPRESSION], env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (static_root / "staticfiles.json").read_text()
    for name in ("vendor/htmx/htmx.min.js", "vendor/chartjs/chart.umd.min.js", "css/portal.css"):
        assert f'"{name}"' in manifest


def _load_settings(env) -> subprocess.CompletedProcess:
    # Importing the settings module is what every process (web, worker, manage.py) does first.
    return _run(["-c", "import rpo_portal.settings"], env)


@pytest.mark.parametrize(
    ("secret_key", "why"),
    [
        (None, "unset"),
        ("", "empty"),
        ("insecure-development-key-do-not-use-in-production", "the development key"),
        ("too-short-to-be-a-real-secret", "short"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key, why):
    result = _load_settings(_environment(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0, why
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_a_cache_url_that_is_not_redis_stops_the_start_with_a_clear_message(tmp_path):
    result = _load_settings(_environment(tmp_path, CACHE_URL="memcached://127.0.0.1:11211"))
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis URL" in result.stderr
    assert "memcached://127.0.0.1:11211" in result.stderr


@pytest.mark.parametrize("debug", ["0", "false", "off"])
def test_debug_spelled_off_is_production(tmp_path, debug):
    result = _load_settings(_environment(tmp_path, DEBUG=debug, SECRET_KEY=None))
    assert "ImproperlyConfigured" in result.stderr


def test_development_starts_without_any_secret(tmp_path):
    result = _run(
        ["-c", "import rpo_portal.settings as s; print(s.DEBUG, bool(s.SECRET_KEY), s.ALLOWED_HOSTS)"],
        _environment(tmp_path, DEBUG="1", SECRET_KEY=None, ALLOWED_HOSTS=None),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True ['localhost', '127.0.0.1', '[::1]']"


def test_production_settings_come_from_the_environment(tmp_path):
    code = (
        "import rpo_portal.settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = _environment(
        tmp_path,
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="portal.example.com,www.portal.example.com",
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['portal.example.com', 'www.portal.example.com'] django.db.backends.postgresql "
        "redis://cache.internal:6379/0 True True True"
    )


def test_models_and_migrations_agree(tmp_path):
    result = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"], _environment(tmp_path, DEBUG="1", SECRET_KEY=None)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _gunicorn_config(tmp_path, **overrides) -> dict[str, str]:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "rpo_portal.wsgi"],
        cwd=BASE_DIR,
        env=_environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip() for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_plain_gunicorn_runs_two_synchronous_workers_per_core(tmp_path):
    config = _gunicorn_config(tmp_path, WEB_CONCURRENCY=None, GUNICORN_THREADS=None, PORT="8123")
    assert config["workers"] == str(2 * os.cpu_count())
    assert config["threads"] == "1"
    assert config["worker_class"] == "sync"
    assert config["bind"] == "['0.0.0.0:8123']"


def test_gunicorn_workers_and_threads_follow_the_environment(tmp_path):
    config = _gunicorn_config(tmp_path, WEB_CONCURRENCY="3", GUNICORN_THREADS="2")
    assert (config["workers"], config["threads"]) == ("3", "2")
    assert config["worker_class"] == "gthread"  # threads need it


@pytest.mark.parametrize(
    ("cache", "engine"),
    [
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "rpo_portal.sessions"),
        ({"CACHE_URL": "redis://cache.internal:6379/1"}, "rpo_portal.sessions"),
        ({}, "django.contrib.sessions.backends.db"),
    ],
    ids=["redis", "cache-url", "no-shared-cache"],
)
def test_sessions_are_read_from_the_cache_only_when_every_web_process_shares_it(tmp_path, cache, engine):
    """With each process's own memory, a sign-out in one would leave the session in another's."""
    env = _environment(tmp_path, **{"REDIS_URL": None, "CACHE_URL": None, **cache})
    result = _run(["-c", "import rpo_portal.settings as s; print(s.SESSION_ENGINE)"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == engine
