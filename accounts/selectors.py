"""Reads on people. Access scoping for accounts models lives here and nowhere else."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from . import policies
from .models import Organization, OutOfOffice, User


def out_of_office_list(*, user: User) -> QuerySet[OutOfOffice]:
    """Provider staff see their own provider's absences (to know who covers whom); others none."""
    queryset = OutOfOffice.objects.select_related("user", "backup")
    if not user.is_authenticated or not user.is_active or not user.is_provider_staff:
        return queryset.none()
    return queryset.filter(user__organization_id=user.organization_id)


def out_of_office_upcoming_list(*, user: User, now: datetime) -> QuerySet[OutOfOffice]:
    """Absences not over yet, soonest first, that concern the user: their own and those they cover;
    for a provider admin or account manager, every colleague's."""
    queryset = out_of_office_list(user=user).filter(ends_at__gt=now)
    if not policies.can_set_out_of_office_for_others(user):
        queryset = queryset.filter(Q(user_id=user.pk) | Q(backup_id=user.pk))
    return queryset.order_by("starts_at", "id")


def colleague_list(*, user: User) -> QuerySet[User]:
    """Active members of the user's own organisation: the people one may name as a backup."""
    queryset = User.objects.select_related("organization").filter(is_active=True)
    if not user.is_authenticated or user.organization_id is None:
        return queryset.none()
    return queryset.filter(organization_id=user.organization_id)


def organization_list(*, user: User) -> QuerySet[Organization]:
    """Organisations a user may name: their own; a provider admin also every client organisation
    (the ones an engagement may be opened with); the bootstrap superuser all of them."""
    queryset = Organization.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_unscoped_admin:
        return queryset
    if user.role == User.Role.PROVIDER_ADMIN:
        return queryset.filter(Q(pk=user.organization_id) | Q(kind=Organization.Kind.CLIENT))
    return queryset.filter(pk=user.organization_id)


def team_member_list(*, user: User) -> QuerySet[User]:
    """The people a client admin (their organisation) or a provider admin (the provider's staff)
    looks after, deactivated ones included (so they can be reactivated); nobody for anyone else."""
    queryset = User.objects.all()
    if not user.is_authenticated or not policies.can_manage_people(user):
        return queryset.none()
    return queryset.filter(organization_id=user.organization_id).order_by("-is_active", "full_name", "email")


def handover_candidate_list(*, user: User) -> QuerySet[User]:
    """Who may take over what ``user`` holds when they are deactivated (``policies.can_take_over``):
    active people of the same organisation in a fitting role, ``user`` excluded."""
    return (
        User.objects.filter(
            organization_id=user.organization_id, is_active=True, role__in=policies.handover_roles(user)
        )
        .exclude(pk=user.pk)
        .order_by("role", "full_name", "email")
    )


def password_reset_user_list(*, email: str) -> list[User]:
    """The active accounts a password-reset request for ``email`` is about (none, or one: emails
    are unique in any case). An invited user who has not chosen a password yet is one of them: their
    invitation's link may have expired."""
    candidates = User.objects.filter(email__iexact=email, is_active=True)
    return [user for user in candidates if user.email.casefold() == email.casefold()]


def api_token_list(*, user: User) -> QuerySet[AuthToken]:
    """The user's own API tokens that still work, newest first; nobody sees anyone else's."""
    if not user.is_authenticated:
        return AuthToken.objects.none()
    return (
        AuthToken.objects.filter(user_id=user.pk)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created", "token_key")
    )
