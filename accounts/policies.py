"""Who may do what with people, given they can already see them (the selectors decide that).

Services refuse with ``PermissionDenied`` when one of these says no; pages answer 403.
"""

from .models import User

OUT_OF_OFFICE_MANAGERS = frozenset({User.Role.PROVIDER_ADMIN, User.Role.ACCOUNT_MANAGER})


def can_be_out_of_office(user: User) -> bool:
    """Out of office with a backup is a provider-staff matter (their work moves to the backup)."""
    return user.is_active and user.is_provider_staff


def can_manage_out_of_office(actor: User, user: User) -> bool:
    """Everyone sets their own; provider admins and account managers also a colleague's."""
    if actor.pk == user.pk:
        return True
    return actor.role in OUT_OF_OFFICE_MANAGERS and actor.organization_id == user.organization_id


def can_set_out_of_office_for_others(actor: User) -> bool:
    return actor.role in OUT_OF_OFFICE_MANAGERS


def can_manage_team(actor: User) -> bool:
    """The client admin looks after their organisation's hiring managers."""
    return actor.is_active and actor.role == User.Role.CLIENT_ADMIN


def can_change_member_active(actor: User, member: User) -> bool:
    """Deactivate or reactivate a hiring manager of one's own organisation, never oneself."""
    return (
        can_manage_team(actor)
        and member.pk != actor.pk
        and member.organization_id == actor.organization_id
        and member.role == User.Role.HIRING_MANAGER
    )


def can_resend_invitation(actor: User, user: User) -> bool:
    """The client admin for their own hiring managers; a provider admin (the back office) for anyone."""
    if actor.is_active and (actor.is_superuser or actor.role == User.Role.PROVIDER_ADMIN):
        return True
    return can_change_member_active(actor, user)
