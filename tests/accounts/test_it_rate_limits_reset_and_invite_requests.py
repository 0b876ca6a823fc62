"""Password-reset and invitation requests are rate-limited per client address and per address
asked about (and per inviting admin): past the limit the page answers 429, friendly, sending nothing."""

import os
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from rpo_portal.cache import redis_cache

RESET = "/password-reset/"
INVITE = "/team/invite/"


def _reset(client, email, ip="198.51.100.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_requests_are_limited_per_email_address(client, world, mailoutbox, settings):
    assert settings.RATE_LIMIT_PASSWORD_RESET == "5/h"
    for number in range(5):
        assert _reset(client, "HM@acme.example", ip=f"198.51.100.{number}")["Location"] == reverse(
            "password_reset_done"
        )
    sent = len(mailoutbox)

    refused = _reset(client, "hm@acme.example", ip="198.51.100.77")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many reset requests" in page
    assert "a link is already on its way" in page
    assert 'class="card narrow auth-card"' in page
    assert len(mailoutbox) == sent  # nothing more was sent

    # Someone else asking from elsewhere is unaffected.
    assert _reset(client, world.recruiter.email, ip="198.51.100.78").status_code == 302


def test_password_reset_requests_are_limited_per_client_address(client, world):
    for number in range(5):
        assert _reset(client, f"person{number}@x.example", ip="203.0.113.9").status_code == 302
    assert _reset(client, world.recruiter.email, ip="203.0.113.9").status_code == 429
    assert _reset(client, world.recruiter.email, ip="192.0.2.1").status_code == 302


def test_an_unknown_address_is_limited_like_a_known_one(client, world):
    # The limit says nothing about which addresses have an account.
    answers = {
        email: [_reset(client, email, ip=f"192.0.2.{number}").status_code for number in range(6)]
        for email in ("hm@acme.example", "nobody@acme.example")
    }
    assert answers["hm@acme.example"] == answers["nobody@acme.example"] == [302] * 5 + [429]


def _invite(client, email, ip="198.51.100.1"):
    form = {"full_name": "Nora Newhire", "email": email, "time_zone": "Europe/London"}
    return client.post(INVITE, form, REMOTE_ADDR=ip)


def test_invitations_are_limited_per_admin_and_per_invited_address(client, world, settings):
    settings.RATE_LIMIT_INVITE = "3/h"
    client.force_login(world.client_admin)
    for number in range(3):
        assert _invite(client, f"new{number}@acme.example", ip=f"198.51.100.{number}").status_code == 303
    refused = _invite(client, "new9@acme.example", ip="198.51.100.50")
    assert refused.status_code == 429
    assert "Too many invitations" in refused.content.decode()
    assert not User.objects.filter(email="new9@acme.example").exists()

    # Another admin, elsewhere, is unaffected; but one address cannot be invited over and over.
    other = type(client)()
    other.force_login(world.globex_admin)
    assert _invite(other, "someone@globex.example", ip="192.0.2.1").status_code == 303
    for _ in range(2):
        _invite(other, "new0@acme.example", ip="192.0.2.1")
    assert _invite(other, "new0@acme.example", ip="192.0.2.1").status_code == 429


def test_a_cache_that_is_down_lets_requests_through(client, world, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert _reset(client, world.recruiter.email).status_code == 302


LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limit-check"}


@pytest.mark.parametrize(
    "cache", [LOCMEM, redis_cache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))], ids=["locmem", "redis"]
)
def test_the_rate_limit_system_checks_pass_with_the_caches_the_settings_build(settings, cache):
    settings.CACHES = {"default": cache}
    call_command("check", "--tag", "caches", "--fail-level", "WARNING")


@pytest.mark.redis
def test_the_limits_count_in_redis_shared_by_every_web_process(client, world, settings):
    settings.CACHES = {"default": redis_cache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))}
    # A fresh email address and fresh client addresses, as the Redis is not emptied (it may hold the
    # broker's queues). The client addresses differ from one another: only the per-email count refuses.
    run = uuid.uuid4()
    email = f"nobody-{run.hex}@acme.example"
    network = f"10.{run.int % 250}.{(run.int >> 8) % 250}"
    answers = [_reset(client, email, ip=f"{network}.{number}").status_code for number in range(6)]
    assert answers == [302] * 5 + [429]
