"""Pages of the engagements app (its /api/v1/ routes are in urls.py)."""

from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("engagements/<int:pk>/sla/", views.engagement_sla, name="engagement-sla"),
    path("requisitions/<int:requisition_pk>/candidates/new/", views.candidate_submit, name="candidate-submit"),
    path("submissions/<int:pk>/stage/", views.submission_move, name="submission-move"),
]
