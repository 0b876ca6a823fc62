"""Pages of the accounts app (its /api/v1/ routes are in urls.py)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("out-of-office/", views.out_of_office, name="out-of-office"),
    path("out-of-office/<int:pk>/delete/", views.out_of_office_delete, name="out-of-office-delete"),
    path("account/settings/", views.account_settings, name="settings"),
    path("account/tokens/", views.api_tokens, name="tokens"),
    path("account/tokens/<str:token_key>/revoke/", views.api_token_revoke, name="token-revoke"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.team_invite, name="team-invite"),
    path("team/<int:pk>/active/", views.team_member_active, name="team-member-active"),
    path("people/<int:pk>/deactivate/", views.member_deactivate, name="member-deactivate"),
    path("people/<int:pk>/active/", views.team_member_active, name="member-active"),
    path("people/<int:pk>/resend-invitation/", views.team_member_resend_invitation, name="member-resend-invitation"),
    path(
        "team/<int:pk>/resend-invitation/",
        views.team_member_resend_invitation,
        name="team-member-resend-invitation",
    ),
]
