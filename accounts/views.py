"""Pages of the accounts app: the role home, signing out and resetting a password, out-of-office
with a backup, the client admin's team, and each person's own settings and API tokens.

Thin, like the API: the selectors say what a user may see (anything else answers 404), the
policies what they may do (403), one service writes, and every moment is shown in the viewer's own
time zone, named on the page.
"""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import dateformat, timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rpo_portal.pages import add_service_errors, forbidden, form_status, local_url_or, not_found, render_page, see_other

from . import handover, policies, selectors, services, throttling
from .forms import DeactivateForm, OutOfOfficeForm, PasswordResetForm, SettingsForm, TeamInviteForm
from .models import User

UTC_ZONE = zoneinfo.ZoneInfo("UTC")

# --- Rendering in the viewer's time zone, and the friendly refusals -----------------------------


# --- Home, signing in and out, resetting a password ---------------------------------------------


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as in Django) and say so on the landing page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You are signed out.")
        return response


@method_decorator(throttling.limit_password_reset_requests, name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address and always answers the same page, whether or not an account has
    it. The POST only records the email (``services.password_reset_request``): the worker sends it
    through the outbox, so the answer takes the same time either way, and asking again within a
    few minutes sends nothing more. The link is built from SITE_URL, never from the Host header."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link (also the invitation's "set your password");
    signed in straight away afterwards."""

    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"  # the lockout's backend signs no one in
    success_url = reverse_lazy("password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # An invited user has no usable password yet: they are choosing one, not resetting it.
        context["first_password"] = self.user is not None and not self.user.has_usable_password()
        return context


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass


# --- Out of office ------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def out_of_office(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not policies.can_be_out_of_office(viewer):
        return forbidden(request, "Out of office with a backup is for the provider's recruiting staff.")
    may_choose_user = policies.can_set_out_of_office_for_others(viewer)
    colleagues = selectors.colleague_list(user=viewer).filter(role__in=User.PROVIDER_ROLES)
    form = OutOfOfficeForm(
        request.POST if request.method == "POST" else None,
        viewer=viewer,
        colleagues=colleagues,
        may_choose_user=may_choose_user,
    )
    if request.method == "POST" and form.is_valid():
        absence = form.absence()
        try:
            created = services.out_of_office_create(actor=viewer, **absence)
        except PermissionDenied as refusal:
            form.add_error("user" if may_choose_user else None, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            starts = dateformat.format(created.starts_at.astimezone(viewer.zone), "D j M, H:i T")
            ends = dateformat.format(created.ends_at.astimezone(viewer.zone), "D j M, H:i T")
            who = "You are" if created.user_id == viewer.pk else f"{created.user.display_name} is"
            backup = created.backup.display_name
            messages.success(request, f"{who} out of office from {starts} to {ends}; {backup} covers.")
            return see_other("accounts:out-of-office")

    now = timezone.now()
    absences = list(selectors.out_of_office_upcoming_list(user=viewer, now=now))
    rows = [
        {
            "absence": absence,
            "is_current": absence.starts_at <= now,
            "is_mine": absence.user_id == viewer.pk,
            "i_cover": absence.backup_id == viewer.pk,
            "may_delete": policies.can_manage_out_of_office(viewer, absence.user),
        }
        for absence in absences
    ]
    context = {"form": form, "rows": rows, "may_choose_user": may_choose_user}
    return render_page(request, "accounts/out_of_office.html", context, status=form_status(form))


@login_required
@require_POST
def out_of_office_delete(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.out_of_office_list(user=request.user).filter(pk=pk).first()
    if absence is None:
        return not_found(request)
    try:
        services.out_of_office_delete(actor=request.user, out_of_office=absence)
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    messages.success(request, "The out-of-office period is deleted.")
    return see_other("accounts:out-of-office")


# --- The client admin's team --------------------------------------------------------------------

TEAM_FORBIDDEN = "The team page is for your organisation's client admin: they invite and deactivate hiring managers."


def people_rows(viewer: User, members: list[User]) -> list[dict]:
    """The rows of a people page (the team or the staff): each person, whether they are still only
    invited, what they hold (``accounts.handover``: a few queries for the whole list) and whether
    the viewer may deactivate or reactivate them."""
    held = handover.held_by(users=members, now=timezone.now())
    return [
        {
            "member": member,
            "invited": not member.has_usable_password(),
            "held": held[member.pk],
            "may_change": policies.can_change_member_active(viewer, member),
        }
        for member in members
    ]


@never_cache
@login_required
@require_http_methods(["GET"])
def team(request: HttpRequest) -> HttpResponse:
    if not policies.can_manage_team(request.user):
        return forbidden(request, TEAM_FORBIDDEN)
    members = list(selectors.team_member_list(user=request.user))
    rows = people_rows(request.user, members)
    return render_page(request, "accounts/team.html", {"rows": rows, "back": request.path})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@throttling.limit_invitation_requests
def team_invite(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not policies.can_manage_team(viewer):
        return forbidden(request, TEAM_FORBIDDEN)
    organization = viewer.organization
    form = TeamInviteForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": organization.time_zone if organization else "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.user_invite(actor=viewer, **form.cleaned_data)
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, invited_message(invited))
            return see_other("accounts:team")
    context = {"form": form, "organization": organization}
    return render_page(request, "accounts/team_invite.html", context, status=form_status(form))


def invited_message(invited: User) -> str:
    return f"{invited.full_name} is invited: we emailed {invited.email} a link to choose a password."


# --- Deactivating, reactivating, resending an invitation: shared by the team and the staff pages ---

PEOPLE_FORBIDDEN = (
    "Only your organisation's client admin (for hiring managers) or the provider admin (for staff) can do this."
)


def _people_page(request: HttpRequest) -> str:
    """Where to go back to: the page the action was started from (a local ``next``), else the
    viewer's own people page (the team for a client admin; the role home otherwise)."""
    default = reverse("accounts:team") if policies.can_manage_team(request.user) else "/"
    return local_url_or(request, request.POST.get("next") or request.GET.get("next", ""), default)


def _managed_member(request: HttpRequest, pk: int) -> User | HttpResponse:
    """The person ``pk`` if the viewer looks after them; else the 403 or 404 page to answer."""
    if not policies.can_manage_people(request.user):
        return forbidden(request, PEOPLE_FORBIDDEN)
    member = selectors.team_member_list(user=request.user).filter(pk=pk).first()
    if member is None:
        return not_found(request)
    return member


@login_required
@require_POST
def team_member_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate in one step. Deactivating goes through the confirmation page, which says what they
    hold and asks whom to hand it to (an old form posting ``active=0`` is sent there)."""
    member = _managed_member(request, pk)
    if isinstance(member, HttpResponse):
        return member
    back = _people_page(request)
    wanted = request.POST.get("active", "")
    if wanted not in {"0", "1"}:
        messages.error(request, "Nothing changed: the request did not say whether to deactivate or reactivate.")
        return see_other(back)
    if not policies.can_change_member_active(request.user, member):
        return forbidden(request, PEOPLE_FORBIDDEN)
    if wanted == "0":
        return see_other(f"{reverse('accounts:member-deactivate', args=[member.pk])}?{urlencode({'next': back})}")
    if member.is_active:
        messages.info(request, f"{member.display_name} is already active.")
        return see_other(back)
    services.user_set_active(actor=request.user, user=member, is_active=True)
    messages.success(request, f"{member.display_name} is active again and can sign in.")
    return see_other(back)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: what the person holds and whom to hand it to (GET); then one POST
    moves it all and deactivates them (``services.user_deactivate``, one transaction)."""
    member = _managed_member(request, pk)
    if isinstance(member, HttpResponse):
        return member
    if not policies.can_change_member_active(request.user, member):
        return forbidden(request, PEOPLE_FORBIDDEN)
    back = _people_page(request)
    already = services.ALREADY_DEACTIVATED.format(name=member.display_name)
    if not member.is_active:
        # A second submit, or Back and submit again: it is done; say so instead of failing.
        messages.info(request, already)
        return see_other(back)
    held = handover.held_by(users=[member], now=timezone.now())[member.pk]
    candidates = selectors.handover_candidate_list(user=member)
    form = DeactivateForm(
        request.POST if request.method == "POST" else None, candidates=candidates, holds_something=bool(held)
    )
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data.get("successor")
        try:
            moved = services.user_deactivate(actor=request.user, user=member, successor=successor)
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            if "user" in getattr(error, "error_dict", {}):
                messages.info(request, already)
                return see_other(back)
            add_service_errors(form, error)
        else:
            text = f"{member.display_name} is deactivated: they can no longer sign in."
            if moved:
                text += f" {successor.display_name} now holds " + "; ".join(str(line) for line in moved) + "."
            messages.success(request, text)
            return see_other(back)
    context = {
        "member": member,
        "held": held,
        "form": form,
        "has_candidates": candidates.exists() if held else True,
        "back": back,
    }
    return render_page(request, "accounts/member_deactivate.html", context, status=form_status(form))


@login_required
@require_POST
def team_member_resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    if isinstance(member, HttpResponse):
        return member
    back = _people_page(request)
    try:
        services.user_resend_invitation(actor=request.user, user=member)
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # Also when one was resent minutes ago (nothing more is sent): the last one is on its way.
        messages.success(request, f"We emailed {member.email} a new link to choose a password.")
    return see_other(back)


# --- A person's own settings ---------------------------------------------------------------------


def how_reminders_reach_you(user: User) -> str:
    """The settings just saved, in a sentence: what ``feedback.reminders`` will do with them."""
    quiet = f"never between {user.quiet_hours_start:02d}:00 and {user.quiet_hours_end:02d}:00"
    if user.reads_digest:
        return f"Reminders reach you in one daily digest at {user.digest_hour:02d}:00 ({user.time_zone}); {quiet}."
    return f"Each reminder reaches you as it happens, {quiet} ({user.time_zone})."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own settings (there is no one else's to open: no id in the address)."""
    viewer = request.user
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=SettingsForm.initial_for(viewer))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your settings are saved. {how_reminders_reach_you(viewer)}")
            return see_other(reverse("accounts:settings"))
    context = {
        "form": form,
        "token_count": selectors.api_token_list(user=viewer).count(),
        "may_be_out_of_office": policies.can_be_out_of_office(viewer),
        # Linked from the summary on top (on a phone the field itself may be a screen further down);
        # a group of radio buttons is reached through its first one.
        "fields_to_check": [
            {"anchor": field.id_for_label or f"{field.auto_id}_0", "label": field.label}
            for field in form
            if field.errors
        ],
    }
    return render_page(request, "accounts/settings.html", context, status=form_status(form))


# --- The user's API tokens ----------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    tokens = list(selectors.api_token_list(user=request.user))
    return render_page(request, "accounts/api_tokens.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    token = selectors.api_token_list(user=request.user).filter(token_key=token_key).first()
    if token is None:
        return not_found(request)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token starting {token.token_key[:8]} is revoked: it no longer works.")
    return see_other("accounts:tokens")
