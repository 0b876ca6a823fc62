"""Who may do what, given they can already see the object (selectors decide that).

The services ask these before they write and refuse with ``PermissionDenied`` and the message
below (the API answers 403, a page its friendly 403). The API and the pages may ask the same
question earlier, to refuse before reading a body or to hide a button, with the same words.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import User

from .models import Engagement, Requisition, Submission

# What a person is told when a policy says no (the services and the API's early checks alike).
MAY_NOT_OPEN_ENGAGEMENT = "Only a provider admin can open an engagement."
MAY_NOT_CHANGE_ENGAGEMENT = "Only a provider admin or this engagement's account manager can change it."
MAY_NOT_OPEN_REQUISITION = "Your role cannot open requisitions in this engagement."
MAY_NOT_CHANGE_REQUISITION = "Your role cannot change requisitions in this engagement."
MAY_NOT_ASSIGN = "Only a provider admin or the engagement's account manager can assign recruiters."
MAY_NOT_END_ASSIGNMENT = "Only a provider admin or the engagement's account manager can end assignments."
MAY_NOT_ADD_CANDIDATE = "Only the provider's recruiting staff can add candidates."
MAY_NOT_CHANGE_CANDIDATE = "Only the provider's recruiting staff can change candidates."
MAY_NOT_SUBMIT = "Only the provider's recruiting staff can submit candidates."
MAY_NOT_MOVE_SUBMISSION = "Only the provider's recruiting staff can move submissions."
MAY_NOT_BOOK_INTERVIEW = "Only the provider's recruiting staff can book interviews."
MAY_NOT_CHANGE_INTERVIEW = "Only the provider's recruiting staff can change interviews."
MAY_NOT_RECORD_INTERVIEW_OUTCOME = "Only the provider's recruiting staff can record interview outcomes."
MAY_NOT_ERASE_CANDIDATE = (
    "Only a provider admin or this engagement's account manager can erase a candidate's personal data."
)


def require(allowed: bool, message: str) -> None:
    """Refuse with ``message`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


PIPELINE_ROLES = frozenset(
    {User.Role.PROVIDER_ADMIN, User.Role.ACCOUNT_MANAGER, User.Role.RECRUITER, User.Role.SOURCER}
)


def can_create_engagement(user: User, provider=None) -> bool:
    """A provider admin opens engagements of their own provider (``provider``, when known)."""
    if user.is_unscoped_admin:
        return True
    return user.role == User.Role.PROVIDER_ADMIN and (provider is None or provider.pk == user.organization_id)


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


def can_erase_candidate(user: User, engagement: Engagement) -> bool:
    """Erase a candidate's personal data: whoever answers for the engagement (its account managers,
    the provider's admins), not every recruiter who works its pipeline."""
    return can_manage_engagement(user, engagement)


def can_see_candidate_contact(user: User) -> bool:
    """A candidate's email, phone and source are the provider's to use: the provider contacts and
    schedules candidates, so client users (hiring managers, client admins) never read them."""
    return user.is_unscoped_admin or user.is_provider_staff


# --- Running the partnership: the implementation checklist and the orientation notes ------------

MAY_NOT_CHANGE_CHECKLIST = (
    "Only the engagement's account managers, the provider's admins and the client's admins change the checklist."
)
MAY_NOT_COMPLETE_TASK = "Only the task's owner or those who run the engagement can mark it done or reopen it."
MAY_NOT_WRITE_ORIENTATION = (
    "Only the engagement's account managers, the provider's admins and the client's admins write orientation notes."
)
MAY_NOT_MARK_ORIENTATION_READ = "Orientation is marked as read by the recruiters and sourcers on the engagement."


def runs_engagement(user: User, engagement: Engagement) -> bool:
    """Those who answer for the partnership on either side: the provider's admins and the
    engagement's account managers, the client's admins (and the bootstrap admin)."""
    if not user.is_authenticated:
        return False
    if user.role == User.Role.CLIENT_ADMIN:
        return user.organization_id == engagement.client_id
    # The provider's side: those who manage the engagement (its account managers, provider admins).
    return can_manage_engagement(user, engagement)


def can_change_checklist(user: User, engagement: Engagement) -> bool:
    """Add, edit, reorder and delete implementation tasks: those who run the engagement."""
    return runs_engagement(user, engagement)


def can_complete_task(user: User, task) -> bool:
    """Mark a task done, or reopen it: its owner, and those who run the engagement."""
    return bool(user.is_authenticated and user.is_active and task.owner_id == user.pk) or runs_engagement(
        user, task.engagement
    )


def can_write_orientation(user: User, engagement: Engagement) -> bool:
    """Write, edit and delete orientation notes: those who run the engagement (the client's admins
    know what it is like to work there; the account managers know what recruiters ask)."""
    return runs_engagement(user, engagement)


ORIENTATION_READERS = frozenset({User.Role.RECRUITER, User.Role.SOURCER})


def can_mark_orientation_read(user: User, engagement: Engagement) -> bool:
    """The recruiters and sourcers of the engagement's provider mark its orientation as read (the
    pages show it only on an engagement they see, which their assignments decide)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in ORIENTATION_READERS
        and user.organization_id == engagement.provider_id
    )
