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


# --- Wins ---------------------------------------------------------------------------------------

MAY_NOT_RECORD_WIN = "Only the people working on this engagement can record its wins."
MAY_NOT_DECIDE_SUGGESTED_WIN = (
    "The engagement's account managers and the client's admins decide which suggested wins to celebrate."
)


def can_record_win(user: User) -> bool:
    """Among those who see an engagement, who records a win: everyone on it, on either side (account
    managers, the provider's staff on it, the client's admins and its hiring managers). Celebrate
    widely."""
    return bool(user.is_authenticated and user.is_active and (user.is_unscoped_admin or user.role))


def can_decide_suggested_wins(user: User) -> bool:
    """Among those who see an engagement, who turns a suggested win into a win or dismisses it: the
    people who run the relationship (account managers, provider admins, client admins)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_unscoped_admin
            or user.role in (User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN, User.Role.CLIENT_ADMIN)
        )
    )
