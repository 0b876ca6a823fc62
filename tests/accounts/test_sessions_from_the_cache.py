"""Sessions are read from the cache and kept in the database (``rpo_portal.sessions``); signing
out, a new password and deactivation still end them, and a cache that is down costs only speed."""

import logging
import os

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from rpo_portal.cache import redis_cache

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _page(user) -> str:
    """A page only signed-in people see: the out-of-office page, or a hiring manager's inbox."""
    return reverse("feedback:inbox" if user.role == User.Role.HIRING_MANAGER else "accounts:out-of-office")


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.page = _page(user)
    assert browser.get(browser.page).status_code == 200  # the session is now in the cache too
    return browser


def _same_cookie(browser: Client) -> Client:
    """Another browser replaying ``browser``'s session cookie (a copied or stolen cookie)."""
    replay = Client()
    replay.cookies = browser.cookies
    replay.page = browser.page
    return replay


def _is_signed_in(browser: Client) -> bool:
    response = browser.get(browser.page)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def test_a_signed_in_page_reads_the_session_without_a_database_query(world):
    browser = _signed_in(world.recruiter)
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(browser.page).status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"]]


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(world):
    browser = _signed_in(world.recruiter)
    replay = _same_cookie(browser)
    browser.post(reverse("logout"))
    assert not _is_signed_in(replay)


def test_a_new_password_ends_the_other_sessions(world):
    browser = _signed_in(world.hiring_manager)
    world.hiring_manager.set_password("a brand new secret 42")
    world.hiring_manager.save()
    assert not _is_signed_in(browser)


def test_deactivation_ends_the_sessions_of_the_person_deactivated(world):
    browser = _signed_in(world.hiring_manager)
    account_services.user_deactivate(
        actor=world.client_admin, user=world.hiring_manager, successor=world.other_hiring_manager
    )  # they hold requisitions: handed over as they go
    assert not _is_signed_in(browser)


def test_with_the_cache_unreachable_signing_in_pages_and_signing_out_still_work(world, caplog):
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE_REDIS)}), caplog.at_level(logging.WARNING):
        browser = _signed_in(world.recruiter)
        replay = _same_cookie(browser)
        assert _is_signed_in(browser)
        browser.post(reverse("logout"))
        assert not _is_signed_in(replay)
    assert "The cache did not answer" in caplog.text


@pytest.mark.redis
def test_signing_out_ends_the_session_kept_in_redis(world, settings):
    settings.CACHES = {"default": redis_cache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))}
    browser = _signed_in(world.recruiter)
    replay = _same_cookie(browser)
    with CaptureQueriesContext(connection) as queries:
        assert _is_signed_in(replay)
    assert not [query for query in queries if "django_session" in query["sql"]]
    browser.post(reverse("logout"))
    assert not _is_signed_in(replay)
