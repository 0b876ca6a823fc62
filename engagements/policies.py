"""Who may do what, given they can already see the object (selectors decide that).

The API answers 403 when one of these says no; pages will use the same functions.
"""

from accounts.models import User

from .models import Engagement, Requisition, Submission

PIPELINE_ROLES = frozenset(
    {User.Role.PROVIDER_ADMIN, User.Role.ACCOUNT_MANAGER, User.Role.RECRUITER, User.Role.SOURCER}
)


def can_create_engagement(user: User) -> bool:
    return user.is_unscoped_admin or user.role == User.Role.PROVIDER_ADMIN


def can_manage_engagement(user: User, engagement: Engagement) -> bool:
    """Change the engagement itself (status, SLA, account managers) and its assignments."""
    if user.is_unscoped_admin:
        return True
    if user.organization_id != engagement.provider_id:
        return False
    if user.role == User.Role.PROVIDER_ADMIN:
        return True
    # engagement_list prefetches the account managers: no extra query on the API's hot path.
    return user.role == User.Role.ACCOUNT_MANAGER and any(
        manager.pk == user.pk for manager in engagement.account_managers.all()
    )


def can_manage_requisitions(user: User, engagement: Engagement) -> bool:
    """Open or edit requisitions: the provider's recruiting staff, or the client's admin."""
    if user.is_unscoped_admin:
        return True
    if user.role == User.Role.CLIENT_ADMIN:
        return user.organization_id == engagement.client_id
    return user.organization_id == engagement.provider_id and user.role in PIPELINE_ROLES - {User.Role.SOURCER}


def can_manage_assignments(user: User, requisition: Requisition) -> bool:
    return can_manage_engagement(user, requisition.engagement)


def can_work_pipeline(user: User, engagement: Engagement) -> bool:
    """Add candidates, submit them, move submissions, schedule interviews: provider staff only.
    Hiring managers act on submissions through feedback, never by moving stages directly."""
    if user.is_unscoped_admin:
        return True
    return user.organization_id == engagement.provider_id and user.role in PIPELINE_ROLES


def can_change_submission_stage(user: User, submission: Submission) -> bool:
    return can_work_pipeline(user, submission.requisition.engagement)
