"""Signed one-click links for people who have no password at hand.

A link names one request (feedback or availability) and the one user it was sent to, is signed
with the project's SECRET_KEY, and expires. Whether the request is still open is checked by the
page that receives it: once the request is answered the link shows the answer, and nothing more.

The kinds of link are a registry: this app registers its own two below; a higher app registers
its kind (its one-letter code and the page a link of that kind opens) from its AppConfig.ready
with ``link_kind_register`` (partnership's pulse surveys), so this module never imports it. Every
kind shares the signing, the ``/r/<token>/`` address of the emails and the session grant.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "feedback.response-link.v1"
# This app's own kinds, answered by ``feedback.views.respond_link_page``.
KINDS = {"feedback": "f", "availability": "a"}


@dataclass(frozen=True)
class LinkKind:
    code: str  # what the token carries: short, and never reused for another kind
    page_url_name: str  # the token-free page the link sends the browser to; takes ``pk``
    kind_in_url: bool = False  # the page also takes ``kind`` (one page for several kinds)
    max_age_days: int | None = None  # how long its links work; RESPONSE_LINK_MAX_AGE_DAYS if None


_LINK_KINDS: dict[str, LinkKind] = {}


def link_kind_register(
    kind: str, *, code: str, page_url_name: str, kind_in_url: bool = False, max_age_days: int | None = None
) -> None:
    """Let links of ``kind`` be made and read (from the owning app's AppConfig.ready)."""
    entry = LinkKind(code=code, page_url_name=page_url_name, kind_in_url=kind_in_url, max_age_days=max_age_days)
    taken = {other.code: name for name, other in _LINK_KINDS.items()}
    if _LINK_KINDS.get(kind, entry) != entry or taken.get(code, kind) != kind:
        raise ValueError(f"The link kind {kind!r} or its code {code!r} is registered already.")
    _LINK_KINDS[kind] = entry


for _kind, _code in KINDS.items():
    link_kind_register(_kind, code=_code, page_url_name="feedback:link-page", kind_in_url=True)


class LinkError(Exception):
    """A link that cannot be used; ``reason`` is "expired" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "feedback", "availability", or a kind registered by a higher app
    request_id: int
    user_id: int


def link_max_age_seconds(kind: str | None = None) -> int:
    """How long a link of ``kind`` works (the setting's days, unless its kind says otherwise)."""
    entry = _LINK_KINDS.get(kind) if kind is not None else None
    if entry is not None and entry.max_age_days is not None:
        return entry.max_age_days * 24 * 3600
    return int(getattr(settings, "RESPONSE_LINK_MAX_AGE_DAYS", 14)) * 24 * 3600


def make_token(*, kind: str, request_id: int, user_id: int) -> str:
    return signing.dumps([_LINK_KINDS[kind].code, request_id, user_id], salt=SALT, compress=False)


def read_token(token: str) -> LinkTarget:
    # Checked against the longest-lived kind first, then against the token's own kind.
    longest = max(link_max_age_seconds(kind) for kind in _LINK_KINDS)
    try:
        code, request_id, user_id = signing.loads(token, salt=SALT, max_age=longest)
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkError("invalid") from error
    kinds = {entry.code: kind for kind, entry in _LINK_KINDS.items()}
    if code not in kinds or not isinstance(request_id, int) or not isinstance(user_id, int):
        raise LinkError("invalid")
    if link_max_age_seconds(kinds[code]) < longest:
        try:
            signing.loads(token, salt=SALT, max_age=link_max_age_seconds(kinds[code]))
        except signing.SignatureExpired as error:
            raise LinkError("expired") from error
    return LinkTarget(kind=kinds[code], request_id=request_id, user_id=user_id)


def response_url(*, kind: str, request_id: int, user_id: int) -> str:
    """Absolute URL of the one-click page for a request, for emails."""
    token = make_token(kind=kind, request_id=request_id, user_id=user_id)
    path = reverse("feedback:respond-link", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path


# --- The link's grant, kept in the browser's session ----------------------------------------------
# The address in the email is opened once: its token is checked and kept in the session of that
# browser, and the browser is sent on to an address without it (``link_page_url``), so the token is
# in at most one logged request line. The grant is dropped once the request is closed and shown, when
# its holder declines it, and with the whole session on sign-out.

SESSION_KEY = "feedback.links"
MAX_GRANTS = 10  # one browser holding links to many requests keeps the newest few


def _grant_key(kind: str, request_id: int) -> str:
    return f"{kind}:{request_id}"


def link_grant_add(session, *, token: str, target: LinkTarget) -> None:
    grants = {
        key: value
        for key, value in session.get(SESSION_KEY, {}).items()
        if key != _grant_key(target.kind, target.request_id)
    }
    grants[_grant_key(target.kind, target.request_id)] = token
    session[SESSION_KEY] = dict(list(grants.items())[-MAX_GRANTS:])


def link_grant_token(session, *, kind: str, request_id: int) -> str | None:
    """The token this browser was given for a request, if any (read it again with ``read_token``)."""
    return session.get(SESSION_KEY, {}).get(_grant_key(kind, request_id))


def link_grant_drop(session, *, kind: str, request_id: int) -> None:
    grants = dict(session.get(SESSION_KEY, {}))
    if grants.pop(_grant_key(kind, request_id), None) is not None:
        session[SESSION_KEY] = grants


def link_page_url(*, kind: str, request_id: int) -> str:
    """Where the link sends the browser: names the request, never the token."""
    entry = _LINK_KINDS[kind]
    kwargs = {"kind": kind, "pk": request_id} if entry.kind_in_url else {"pk": request_id}
    return reverse(entry.page_url_name, kwargs=kwargs)
