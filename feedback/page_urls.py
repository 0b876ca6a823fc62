"""Pages of the feedback app (its /api/v1/ routes are in urls.py): the inbox, the answer forms and
the signed one-click link from the emails, and booking an interview from offered slots."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("r/<str:token>/", views.respond_link, name="respond-link"),
    # Where the link above sends the browser, the token kept in its session (feedback.links).
    path("respond/<str:kind>/<int:pk>/", views.respond_link_page, name="link-page"),
    path("inbox/", views.inbox, name="inbox"),
    path("feedback/<int:pk>/", views.feedback_respond_page, name="feedback-respond"),
    path("availability/<int:pk>/", views.availability_respond_page, name="availability-respond"),
    path("availability/<int:pk>/book/", views.availability_book_page, name="availability-book"),
    path("availability/<int:pk>/booked/", views.availability_booked_page, name="availability-booked"),
]
