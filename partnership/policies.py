"""Who may read what of the partnership, given they can already see the engagement."""

from accounts.models import User

# The one rule of who runs an engagement is kept with the engagement's policies (the checklist and
# the orientation notes, in engagements, ask it too); asked here as ``policies.runs_engagement``.
from engagements.policies import runs_engagement


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


# --- Issues (issue 10) ---------------------------------------------------------------------------
# Who may do what to an issue they can see (``partnership.items.partnership_item_list`` decides
# that). The services ask these and refuse with ``PermissionDenied`` and the message below; pages
# and the API ask the same question to hide a form or answer 403.

MAY_NOT_RAISE_ISSUE = (
    "You can raise an issue about a requisition you manage or work on; the account managers and the "
    "client's admins raise issues about the engagement as a whole."
)
MAY_NOT_CHANGE_ISSUE = "Only the issue's owner, whoever raised it, or those who run the engagement can change it."
MAY_NOT_REOPEN_ISSUE = "Only the engagement's account managers and the client's admins can reopen an issue."


def can_raise_issue(user: User, engagement, requisition=None) -> bool:
    """Those who run the engagement raise issues about it or any of its requisitions; a hiring
    manager about their own requisition; a recruiter or sourcer about a requisition in their care
    (``engagements.selectors.requisitions_in_care_of``: assigned, or standing in for the primary)."""
    if runs_engagement(user, engagement):
        return True
    if requisition is None or requisition.engagement_id != engagement.pk:
        return False
    if user.role == User.Role.HIRING_MANAGER:
        return requisition.hiring_manager_id == user.pk
    if user.is_provider_staff and user.organization_id == engagement.provider_id:
        from engagements.selectors import requisitions_in_care_of

        return requisitions_in_care_of(user=user).filter(pk=requisition.pk).exists()
    return False


def can_change_issue(user: User, item) -> bool:
    """Edit an issue and move its status (open, in progress, resolved, declined): its owner, whoever
    raised it, and those who run the engagement."""
    if not user.is_authenticated or not item.is_issue:
        return False
    return user.pk in (item.owner_id, item.raised_by_id) or runs_engagement(user, item.engagement)


def can_reopen_issue(user: User, item) -> bool:
    """Reopen a resolved or declined issue: those who run the engagement, on either side."""
    return item.is_issue and runs_engagement(user, item.engagement)


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
