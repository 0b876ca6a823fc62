"""The pulse survey's pages: answering (from the signed link without signing in, or signed in from
the portal), the thank-you page, and the results of an engagement (page and CSV), only as
aggregates (``partnership.pulse.results``).

The link is ``feedback.links``'s: ``/r/<token>/`` keeps the token in this browser's session and
sends it on to ``pulse_link_page`` (the token-free address of kind "pulse"). A link names one survey
and one person: opened for another survey it opens nothing, and someone else signed in here is
asked first whether to sign out and go on as the link's person.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from engagements.local_dates import engagement_today
from feedback.links import (
    LinkError,
    link_grant_add,
    link_grant_drop,
    link_grant_token,
    link_max_age_seconds,
    read_token,
)
from rpo_portal.conflicts import Conflict
from rpo_portal.pages import add_service_errors, form_status, not_found, render_page, see_other

from ..forms import PulseAnswerForm
from ..models import PulseInvitation, PulseSurvey
from ..pulse import PULSE_MIN_ANSWERS, pulse_answer, pulse_csv, pulse_invitation_for_link, pulse_survey_results
from ..pulse.answering import ALREADY_ANSWERED, CLOSED, pulse_is_closed
from ..pulse.links import PULSE_LINK
from ..pulse.questions import questions_for
from .engagements import _visible_engagement

SURVEYS_SHOWN = 24  # two years of monthly surveys on the results page and in the CSV


# --- Answering ----------------------------------------------------------------------------------


def _answer_page(request: HttpRequest, invitation: PulseInvitation, *, viewer, via_link: bool) -> HttpResponse:
    survey = invitation.survey
    now = timezone.now()
    posted = request.method == "POST"
    refused = 409 if posted else 200  # looking at it is fine; answering again is a conflict
    context = {"invitation": invitation, "survey": survey, "engagement": survey.engagement, "via_link": via_link}
    if invitation.answered_at is not None:
        context["message"] = ALREADY_ANSWERED
        return render_page(request, "partnership/pulse/done.html", context, viewer=viewer, status=refused)
    if pulse_is_closed(survey, now=now):
        context["message"] = CLOSED
        return render_page(request, "partnership/pulse/closed.html", context, viewer=viewer, status=refused)
    form = PulseAnswerForm(request.POST if posted else None, questions=questions_for(invitation.side))
    if posted and form.is_valid():
        try:
            pulse_answer(invitation=invitation, now=now, **form.answer())
        except Conflict:  # answered in another tab, or closed, since the page was read
            invitation.refresh_from_db(fields=["answered_at"])
            return _answer_page(request, invitation, viewer=viewer, via_link=via_link)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return see_other("partnership:pulse-thanks")
    rated = survey.engagement.provider if invitation.side == "client" else survey.engagement.client
    context.update({"form": form, "rated": rated, "min_answers": PULSE_MIN_ANSWERS})
    return render_page(request, "partnership/pulse/answer.html", context, viewer=viewer, status=form_status(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def pulse_answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in person answers their own invitation from the portal; anyone else: 404."""
    invitation = pulse_invitation_for_link(survey_id=pk, user_id=request.user.pk)
    if invitation is None:
        return not_found(request)
    return _answer_page(request, invitation, viewer=request.user, via_link=False)


@never_cache
@require_http_methods(["GET", "POST"])
def pulse_link_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey a link names, answered on behalf of its person, without signing in."""
    token = link_grant_token(request.session, kind=PULSE_LINK, request_id=pk)
    if token is None:  # never opened from a link here, or a link for another survey
        return render_page(request, "partnership/pulse/link_needed.html", {}, status=403)
    try:
        target = read_token(token)
    except LinkError as error:
        link_grant_drop(request.session, kind=PULSE_LINK, request_id=pk)
        if error.reason == "expired":
            days = link_max_age_seconds(PULSE_LINK) // (24 * 3600)
            return render_page(request, "feedback/link_expired.html", {"link_max_age_days": days}, status=410)
        return render_page(request, "feedback/link_invalid.html", {}, status=400)
    invitation = None
    if target.kind == PULSE_LINK and target.request_id == pk:
        invitation = pulse_invitation_for_link(survey_id=pk, user_id=target.user_id)
    if invitation is None:
        return render_page(request, "feedback/link_invalid.html", {}, status=404)

    person = invitation.person
    if request.user.is_authenticated and request.user.pk != person.pk:
        return _link_for_someone_else(request, person, token=token, target=target)
    if request.method == "POST" and "link_choice" in request.POST:
        return see_other(request.path)  # asked in another tab, and settled there
    return _answer_page(request, invitation, viewer=person, via_link=True)


def _link_for_someone_else(request: HttpRequest, person, *, token: str, target) -> HttpResponse:
    """Signed in as another person: never answer as the link's person under their session (the
    same choice as the feedback links: sign out and go on, or stay and leave the link unused)."""
    choice = request.POST.get("link_choice") if request.method == "POST" else None
    if choice == "continue":
        logout(request)
        link_grant_add(request.session, token=token, target=target)
        return see_other(request.path)
    if choice == "stay":
        link_grant_drop(request.session, kind=target.kind, request_id=target.request_id)
        return see_other("home")
    status = 403 if request.method == "POST" else 200
    return render_page(
        request, "feedback/link_someone_else.html", {"person": person}, viewer=request.user, status=status
    )


@never_cache
@require_GET
def pulse_thanks(request: HttpRequest) -> HttpResponse:
    """Where an answer leads (post/redirect/get): names no survey and no person."""
    return render_page(request, "partnership/pulse/thanks.html", {"min_answers": PULSE_MIN_ANSWERS})


# --- Results ------------------------------------------------------------------------------------


def _results(engagement) -> list:
    surveys = list(PulseSurvey.objects.filter(engagement_id=engagement.pk).order_by("-period_start")[:SURVEYS_SHOWN])
    results = pulse_survey_results(surveys=surveys)
    return [results[survey.pk] for survey in surveys]


@login_required
@require_GET
def engagement_pulse(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _visible_engagement(request, pk)
    if refusal is not None:
        return refusal
    context = {
        "engagement": engagement,
        "results": _results(engagement),
        "min_answers": PULSE_MIN_ANSWERS,
        "now": timezone.now(),
    }
    return render_page(request, "partnership/pulse/results.html", context)


@login_required
@require_GET
def engagement_pulse_csv(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _visible_engagement(request, pk)
    if refusal is not None:
        return refusal
    today = engagement_today(engagement)
    filename = f"{slugify(engagement.name) or 'engagement'}-pulse-{today:%Y-%m-%d}.csv"
    response = HttpResponse(pulse_csv(results=_results(engagement)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
