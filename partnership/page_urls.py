"""Pages of the partnership app (its /api/v1/ route is in urls.py): the engagement pages with the
mutual scorecard and the service levels, and the requisition pages with their pipeline."""

from django.urls import path

from .views import assignments, candidates, engagements, pipeline, requisition_detail, requisitions, staff, wins

app_name = "partnership"

urlpatterns = [
    path("engagements/", engagements.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/scorecard.csv", engagements.engagement_scorecard_csv, name="engagement-scorecard-csv"),
    path("engagements/<int:pk>/sla/", pipeline.engagement_sla, name="engagement-sla"),
    path("engagements/<int:pk>/assignments/", assignments.engagement_assignments, name="engagement-assignments"),
    path("engagements/<int:pk>/wins/new/", wins.win_new, name="win-new"),
    path("suggested-wins/<int:pk>/accept/", wins.suggested_win_accept, name="suggested-win-accept"),
    path("suggested-wins/<int:pk>/dismiss/", wins.suggested_win_dismiss, name="suggested-win-dismiss"),
    path("requisitions/", requisitions.requisition_list, name="requisition-list"),
    path("requisitions/<int:pk>/", requisition_detail.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:requisition_pk>/candidates/new/", pipeline.candidate_submit, name="candidate-submit"),
    path("requisitions/<int:pk>/assignments/", assignments.requisition_assignments, name="requisition-assignments"),
    path("requisitions/<int:pk>/assignments/swap/", assignments.assignment_swap_view, name="assignment-swap"),
    path("assignments/<int:pk>/end/", assignments.assignment_end_view, name="assignment-end"),
    path("submissions/<int:pk>/stage/", pipeline.submission_move, name="submission-move"),
    path("interviews/<int:pk>/outcome/", pipeline.interview_outcome, name="interview-outcome"),
    path("candidates/<int:pk>/erase/", candidates.candidate_erase_confirm, name="candidate-erase"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/invite/", staff.staff_invite, name="staff-invite"),
]
