"""The top of every page: a skip link, the navigation of the user's role with the current page
marked, the messages, and htmx loaded from our own static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

ALL_SECTIONS = {"/engagements/", "/requisitions/", "/inbox/", "/out-of-office/", "/team/", "/api/docs/", "/admin/"}
EXPECTED = {
    "provider_admin": {"/engagements/", "/requisitions/", "/inbox/", "/out-of-office/", "/api/docs/"},
    "account_manager": {"/engagements/", "/requisitions/", "/inbox/", "/out-of-office/", "/api/docs/"},
    "recruiter": {"/requisitions/", "/inbox/", "/out-of-office/", "/api/docs/"},
    "sourcer": {"/requisitions/", "/inbox/", "/out-of-office/", "/api/docs/"},
    "hiring_manager": {"/inbox/", "/requisitions/", "/api/docs/"},
    "client_admin": {"/engagements/", "/requisitions/", "/team/", "/api/docs/"},
}


def _nav(page: str) -> str:
    return re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', page, re.S).group(1)


def _nav_targets(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', _nav(page)))


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_the_navigation_shows_the_links_of_each_role(client, world, persona, expected):
    client.force_login(getattr(world, persona))
    # The out-of-office page answers every signed-in user (403 for client users): the frame is the same.
    page = client.get(reverse("accounts:out-of-office")).content.decode()
    assert _nav_targets(page) & ALL_SECTIONS == expected


def test_staff_also_get_the_admin(client, world):
    world.provider_admin.is_staff = True
    world.provider_admin.save()
    client.force_login(world.provider_admin)
    assert "/admin/" in _nav_targets(client.get(reverse("accounts:out-of-office")).content.decode())


def test_the_current_page_is_marked_for_screen_readers(client, world):
    client.force_login(world.recruiter)
    nav = _nav(client.get(reverse("accounts:out-of-office")).content.decode())
    assert nav.count('aria-current="page"') == 1
    assert 'href="/out-of-office/" aria-current="page">Out of office</a>' in nav

    client.force_login(world.client_admin)
    nav = _nav(client.get(reverse("accounts:team")).content.decode())
    assert 'href="/team/" aria-current="page">Team</a>' in nav
    assert 'href="/engagements/" aria-current' not in nav


def test_every_page_has_a_skip_link_a_status_region_and_deferred_htmx(client, world):
    client.force_login(world.recruiter)
    page = client.get(reverse("accounts:out-of-office")).content.decode()
    assert '<a class="skip-link" href="#main">Skip to the content</a>' in page
    assert '<main id="main" tabindex="-1">' in page
    assert '<div class="messages" role="status">' in page
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in page
    assert "Sign out</button>" in page
    assert "Rita · Recruiter" in page


def test_htmx_is_vendored_with_its_licence_and_served(client, db):
    found = finders.find("vendor/htmx/htmx.min.js")
    assert found is not None
    with open(found, encoding="utf-8") as source:
        assert source.read(20).startswith("var htmx=")
    assert finders.find("vendor/htmx/LICENSE") is not None
    assert finders.find("vendor/README.md") is not None


def test_an_anonymous_visitor_gets_a_sign_in_link_only(client, db):
    page = client.get(reverse("login")).content.decode()
    assert _nav_targets(page) == {reverse("login")}
    assert "Sign out" not in page
