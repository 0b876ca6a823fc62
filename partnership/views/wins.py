"""Pages of wins: record a win (anyone on the engagement, on either side), and turn a suggested win
into a win with one click or dismiss it (the account managers and the client's admins, from the
engagement page's panel).

Thin: the engagement or suggestion comes through the selectors (another client's: 404), the
policies decide who may (403 with a reason), one service does the work, and the answer to every
POST is a 303 to a page saying what happened. A double click changes nothing more and says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from engagements.models import Engagement
from engagements.selectors import engagement_list
from rpo_portal.pages import add_service_errors, forbidden, form_status, local_url_or, not_found, render_page, see_other

from ..policies import (
    MAY_NOT_DECIDE_SUGGESTED_WIN,
    MAY_NOT_RECORD_WIN,
    can_decide_suggested_wins,
    can_read_scorecard,
    can_record_win,
)
from ..win_forms import WinForm
from ..wins import engagement_people, suggested_win_list, suggestion_accept, suggestion_dismiss, win_record


def _engagement_page(engagement_id: int, anchor: str = "wins") -> str:
    return reverse("partnership:engagement-detail", kwargs={"pk": engagement_id}) + f"#{anchor}"


def _after_recording(request: HttpRequest, engagement: Engagement) -> str:
    """Where the form was opened from, else the engagement page's wins (or, for a hiring manager,
    who does not read the engagement page, their inbox)."""
    default = _engagement_page(engagement.pk) if can_read_scorecard(request.user) else reverse("feedback:inbox")
    return local_url_or(request, request.POST.get("next", "") or request.GET.get("next", ""), default)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def win_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = engagement_list(user=user).filter(pk=pk).first()
    if engagement is None:
        return not_found(request)
    if not can_record_win(user):
        return forbidden(request, MAY_NOT_RECORD_WIN)
    people = list(engagement_people(engagement=engagement))
    form = WinForm(request.POST if request.method == "POST" else None, engagement=engagement, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            win, created = win_record(
                actor=user,
                engagement=engagement,
                title=form.cleaned_data["title"],
                what_happened=form.cleaned_data["what_happened"],
                thanked=form.cleaned_data["thanked"],
            )
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request, f"Win recorded: “{win.title}”. The people you thanked will hear about it. Thank you!"
                )
            else:
                messages.info(request, f"“{win.title}” was already recorded with this form; nothing more was sent.")
            return see_other(_after_recording(request, engagement))
    context = {
        "engagement": engagement,
        "form": form,
        "next": local_url_or(request, request.GET.get("next", "") or request.POST.get("next", ""), ""),
        "cancel_url": _engagement_page(engagement.pk) if can_read_scorecard(user) else reverse("feedback:inbox"),
    }
    return render_page(request, "partnership/wins/new.html", context, status=form_status(form))


def _suggestion(request: HttpRequest, pk: int):
    return suggested_win_list(user=request.user).select_related("engagement").filter(pk=pk).first()


def _back(request: HttpRequest, engagement_id: int) -> str:
    return local_url_or(request, request.POST.get("next", ""), _engagement_page(engagement_id, "suggested-wins"))


@login_required
@require_POST
def suggested_win_accept(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    if suggestion is None:
        return not_found(request)
    if not can_decide_suggested_wins(request.user):
        return forbidden(request, MAY_NOT_DECIDE_SUGGESTED_WIN)
    try:
        win, created = suggestion_accept(actor=request.user, suggestion=suggestion)
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, f"“{win.title}” is a win now. The people thanked will hear about it.")
        else:
            messages.info(request, f"“{win.title}” was already made a win; nothing more was done.")
    return see_other(_back(request, suggestion.engagement_id))


@login_required
@require_POST
def suggested_win_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    if suggestion is None:
        return not_found(request)
    if not can_decide_suggested_wins(request.user):
        return forbidden(request, MAY_NOT_DECIDE_SUGGESTED_WIN)
    try:
        dismissed = suggestion_dismiss(actor=request.user, suggestion=suggestion)
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    if dismissed:
        messages.success(request, f"Dismissed “{suggestion.title}”. It won't be suggested again.")
    else:
        messages.info(request, f"“{suggestion.title}” was already decided; nothing changed.")
    return see_other(_back(request, suggestion.engagement_id))
