"""The 404 and 403 pages link to the viewer's own start page, the one their role comes for (a client
admin has no inbox; a hiring manager's start page is their inbox), and an anonymous visitor is
offered to sign in."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from rpo_portal.pages import forbidden

NOT_FOUND = "/requisitions/999999/"
NO_SUCH_PAGE = "/no-such-page/"


def _main(page: str) -> str:
    return re.search(r'<main id="main" tabindex="-1">(.*)</main>', page, re.S).group(1)


def _home_of(persona: str, world) -> str:
    return {
        "client_admin": reverse("partnership:engagement-detail", args=[world.acme_engagement.pk]),
        "hiring_manager": reverse("feedback:inbox"),
        "recruiter": reverse("partnership:requisition-list"),
        "account_manager": reverse("partnership:engagement-list"),
    }[persona]


# A page each role is refused (403) by its own rules.
REFUSED = {
    "client_admin": lambda world: "/out-of-office/",
    "hiring_manager": lambda world: f"/engagements/{world.acme_engagement.pk}/",
    "recruiter": lambda world: "/team/",
    "account_manager": lambda world: "/team/",
}


@pytest.mark.parametrize("persona", REFUSED)
def test_not_found_links_to_the_viewers_own_home(client, world, persona):
    client.force_login(getattr(world, persona))
    for path in (NOT_FOUND, NO_SUCH_PAGE):
        response = client.get(path)
        assert response.status_code == 404
        main = _main(response.content.decode())
        assert f'<a href="{_home_of(persona, world)}">Go to your start page</a>' in main
        if persona == "client_admin":
            assert reverse("feedback:inbox") not in main


@pytest.mark.parametrize("persona", REFUSED)
def test_forbidden_links_to_the_viewers_own_home(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(REFUSED[persona](world))
    assert response.status_code == 403
    main = _main(response.content.decode())
    assert f'<a href="{_home_of(persona, world)}">Go to your start page</a>' in main


def test_anonymous_visitor_is_offered_to_sign_in_on_not_found(client, db):
    response = client.get(NO_SUCH_PAGE)
    assert response.status_code == 404
    main = _main(response.content.decode())
    assert f'<a href="{reverse("login")}?next={NO_SUCH_PAGE}">Sign in</a>' in main
    assert "start page" not in main


def test_anonymous_visitor_is_offered_to_sign_in_on_forbidden(db):
    request = RequestFactory().get("/r/some-link/")
    request.user = AnonymousUser()
    response = forbidden(request, "Only the person this link was sent to can answer it.")
    assert response.status_code == 403
    main = _main(response.content.decode())
    assert f'<a href="{reverse("login")}?next=/r/some-link/">Sign in</a>' in main
    assert "start page" not in main
