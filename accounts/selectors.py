"""Reads on people. Access scoping for accounts models lives here and nowhere else."""

from django.db.models import Q, QuerySet

from .models import Organization, OutOfOffice, User


def out_of_office_list(*, user: User) -> QuerySet[OutOfOffice]:
    """Provider staff see their own provider's absences (to know who covers whom); others none."""
    queryset = OutOfOffice.objects.select_related("user", "backup")
    if not user.is_authenticated or not user.is_active or not user.is_provider_staff:
        return queryset.none()
    return queryset.filter(user__organization_id=user.organization_id)


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
