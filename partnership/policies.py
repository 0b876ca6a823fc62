"""Who may read what of the partnership, given they can already see the engagement."""

from accounts.models import User


def can_read_scorecard(user: User) -> bool:
    """Among those who see an engagement, who reads its mutual scorecard: the provider's staff and
    the client's admins (PRODUCT.md). Hiring managers do not: it ranks their colleagues."""
    return bool(
        user.is_authenticated
        and (user.is_unscoped_admin or user.is_provider_staff or user.role == User.Role.CLIENT_ADMIN)
    )


def can_open_assignment_pages(user: User) -> bool:
    """Who reads the assignment pages of an engagement they see: the provider's staff (those who may
    change assignments are ``engagements.policies.can_manage_assignments``). Staffing is the
    provider's to arrange; the client sees who covers each requisition on the engagement page."""
    return bool(user.is_authenticated and (user.is_unscoped_admin or user.is_provider_staff))
