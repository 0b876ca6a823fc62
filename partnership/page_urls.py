"""Pages of the partnership app (its /api/v1/ route is in urls.py): the engagement pages with the
mutual scorecard and the service levels, and the requisition pages with their pipeline."""

from django.urls import path

from .views import (
    assignments,
    candidates,
    engagements,
    history,
    implementation,
    items,
    orientation,
    pipeline,
    pulse,
    requisition_detail,
    requisitions,
    review,
    staff,
    wins,
)

app_name = "partnership"

urlpatterns = [
    path("engagements/", engagements.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/scorecard.csv", engagements.engagement_scorecard_csv, name="engagement-scorecard-csv"),
    path("engagements/<int:pk>/pulse/", pulse.engagement_pulse, name="engagement-pulse"),
    path("engagements/<int:pk>/pulse.csv", pulse.engagement_pulse_csv, name="engagement-pulse-csv"),
    # The quarterly business review pack (?quarter=2026-Q3), as a page, a PDF and a CSV.
    path("engagements/<int:pk>/review/", review.engagement_review, name="engagement-review"),
    path("engagements/<int:pk>/review.pdf", review.engagement_review_pdf, name="engagement-review-pdf"),
    path("engagements/<int:pk>/review.csv", review.engagement_review_csv, name="engagement-review-csv"),
    path("engagements/<int:pk>/sla/", pipeline.engagement_sla, name="engagement-sla"),
    path("engagements/<int:pk>/assignments/", assignments.engagement_assignments, name="engagement-assignments"),
    path("engagements/<int:pk>/history/", history.engagement_history_page, name="engagement-history"),
    path("history/", history.history_page, name="history"),
    path("engagements/<int:pk>/issues/", items.issue_list, name="issue-list"),
    path("engagements/<int:pk>/issues/new/", items.issue_new, name="issue-new"),
    path("issues/<int:pk>/", items.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", items.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/comments/", items.issue_comment_view, name="issue-comment"),
    path("issues/<int:pk>/status/", items.issue_status_view, name="issue-status"),
    path("issues/<int:pk>/follow/", items.issue_follow_view, name="issue-follow"),
    path("engagements/<int:pk>/wins/new/", wins.win_new, name="win-new"),
    path("suggested-wins/<int:pk>/accept/", wins.suggested_win_accept, name="suggested-win-accept"),
    path("suggested-wins/<int:pk>/dismiss/", wins.suggested_win_dismiss, name="suggested-win-dismiss"),
    # The implementation checklist and the orientation notes (issue 11).
    path("engagements/<int:pk>/implementation/", implementation.implementation_checklist, name="implementation"),
    path(
        "engagements/<int:pk>/implementation/new/",
        implementation.implementation_task_new,
        name="implementation-task-new",
    ),
    path(
        "engagements/<int:pk>/implementation/activate/",
        implementation.implementation_activate,
        name="implementation-activate",
    ),
    path(
        "implementation-tasks/<int:pk>/edit/",
        implementation.implementation_task_edit,
        name="implementation-task-edit",
    ),
    path(
        "implementation-tasks/<int:pk>/done/",
        implementation.implementation_task_done,
        name="implementation-task-done",
    ),
    path(
        "implementation-tasks/<int:pk>/reopen/",
        implementation.implementation_task_reopen,
        name="implementation-task-reopen",
    ),
    path(
        "implementation-tasks/<int:pk>/move/",
        implementation.implementation_task_move,
        name="implementation-task-move",
    ),
    path(
        "implementation-tasks/<int:pk>/delete/",
        implementation.implementation_task_delete,
        name="implementation-task-delete",
    ),
    path("engagements/<int:pk>/orientation/", orientation.orientation_page, name="orientation"),
    path("engagements/<int:pk>/orientation/read/", orientation.orientation_read, name="orientation-read"),
    path("engagements/<int:pk>/orientation/new/", orientation.orientation_note_new, name="orientation-note-new"),
    path("orientation-notes/<int:pk>/edit/", orientation.orientation_note_edit, name="orientation-note-edit"),
    path(
        "orientation-notes/<int:pk>/delete/",
        orientation.orientation_note_delete_view,
        name="orientation-note-delete",
    ),
    path("orientation-notes/<int:pk>/history/", orientation.orientation_note_history, name="orientation-note-history"),
    path("requisitions/", requisitions.requisition_list, name="requisition-list"),
    path("requisitions/<int:pk>/", requisition_detail.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:requisition_pk>/candidates/new/", pipeline.candidate_submit, name="candidate-submit"),
    path("requisitions/<int:pk>/assignments/", assignments.requisition_assignments, name="requisition-assignments"),
    path("requisitions/<int:pk>/assignments/swap/", assignments.assignment_swap_view, name="assignment-swap"),
    path("assignments/<int:pk>/end/", assignments.assignment_end_view, name="assignment-end"),
    path("submissions/<int:pk>/stage/", pipeline.submission_move, name="submission-move"),
    path("interviews/<int:pk>/outcome/", pipeline.interview_outcome, name="interview-outcome"),
    path("candidates/<int:pk>/erase/", candidates.candidate_erase_confirm, name="candidate-erase"),
    # Pulse surveys: answered signed in, or from the emailed link (``/r/<token>/`` sends the browser
    # to ``pulse-link-page``, the token kept in its session: feedback.links).
    path("pulse/<int:pk>/", pulse.pulse_answer_page, name="pulse-answer"),
    path("pulse/<int:pk>/answer/", pulse.pulse_link_page, name="pulse-link-page"),
    path("pulse/thanks/", pulse.pulse_thanks, name="pulse-thanks"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/invite/", staff.staff_invite, name="staff-invite"),
]
