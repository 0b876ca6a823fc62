"""Pages of the feedback app: the hiring manager's inbox and answer forms, the signed one-click
link from the emails, booking an interview from offered slots, the engagement pages with the
scorecard, and the requisition pages."""

from django.urls import path

from .views import engagements, requests, requisitions

app_name = "feedback"

urlpatterns = [
    path("r/<str:token>/", requests.respond_link, name="respond-link"),
    path("inbox/", requests.inbox, name="inbox"),
    path("feedback/<int:pk>/", requests.feedback_respond_page, name="feedback-respond"),
    path("availability/<int:pk>/", requests.availability_respond_page, name="availability-respond"),
    path("availability/<int:pk>/book/", requests.availability_book_page, name="availability-book"),
    path("availability/<int:pk>/booked/", requests.availability_booked_page, name="availability-booked"),
    path("engagements/", engagements.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/scorecard.csv", engagements.engagement_scorecard_csv, name="engagement-scorecard-csv"),
    path("requisitions/", requisitions.requisition_list, name="requisition-list"),
    path("requisitions/<int:pk>/", requisitions.requisition_detail, name="requisition-detail"),
]
