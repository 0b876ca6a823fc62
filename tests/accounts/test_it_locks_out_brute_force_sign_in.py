"""Sign-in is throttled (issue 13, failure 1): after AXES_FAILURE_LIMIT (5) failures for one
account, or AXES_ADDRESS_FAILURE_LIMIT (30) from one client address, the right password is
refused on the sign-in page, the admin's and the API until the lock expires (15 minutes), without
running the password hasher; other accounts and addresses are unaffected, and an admin can unlock."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN = "/admin/login/"
ROOT = "root@example.com"
ATTACKER = "203.0.113.9"
OFFICE = "192.0.2.80"  # everyone at a client company, behind one address
ADDRESS_LIMIT = 30


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is checked (the CPU cost of a try)."""

    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture
def root(db):
    return User.objects.create_superuser(ROOT, DEFAULT_PASSWORD, full_name="Root")


def _page(client, email, password, ip):
    client.logout()  # a signed-in visitor is sent home before any password is checked
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _admin(client, email, password, ip):
    client.logout()
    return client.post(ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def _api(client, email, password, ip):
    return client.post(
        TOKEN_URL, {"email": email, "password": password}, content_type="application/json", REMOTE_ADDR=ip
    )


def _signed_in_on_page(client, email, ip) -> bool:
    response = _page(client, email, DEFAULT_PASSWORD, ip)
    return response.status_code == 302 and "_auth_user_id" in client.session


def _signed_in_on_admin(client, email, ip) -> bool:
    response = _admin(client, email, DEFAULT_PASSWORD, ip)
    return response.status_code == 302 and response["Location"] == "/admin/"


def _token_from_api(client, email, ip) -> bool:
    return _api(client, email, DEFAULT_PASSWORD, ip).status_code == 200


def _assert_locked_out_everywhere(client, email, ip):
    page = _page(client, email, DEFAULT_PASSWORD, ip)
    assert page.status_code == 429
    text = page.content.decode()
    assert "Sign-in paused" in text
    assert "paused for 15 minutes" in text
    assert 'class="card narrow auth-card"' in text  # the sign-in page's look
    assert "_auth_user_id" not in client.session

    admin = _admin(client, email, DEFAULT_PASSWORD, ip)
    assert admin.status_code == 429
    assert "Sign-in paused" in admin.content.decode()
    assert "_auth_user_id" not in client.session

    api = _api(client, email, DEFAULT_PASSWORD, ip)
    assert api.status_code == 429
    assert "signing in is paused for 15 minutes" in api.json()["detail"]
    assert api["Retry-After"] == "900"


def test_five_wrong_passwords_lock_the_account_everywhere_until_the_lock_expires(client, world, root):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        # Five failures spread over the page, the admin and the API, each from another address:
        # the account is what is counted, whatever the address or the case of the email.
        assert _page(client, ROOT, "guess 1", "198.51.100.1").status_code == 200
        assert _admin(client, "Root@Example.com", "guess 2", "198.51.100.2").status_code == 200
        assert _api(client, ROOT, "guess 3", "198.51.100.3").status_code == 400
        assert _page(client, ROOT.upper(), "guess 4", "198.51.100.4").status_code == 200
        assert _api(client, ROOT, "guess 5", "198.51.100.5").status_code == 429

        _assert_locked_out_everywhere(client, ROOT, "198.51.100.6")

        # Other accounts are unaffected, from those same addresses.
        assert _signed_in_on_page(client, world.recruiter.email, "198.51.100.1")
        assert _token_from_api(client, world.hiring_manager.email, "198.51.100.5")

    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        _assert_locked_out_everywhere(client, ROOT, "198.51.100.7")

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert _signed_in_on_page(client, ROOT, "198.51.100.7")
        assert _signed_in_on_admin(client, ROOT, "198.51.100.7")
        assert _token_from_api(client, ROOT, "198.51.100.7")


def test_a_colleagues_wrong_passwords_do_not_lock_the_office_out(client, world):
    for _ in range(5):
        _page(client, world.hiring_manager.email, "wrong", OFFICE)

    assert _page(client, world.hiring_manager.email, DEFAULT_PASSWORD, OFFICE).status_code == 429
    assert _signed_in_on_page(client, world.other_hiring_manager.email, OFFICE)
    assert _token_from_api(client, world.client_admin.email, OFFICE)


def test_a_locked_address_is_refused_for_every_account(client, world, root):
    # One wrong password each for many accounts, from one address: no account reaches its limit,
    # the address does, and only at its own, higher limit.
    emails = [world.recruiter.email, world.sourcer.email, world.hiring_manager.email, ROOT]
    emails += [f"nobody{number}@x.example" for number in range(ADDRESS_LIMIT - len(emails))]
    for email in emails[:-1]:
        assert _page(client, email, "wrong", ATTACKER).status_code == 200
    assert _page(client, emails[-1], "wrong", ATTACKER).status_code == 429

    for user in (world.recruiter, world.account_manager, world.client_admin):
        assert _page(client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code == 429
        assert _api(client, user.email, DEFAULT_PASSWORD, ATTACKER).status_code == 429
    assert _admin(client, ROOT, DEFAULT_PASSWORD, ATTACKER).status_code == 429

    # The same accounts sign in from anywhere else.
    assert _signed_in_on_page(client, world.recruiter.email, "192.0.2.44")
    assert _signed_in_on_admin(client, ROOT, "192.0.2.44")
    assert _token_from_api(client, world.account_manager.email, "192.0.2.44")


def test_a_locked_out_attempt_does_not_run_the_password_hasher(client, world, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    for _ in range(5):
        _api(client, world.recruiter.email, "wrong", ATTACKER)
    CountingHasher.checks = 0

    for _ in range(20):
        assert _api(client, world.recruiter.email, "still guessing", ATTACKER).status_code == 429
        assert _page(client, world.recruiter.email, "still guessing", ATTACKER).status_code == 429
    assert CountingHasher.checks == 0

    # An address that is not locked is checked as usual.
    assert _token_from_api(client, world.hiring_manager.email, "192.0.2.44")
    assert CountingHasher.checks == 1


def test_behind_the_proxy_the_address_the_proxy_saw_is_counted_not_the_one_the_client_wrote(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for forged in (f"1.1.1.{number}" for number in range(ADDRESS_LIMIT)):
        # The client writes an address of its choice; our proxy appends the one it saw.
        client.post(
            reverse("login"),
            {"username": f"user{forged}@x.example", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"{forged}, {ATTACKER}",
        )
    refused = client.post(
        reverse("login"),
        {"username": world.recruiter.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"9.9.9.9, {ATTACKER}",
    )
    assert refused.status_code == 429
    # Everyone else behind the same proxy still signs in.
    other = client.post(
        reverse("login"),
        {"username": world.recruiter.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert other.status_code == 302


def _lock_account(client, email):
    for number in range(1, 6):
        _page(client, email, "wrong", f"198.51.100.{number}")
    assert _page(client, email, DEFAULT_PASSWORD, "192.0.2.1").status_code == 429


def _lock_address(client, address):
    for number in range(1, ADDRESS_LIMIT + 1):
        _page(client, f"someone{number}@x.example", "wrong", address)
    assert _page(client, "anyone@x.example", "wrong", address).status_code == 429


def test_an_admin_unlocks_an_account_from_the_admin(client, world, root):
    _lock_account(client, world.recruiter.email)

    admin = type(client)()
    admin.force_login(root)
    changelist = admin.get("/admin/axes/accessattempt/", {"q": world.recruiter.email})
    assert changelist.status_code == 200
    assert world.recruiter.email in changelist.content.decode()
    from axes.models import AccessAttempt

    attempts = list(AccessAttempt.objects.filter(username=world.recruiter.email).values_list("pk", flat=True))
    assert len(attempts) == 5
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": attempts, "post": "yes"}
    )
    assert response.status_code == 302

    assert _signed_in_on_page(client, world.recruiter.email, "192.0.2.1")


def test_an_admin_unlocks_an_account_or_an_address_with_axes_reset(client, world):
    _lock_account(client, world.recruiter.email)
    _lock_address(client, ATTACKER)

    call_command("axes_reset_username", world.recruiter.email)
    assert _signed_in_on_page(client, world.recruiter.email, "192.0.2.1")
    assert _page(client, world.sourcer.email, DEFAULT_PASSWORD, ATTACKER).status_code == 429

    call_command("axes_reset_ip", ATTACKER)
    assert _signed_in_on_page(client, world.sourcer.email, ATTACKER)
