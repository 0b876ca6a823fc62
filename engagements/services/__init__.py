"""Writes on the engagement domain.

Each service a person triggers takes them as ``actor`` and asks ``policies`` first, raising
``PermissionDenied`` (the API and the pages answer 403); then it checks the data rules and raises
``ValidationError`` keyed by field (400, or the message beside the field). Dates default to the
engagement's own today (``local_dates``).

They are split by part of the domain (``contract``: engagements, requisitions, assignments;
``pipeline``: candidates, submissions, interviews; ``candidates``: erasing candidates' personal
data, by a person or by retention; ``orientation``: the orientation notes and who read them);
import them from ``engagements.services``. The implementation checklist's are in
``engagements.implementation``.
"""

from .candidates import candidate_erase, candidates_erase_inactive, erased_name
from .checks import CONSTRAINT_ERRORS
from .contract import (
    ENGAGEMENT_FIELDS,
    REQUISITION_FIELDS,
    assignment_create,
    assignment_end,
    assignment_swap,
    engagement_check_account_managers,
    engagement_check_escalation_contact,
    engagement_check_sla,
    engagement_create,
    engagement_update,
    requisition_check_hiring_manager,
    requisition_create,
    requisition_update,
    staff_member_invite,
)
from .orientation import (
    orientation_mark_read,
    orientation_note_create,
    orientation_note_delete,
    orientation_note_update,
)
from .pipeline import (
    CANDIDATE_FIELDS,
    INTERVIEW_OUTCOMES,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_STATUS_CHOICES,
    INTERVIEW_TRANSITIONS,
    candidate_add_and_submit,
    candidate_create,
    candidate_update,
    interview_create,
    interview_set_status,
    interview_update,
    submission_change_stage,
    submission_create,
    submission_follow_decision,
)

__all__ = [
    "CANDIDATE_FIELDS",
    "CONSTRAINT_ERRORS",
    "ENGAGEMENT_FIELDS",
    "INTERVIEW_OUTCOMES",
    "INTERVIEW_RESCHEDULED",
    "INTERVIEW_STATUS_CHOICES",
    "INTERVIEW_TRANSITIONS",
    "REQUISITION_FIELDS",
    "assignment_create",
    "assignment_end",
    "assignment_swap",
    "candidate_add_and_submit",
    "candidate_create",
    "candidate_erase",
    "candidate_update",
    "candidates_erase_inactive",
    "engagement_check_account_managers",
    "engagement_check_escalation_contact",
    "engagement_check_sla",
    "engagement_create",
    "engagement_update",
    "erased_name",
    "interview_create",
    "interview_set_status",
    "interview_update",
    "orientation_mark_read",
    "orientation_note_create",
    "orientation_note_delete",
    "orientation_note_update",
    "requisition_check_hiring_manager",
    "requisition_create",
    "requisition_update",
    "staff_member_invite",
    "submission_change_stage",
    "submission_create",
    "submission_follow_decision",
]
