"""What a person holds, and handing it to someone else when they are deactivated.

``accounts`` knows people, not the work they hold: open feedback and availability requests
(``feedback``), requisitions they are the hiring manager of, assignments and managed engagements
(``engagements``), and later the partnership issues they own (``partnership``). Each app that owns a
kind of work registers one ``Holding`` here, in a module its AppConfig.ready imports, as email
builders are registered with the outbox. ``accounts.services.user_deactivate`` asks every holding
what the person holds and moves it all in one transaction; the pages show the same summary.

A holding gives two functions:

- ``summarize(users, now) -> {user_id: (count, detail)}``: for a list of people at once, in a
  fixed number of queries whatever their number (a staff page lists them all); ``detail`` is a
  short note such as "17 overdue";
- ``transfer(actor=, user=, to=, now=) -> int``: move everything ``user`` holds of this kind to
  ``to`` through the owning app's own services (their rules and policies apply: a refusal is a
  ``ValidationError`` or ``PermissionDenied`` that rolls the whole handover back), and say how
  many were moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .models import User

Summarize = Callable[[Sequence[User], datetime], dict[int, tuple[int, str]]]
Transfer = Callable[..., int]


@dataclass(frozen=True)
class Holding:
    key: str
    one: str  # "requisition they are the hiring manager of"
    many: str  # "requisitions they are the hiring manager of"
    roles: frozenset[str]  # the roles that can hold it (others are not asked)
    summarize: Summarize
    transfer: Transfer
    order: int = 100
    detail_is_alert: bool = False  # the detail needs attention ("17 overdue"), not just a breakdown


@dataclass(frozen=True)
class Held:
    """How many of one kind a person holds, in words."""

    key: str
    count: int
    one: str
    many: str
    detail: str = ""
    alert: bool = False

    @property
    def label(self) -> str:
        return self.one if self.count == 1 else self.many

    def __str__(self) -> str:
        text = f"{self.count} {self.label}"
        return f"{text} ({self.detail})" if self.detail else text

    def as_payload(self) -> dict:
        return {"key": self.key, "count": self.count, "one": self.one, "many": self.many, "detail": self.detail}

    @classmethod
    def from_payload(cls, data: dict) -> Held:
        return cls(**{name: data.get(name, "") for name in ("key", "one", "many", "detail")}, count=data["count"])


_HOLDINGS: dict[str, Holding] = {}


def register_holding(
    *,
    key: str,
    one: str,
    many: str,
    roles: Iterable[str],
    summarize: Summarize,
    transfer: Transfer,
    order: int = 100,
    detail_is_alert: bool = False,
) -> None:
    """Register what one app's work a person can hold (once per key; registering again replaces)."""
    _HOLDINGS[key] = Holding(
        key=key,
        one=one,
        many=many,
        roles=frozenset(roles),
        summarize=summarize,
        transfer=transfer,
        order=order,
        detail_is_alert=detail_is_alert,
    )


def holdings() -> list[Holding]:
    return sorted(_HOLDINGS.values(), key=lambda holding: (holding.order, holding.key))


def held_by(*, users: Sequence[User], now: datetime) -> dict[int, list[Held]]:
    """What each of ``users`` holds (only the kinds with something in them), one call per kind."""
    result: dict[int, list[Held]] = {user.pk: [] for user in users}
    for holding in holdings():
        concerned = [user for user in users if user.role in holding.roles]
        if not concerned:
            continue
        counts = holding.summarize(concerned, now)
        for user in concerned:
            count, detail = counts.get(user.pk, (0, ""))
            if count:
                result[user.pk].append(
                    Held(
                        key=holding.key,
                        count=count,
                        one=holding.one,
                        many=holding.many,
                        detail=detail,
                        alert=holding.detail_is_alert,
                    )
                )
    return result


def hand_over(*, actor: User, user: User, to: User, now: datetime) -> list[Held]:
    """Move all that ``user`` holds to ``to`` (the caller holds the transaction) and say what moved,
    with the summary's detail ("17 overdue") as it was just before."""
    before = {held.key: held for held in held_by(users=[user], now=now)[user.pk]}
    moved = []
    for holding in holdings():
        if user.role not in holding.roles:
            continue
        count = holding.transfer(actor=actor, user=user, to=to, now=now)
        if count:
            detail = before[holding.key].detail if holding.key in before else ""
            moved.append(Held(key=holding.key, count=count, one=holding.one, many=holding.many, detail=detail))
    return moved
