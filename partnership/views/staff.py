"""The provider admin's staff page: the provider's people with their role, status and what they
hold; inviting a member (with, for an account manager, the engagements they manage).

It lives here rather than in ``accounts`` because inviting an account manager names engagements
(``engagements.services.staff_member_invite``), which ``accounts`` cannot see. Everything else is
the team page's: the same rows (``accounts.views.people_rows``), the same table partial, and the same
deactivate (with handover), reactivate and resend-invitation actions, each given ``next=/staff/``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import policies, selectors, throttling
from accounts.forms import StaffInviteForm
from accounts.views import invited_message, people_rows
from engagements.models import Engagement
from engagements.selectors import engagement_list
from engagements.services import staff_member_invite
from rpo_portal.pages import add_service_errors, forbidden, form_status, render_page, see_other

STAFF_FORBIDDEN = "The staff page is for the provider admin: they invite and deactivate the provider's staff."


class EngagementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, engagement: Engagement) -> str:
        return f"{engagement.name} ({engagement.client.name})"


class StaffInviteWithEngagementsForm(StaffInviteForm):
    engagements = EngagementChoiceField(
        queryset=Engagement.objects.none(),
        required=False,
        label="Engagements they manage",
        help_text="For an account manager. Recruiters and sourcers are assigned on each requisition.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose engagements from the list."},
    )

    def __init__(self, *args, engagements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagements"].queryset = engagements


@never_cache
@login_required
@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not policies.can_manage_staff(viewer):
        return forbidden(request, STAFF_FORBIDDEN)
    members = list(selectors.team_member_list(user=viewer))
    return render_page(
        request, "partnership/staff/list.html", {"rows": people_rows(viewer, members), "back": request.path}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@throttling.limit_invitation_requests
def staff_invite(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not policies.can_manage_staff(viewer):
        return forbidden(request, STAFF_FORBIDDEN)
    organization = viewer.organization
    engagements = engagement_list(user=viewer).exclude(status=Engagement.Status.ENDED).order_by("name")
    form = StaffInviteWithEngagementsForm(
        request.POST if request.method == "POST" else None,
        roles=policies.invitable_roles(viewer),
        engagements=engagements,
        initial={"time_zone": organization.time_zone if organization else "UTC", "role": "recruiter"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invited = staff_member_invite(actor=viewer, **form.cleaned_data)
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, invited_message(invited))
            return see_other("partnership:staff")
    context = {"form": form, "organization": organization}
    return render_page(request, "partnership/staff/invite.html", context, status=form_status(form))
