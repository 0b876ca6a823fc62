"""Wins: recording one (with the people to thank, who hear about it, and so does their manager where
the portal knows them), and deciding on the wins the portal suggests (``suggested_wins`` finds them).

- ``win_record`` is the one way a win is made, by hand or from a suggestion. Everyone on the
  engagement may record one, on either side (``policies.can_record_win``): celebrate widely.
- A double click or Back-and-send is harmless: the same win by the same person within
  ``SAME_WIN_WINDOW`` is the one already recorded (the engagement's row is locked while looking, so
  two requests at once make one win); a suggestion is made a win once (its row is locked, and its
  status says what became of it).
- Emails go through the outbox, one per win and person (the key), so nobody hears twice: the
  people thanked, and the manager of each where the portal knows them (``thanked_managers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from engagements.activity import engagement_changed
from engagements.models import Assignment, Engagement, Requisition
from engagements.selectors import engagement_list
from rpo_portal.outbox import outbox_enqueue

from .models import PartnershipItem, Side, SuggestedWin
from .policies import (
    MAY_NOT_DECIDE_SUGGESTED_WIN,
    MAY_NOT_RECORD_WIN,
    can_decide_suggested_wins,
    can_record_win,
)

WIN_EMAIL = "partnership.win"
# The same win (title and story) recorded again by the same person within this time is the first one.
SAME_WIN_WINDOW = timedelta(minutes=10)
RECENT_WINS_SHOWN = 5
SUGGESTIONS_SHOWN = 10


def win_email_key(*, win_id: int, user_id: int) -> str:
    """One email per win and person, whether they are thanked or a manager told of it."""
    return f"win:{win_id}:{user_id}"


# --- Selectors ------------------------------------------------------------------------------------


def engagement_people(*, engagement: Engagement) -> QuerySet[User]:
    """The active people on either side of an engagement: whom a win may thank.

    The provider's side: its account managers and everyone ever assigned to one of its requisitions
    (a recruiter who filled a role last month is still thanked for it). The client's side: its
    admins, the hiring managers of its requisitions and the escalation contact. One query."""
    managers = Engagement.account_managers.through.objects.filter(engagement_id=engagement.pk).values("user_id")
    assigned = Assignment.objects.filter(requisition__engagement_id=engagement.pk).values("recruiter_id")
    hiring = Requisition.objects.filter(engagement_id=engagement.pk).values("hiring_manager_id")
    provider_side = Q(organization_id=engagement.provider_id) & (Q(id__in=managers) | Q(id__in=assigned))
    client_side = Q(organization_id=engagement.client_id) & (
        Q(role=User.Role.CLIENT_ADMIN) | Q(id__in=hiring) | Q(id=engagement.escalation_contact_id or 0)
    )
    return User.objects.filter(is_active=True).filter(provider_side | client_side).order_by("full_name", "email")


def side_of(user: User, engagement: Engagement) -> str:
    return Side.PROVIDER if user.organization_id == engagement.provider_id else Side.CLIENT


def win_list(*, user: User) -> QuerySet[PartnershipItem]:
    """The wins of the engagements ``user`` sees."""
    return PartnershipItem.objects.filter(
        kind=PartnershipItem.Kind.WIN, engagement_id__in=engagement_list(user=user).values("id")
    )


def recent_wins(*, engagement: Engagement, limit: int = RECENT_WINS_SHOWN) -> list[PartnershipItem]:
    """The engagement's latest wins with the people thanked: two queries, however many."""
    return list(
        PartnershipItem.objects.filter(engagement_id=engagement.pk, kind=PartnershipItem.Kind.WIN)
        .select_related("raised_by")
        .prefetch_related(Prefetch("thanked", queryset=User.objects.order_by("full_name", "email")))
        .order_by("-created_at", "-id")[:limit]
    )


def suggested_win_list(*, user: User) -> QuerySet[SuggestedWin]:
    """Suggested wins of the engagements ``user`` sees (another client's: not there, 404)."""
    return SuggestedWin.objects.filter(engagement_id__in=engagement_list(user=user).values("id"))


def offered_suggestions(*, engagement: Engagement, limit: int = SUGGESTIONS_SHOWN) -> list[SuggestedWin]:
    """The suggestions still waiting for a decision, newest first, with their people: two queries."""
    return list(
        SuggestedWin.objects.filter(engagement_id=engagement.pk, status=SuggestedWin.Status.OFFERED)
        .prefetch_related(Prefetch("people", queryset=User.objects.order_by("full_name", "email")))
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass
class ManagerNotice:
    manager: User
    people: list[User] = field(default_factory=list)


def thanked_managers(*, engagement: Engagement, thanked: Iterable[User], actor: User | None) -> list[ManagerNotice]:
    """Whom to tell that their people were thanked, where the portal knows who manages them: for a
    recruiter or sourcer, the engagement's account managers; for a hiring manager, the escalation
    contact (the client's champion), else the client's admins. Never a person thanked themselves
    (they hear as thanked), nor the one who recorded the win; each manager once, with all their people."""
    thanked = list(thanked)
    skip = {person.pk for person in thanked} | ({actor.pk} if actor is not None else set())
    provider_people = [p for p in thanked if p.role in (User.Role.RECRUITER, User.Role.SOURCER)]
    client_people = [p for p in thanked if p.role == User.Role.HIRING_MANAGER]
    notices: dict[int, ManagerNotice] = {}

    def tell(managers: Iterable[User], people: list[User]) -> None:
        for manager in managers:
            if manager.pk in skip or not manager.is_active:
                continue
            notice = notices.setdefault(manager.pk, ManagerNotice(manager=manager))
            notice.people.extend(person for person in people if person not in notice.people)

    if provider_people:
        tell(engagement.account_managers.filter(is_active=True).order_by("pk"), provider_people)
    if client_people:
        contact = engagement.escalation_contact
        if contact is not None and contact.is_active:
            tell([contact], client_people)
        else:
            admins = User.objects.filter(
                organization_id=engagement.client_id, role=User.Role.CLIENT_ADMIN, is_active=True
            ).order_by("pk")
            tell(admins, client_people)
    return list(notices.values())


# --- Services -------------------------------------------------------------------------------------


def _clean(
    *, engagement: Engagement, title: str, what_happened: str, thanked: list[User], require_thanked: bool
) -> tuple[str, str]:
    title, what_happened = (title or "").strip(), (what_happened or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Give the win a title: what went well, in a few words."]
    elif len(title) > PartnershipItem._meta.get_field("title").max_length:
        errors["title"] = ["Keep the title to 200 characters."]
    if not what_happened:
        errors["what_happened"] = ["Say what happened, so the people thanked know what for."]
    elif len(what_happened) > 5000:
        errors["what_happened"] = ["Keep it to 5,000 characters."]
    if not thanked:
        if require_thanked:
            errors["thanked"] = ["Choose at least one person to thank."]
    else:
        allowed = set(engagement_people(engagement=engagement).values_list("pk", flat=True))
        strangers = [person for person in thanked if person.pk not in allowed]
        if strangers:
            names = ", ".join(person.display_name for person in strangers)
            errors["thanked"] = [f"Only people working on this engagement can be thanked here ({names} is not)."]
    if errors:
        raise ValidationError(errors)
    return title, what_happened


def _sees(actor: User, engagement: Engagement) -> bool:
    return engagement_list(user=actor).filter(pk=engagement.pk).exists()


@transaction.atomic
def win_record(
    *,
    actor: User,
    engagement: Engagement,
    title: str,
    what_happened: str,
    thanked: list[User],
    suggestion: SuggestedWin | None = None,
    now: datetime | None = None,
) -> tuple[PartnershipItem, bool]:
    """Record a win and thank its people (by email, with their managers): ``(win, created)``.
    ``created`` is False when this is a repeat (the same form sent twice, a suggestion already made
    a win): nothing more is recorded or sent."""
    now = now or timezone.now()
    if not (can_record_win(actor) and _sees(actor, engagement)):
        raise PermissionDenied(MAY_NOT_RECORD_WIN)
    thanked = list({person.pk: person for person in thanked}.values())
    # One writer of this engagement's wins at a time: the repeat checks below see the first's row.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).values_list("pk", flat=True).first()
    if suggestion is not None:
        suggestion = SuggestedWin.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.engagement_id != engagement.pk:
            raise ValidationError("This suggestion is about another engagement.")
        if suggestion.status == SuggestedWin.Status.ACCEPTED and suggestion.win_id is not None:
            return PartnershipItem.objects.get(pk=suggestion.win_id), False
        if suggestion.status == SuggestedWin.Status.ACCEPTED:
            raise ValidationError("This suggestion was made a win already (since removed); nothing more was made.")
        if suggestion.status != SuggestedWin.Status.OFFERED:
            raise ValidationError("This suggestion was dismissed, so it was not made a win. You can record a win.")
    title, what_happened = _clean(
        engagement=engagement,
        title=title,
        what_happened=what_happened,
        thanked=thanked,
        require_thanked=suggestion is None,
    )
    if suggestion is None:
        earlier = (
            PartnershipItem.objects.filter(
                engagement_id=engagement.pk,
                kind=PartnershipItem.Kind.WIN,
                raised_by_id=actor.pk,
                title=title,
                what_happened=what_happened,
                created_at__gte=now - SAME_WIN_WINDOW,
            )
            .order_by("created_at")
            .first()
        )
        if earlier is not None:
            return earlier, False
    win = PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.WIN,
        engagement=engagement,
        title=title,
        what_happened=what_happened,
        status="",
        raised_by=actor,
        created_at=now,
        updated_at=now,
    )
    win.thanked.set(thanked)
    if suggestion is not None:
        suggestion.status = SuggestedWin.Status.ACCEPTED
        suggestion.decided_by = actor
        suggestion.decided_at = now
        suggestion.win = win
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "win"])
    _thank(win=win, engagement=engagement, thanked=thanked, actor=actor)
    engagement_changed(engagement.pk)
    return win, True


def _thank(*, win: PartnershipItem, engagement: Engagement, thanked: list[User], actor: User) -> None:
    for person in thanked:
        outbox_enqueue(
            kind=WIN_EMAIL,
            key=win_email_key(win_id=win.pk, user_id=person.pk),
            payload={"win_id": win.pk, "user_id": person.pk, "as": "thanked"},
            recipient=person,
        )
    for notice in thanked_managers(engagement=engagement, thanked=thanked, actor=actor):
        outbox_enqueue(
            kind=WIN_EMAIL,
            key=win_email_key(win_id=win.pk, user_id=notice.manager.pk),
            payload={
                "win_id": win.pk,
                "user_id": notice.manager.pk,
                "as": "manager",
                "people_ids": [person.pk for person in notice.people],
            },
            recipient=notice.manager,
        )


def _decider(actor: User, suggestion: SuggestedWin) -> None:
    if not can_decide_suggested_wins(actor) or not suggested_win_list(user=actor).filter(pk=suggestion.pk).exists():
        raise PermissionDenied(MAY_NOT_DECIDE_SUGGESTED_WIN)


@transaction.atomic
def suggestion_accept(
    *, actor: User, suggestion: SuggestedWin, now: datetime | None = None
) -> tuple[PartnershipItem, bool]:
    """One click: the suggestion becomes a win thanking its people (those still active on the
    engagement), through ``win_record``. ``(win, created)``: a second click finds the first's win."""
    _decider(actor, suggestion)
    engagement = Engagement.objects.select_related("escalation_contact").get(pk=suggestion.engagement_id)
    on_engagement = engagement_people(engagement=engagement)
    people = list(on_engagement.filter(pk__in=suggestion.people.values("pk")))
    return win_record(
        actor=actor,
        engagement=engagement,
        title=suggestion.title,
        what_happened=suggestion.what_happened,
        thanked=people,
        suggestion=suggestion,
        now=now,
    )


@transaction.atomic
def suggestion_dismiss(*, actor: User, suggestion: SuggestedWin, now: datetime | None = None) -> bool:
    """Not this one: the suggestion is dismissed (and, being offered once, never comes back). False
    when it was decided already (a double click, or someone else got there first)."""
    _decider(actor, suggestion)
    now = now or timezone.now()
    changed = SuggestedWin.objects.filter(pk=suggestion.pk, status=SuggestedWin.Status.OFFERED).update(
        status=SuggestedWin.Status.DISMISSED, decided_by=actor, decided_at=now
    )
    if changed:
        engagement_changed(suggestion.engagement_id)  # no longer offered on the engagement page
    return bool(changed)
