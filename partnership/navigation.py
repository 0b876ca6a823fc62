"""The main navigation of every page, per role (a template context processor: no queries).

Each link says which paths belong to it, so the page being shown is marked ``aria-current``.
``home_url`` is the viewer's own start page (``role_home_url``), for the 404 and 403 pages; it is
worked out only when a template reads it (a client admin's may take one query).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.models import User

from .views.home import role_home_url


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


# (label, URL name, further path prefixes that belong to the same section)
INBOX = ("Inbox", "feedback:inbox", ("/feedback/", "/availability/"))
ENGAGEMENTS = ("Engagements", "partnership:engagement-list", ())
SCORECARD = ("Scorecard", "partnership:engagement-list", ())
REQUISITIONS = ("Requisitions", "partnership:requisition-list", ("/submissions/",))
MY_REQUISITIONS = ("My requisitions", "partnership:requisition-list", ("/submissions/",))
OUT_OF_OFFICE = ("Out of office", "accounts:out-of-office", ())
TEAM = ("Team", "accounts:team", ())
STAFF = ("Staff", "partnership:staff", ())
HISTORY = ("History", "partnership:history", ())
API_DOCS = ("API docs", "api-docs", ())
ADMIN = ("Admin", "admin:index", ())

ROLE_LINKS = {
    User.Role.PROVIDER_ADMIN: (ENGAGEMENTS, REQUISITIONS, INBOX, OUT_OF_OFFICE, STAFF, HISTORY),
    User.Role.ACCOUNT_MANAGER: (ENGAGEMENTS, REQUISITIONS, INBOX, OUT_OF_OFFICE),
    User.Role.RECRUITER: (MY_REQUISITIONS, INBOX, OUT_OF_OFFICE),
    User.Role.SOURCER: (MY_REQUISITIONS, INBOX, OUT_OF_OFFICE),
    User.Role.HIRING_MANAGER: (INBOX, MY_REQUISITIONS),
    User.Role.CLIENT_ADMIN: (SCORECARD, REQUISITIONS, TEAM),
}
UNSCOPED_ADMIN_LINKS = (ENGAGEMENTS, REQUISITIONS, INBOX, HISTORY)


def nav_links(user, path: str) -> list[NavLink]:
    if user is None or not user.is_authenticated:
        return []
    entries = UNSCOPED_ADMIN_LINKS if user.is_unscoped_admin else ROLE_LINKS.get(user.role, (INBOX,))
    entries = (*entries, API_DOCS, *((ADMIN,) if user.is_staff else ()))
    links = []
    for (label, _url_name, prefixes), url in zip(entries, _urls(entries), strict=True):
        current = any(path.startswith(prefix) for prefix in (url, *prefixes))
        links.append(NavLink(label=label, url=url, current=current))
    return links


def _urls(entries) -> tuple[str, ...]:
    """The URLs of ``entries``, reversed once per process (every page shows them), for the URL
    configuration and script prefix in force: a test that swaps either gets its own."""
    url_names = tuple(url_name for _label, url_name, _prefixes in entries)
    return _reversed(url_names, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(url_names: tuple[str, ...], urlconf: str, script_prefix: str) -> tuple[str, ...]:
    return tuple(reverse(url_name, urlconf=urlconf) for url_name in url_names)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # A callable: the template calls it only where it shows the link.
    return {"nav_links": nav_links(user, request.path), "home_url": partial(role_home_url, user) if signed_in else None}
