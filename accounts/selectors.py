"""Reads on people. Access scoping for accounts models lives here and nowhere else."""

from django.db.models import QuerySet

from .models import OutOfOffice, User


def out_of_office_list(*, user: User) -> QuerySet[OutOfOffice]:
    """Provider staff see their own provider's absences (to know who covers whom); others none."""
    queryset = OutOfOffice.objects.select_related("user", "backup")
    if not user.is_authenticated or not user.is_provider_staff:
        return queryset.none()
    return queryset.filter(user__organization_id=user.organization_id)
