"""Reads on issues and wins: the one access scope (``partnership_item_list``, used by the pages,
the API and the emails alike) and the engagement's log with its filters.

What a user sees of an engagement's items follows what they see of the engagement
(``engagements.selectors.engagement_list``): another client's items are not there at all (404). A
hiring manager sees the items about their own requisitions and those about the engagement as a
whole, never the items about a colleague's requisition.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from accounts.models import Organization, User
from engagements.models import Engagement, Requisition
from engagements.selectors import engagement_list

from ..models import ItemComment, ItemFollower, ItemStatusChange, PartnershipItem

Kind = PartnershipItem.Kind
Status = PartnershipItem.Status


def partnership_item_list(*, user: User) -> QuerySet[PartnershipItem]:
    """Issues and wins ``user`` may see, with what a row shows (engagement, requisition, owner and
    their organisation, who raised it)."""
    queryset = PartnershipItem.objects.select_related(
        "engagement", "engagement__client", "engagement__provider", "requisition", "owner__organization", "raised_by"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_unscoped_admin:
        return queryset
    queryset = queryset.filter(engagement_id__in=engagement_list(user=user).order_by().values("id"))
    if user.role == User.Role.HIRING_MANAGER:
        queryset = queryset.filter(Q(requisition__isnull=True) | Q(requisition__hiring_manager_id=user.pk))
    return queryset


def can_see_item_of(user: User, *, engagement: Engagement, requisition: Requisition | None) -> bool:
    """Whether ``user`` would see an item of ``engagement`` (about ``requisition``): the rule of
    ``partnership_item_list`` for one item not yet written (an owner must see what they own)."""
    if not user.is_active:
        return False
    if user.is_unscoped_admin:
        return True
    if user.role == User.Role.HIRING_MANAGER and requisition is not None:
        return requisition.hiring_manager_id == user.pk
    return engagement_list(user=user).filter(pk=engagement.pk).exists()


def engagement_people(*, engagement: Engagement) -> QuerySet[User]:
    """The active people on either side of an engagement: whom an issue may be owned by."""
    return (
        User.objects.filter(is_active=True, organization_id__in=[engagement.provider_id, engagement.client_id])
        .select_related("organization")
        .order_by("organization__kind", "full_name", "email")
    )


def item_owner_choices(*, user: User) -> QuerySet[User]:
    """People ``user`` may name as an issue's owner through the API: the active people of both
    sides of the engagements they see (the service checks the issue's own engagement)."""
    engagements = engagement_list(user=user).order_by()
    return User.objects.filter(is_active=True).filter(
        Q(organization_id__in=engagements.values("provider_id"))
        | Q(organization_id__in=engagements.values("client_id"))
    )


# --- The engagement's log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilters:
    status: str = ""
    owner: int | None = None
    side: str = ""  # Organization.Kind: the owner's side (for a win: a person thanked on that side)
    kind: str = ""


def _with_thanked(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("thanked", queryset=User.objects.select_related("organization").order_by("full_name", "email"))
    )


def engagement_item_log(*, user: User, engagement: Engagement, filters: ItemFilters) -> QuerySet[PartnershipItem]:
    """The engagement's issues and wins as ``user`` sees them: open issues first, oldest first (what
    waits longest comes first), then the rest newest first. Filters narrow it."""
    queryset = _with_thanked(partnership_item_list(user=user).filter(engagement_id=engagement.pk))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(kind=Kind.ISSUE, status=filters.status)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.side:
        thanked_on_side = PartnershipItem.thanked.through.objects.filter(
            partnershipitem_id=OuterRef("pk"), user__organization__kind=filters.side
        )
        queryset = queryset.filter(Q(owner__organization__kind=filters.side) | Exists(thanked_on_side))
    is_open = Q(kind=Kind.ISSUE, status__in=PartnershipItem.CHASED_STATUSES)
    return queryset.annotate(
        waiting=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by(
        "waiting",
        Case(When(is_open, then=F("created_at"))).asc(nulls_last=True),
        Case(When(is_open, then=F("id"))).asc(nulls_last=True),
        F("created_at").desc(),
        "-id",
    )


def open_issues_for_engagement(engagement: Engagement, limit: int = 5, *, user: User | None = None) -> list:
    """The engagement's open issues (open or in progress), oldest first, with their owner: for the
    engagement page's section. One query. ``user`` scopes them as ``partnership_item_list`` does."""
    queryset = (
        partnership_item_list(user=user)
        if user is not None
        else PartnershipItem.objects.select_related("owner__organization", "requisition")
    )
    return list(
        queryset.filter(
            engagement_id=engagement.pk, kind=Kind.ISSUE, status__in=PartnershipItem.CHASED_STATUSES
        ).order_by("created_at", "id")[:limit]
    )


def open_issue_count(*, engagement: Engagement, user: User | None = None) -> int:
    queryset = partnership_item_list(user=user) if user is not None else PartnershipItem.objects.all()
    return queryset.filter(
        engagement_id=engagement.pk, kind=Kind.ISSUE, status__in=PartnershipItem.CHASED_STATUSES
    ).count()


# --- One item ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    comment: ItemComment | None = None
    status_change: ItemStatusChange | None = None


def item_timeline(*, item: PartnershipItem) -> list[TimelineEntry]:
    """Comments and status changes in the order they happened: two queries, whatever their number."""
    comments = ItemComment.objects.filter(item_id=item.pk).select_related("author")
    changes = ItemStatusChange.objects.filter(item_id=item.pk).select_related("actor")
    entries = [TimelineEntry(at=comment.created_at, comment=comment) for comment in comments]
    entries += [TimelineEntry(at=change.created_at, status_change=change) for change in changes]
    return sorted(entries, key=lambda entry: (entry.at, entry.status_change is not None))


def item_followers(*, item: PartnershipItem) -> list[User]:
    return [
        follower.user
        for follower in ItemFollower.objects.filter(item_id=item.pk, user__is_active=True)
        .select_related("user__organization")
        .order_by("user__full_name", "user__email")
    ]


SIDE_CHOICES = [(Organization.Kind.PROVIDER, "Provider"), (Organization.Kind.CLIENT, "Client")]
