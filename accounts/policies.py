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


def can_manage_staff(actor: User) -> bool:
    """The provider admin looks after the provider's staff (the /staff/ page)."""
    return actor.is_active and actor.role == User.Role.PROVIDER_ADMIN


def can_manage_people(actor: User) -> bool:
    """Either of the above: someone with a people page (the team or the staff)."""
    return can_manage_team(actor) or can_manage_staff(actor)


# The roles each manager invites, deactivates and reactivates in their own organisation.
STAFF_ROLES = (User.Role.ACCOUNT_MANAGER, User.Role.RECRUITER, User.Role.SOURCER, User.Role.PROVIDER_ADMIN)
MANAGED_ROLES = {
    User.Role.CLIENT_ADMIN: (User.Role.HIRING_MANAGER,),
    User.Role.PROVIDER_ADMIN: STAFF_ROLES,
}


def invitable_roles(actor: User) -> tuple[str, ...]:
    """The roles ``actor`` may give someone they invite (none: they may not invite)."""
    return MANAGED_ROLES.get(actor.role, ()) if can_manage_people(actor) else ()


def can_change_member_active(actor: User, member: User) -> bool:
    """Deactivate or reactivate a person of one's own organisation in a role one manages (a client
    admin: hiring managers; a provider admin: the provider's staff), never oneself."""
    return (
        member.pk != actor.pk
        and member.organization_id == actor.organization_id
        and member.role in invitable_roles(actor)
    )


# Who may take over what a deactivated person holds: someone active in the same organisation who
# can do the same work (the owning apps' services check their own rules again as they move it).
HANDOVER_ROLES = {
    User.Role.HIRING_MANAGER: (User.Role.HIRING_MANAGER, User.Role.CLIENT_ADMIN),
    User.Role.ACCOUNT_MANAGER: (User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN),
    User.Role.RECRUITER: (User.Role.RECRUITER,),
    User.Role.SOURCER: (User.Role.SOURCER, User.Role.RECRUITER),
    User.Role.PROVIDER_ADMIN: (User.Role.PROVIDER_ADMIN, User.Role.ACCOUNT_MANAGER),
}


def handover_roles(user: User) -> tuple[str, ...]:
    return HANDOVER_ROLES.get(user.role, ())


def can_take_over(user: User, successor: User) -> bool:
    return (
        successor.pk != user.pk
        and successor.is_active
        and successor.organization_id == user.organization_id
        and successor.role in handover_roles(user)
    )


def can_resend_invitation(actor: User, user: User) -> bool:
    """The client admin for their own hiring managers; a provider admin (the back office) for anyone."""
    if actor.is_active and (actor.is_superuser or actor.role == User.Role.PROVIDER_ADMIN):
        return True
    return can_change_member_active(actor, user)
