"""Pages that change engagement data: the SLA settings, adding and submitting a candidate, moving a
submission to another stage, recording an interview's outcome.

Thin, like the API: the object comes through the selectors (not visible -> 404), the role is
checked by the policies (not allowed -> 403), one service call does the work, and its
``ValidationError`` is shown beside the fields or, for a stage move, as a message on the page the
recruiter came from. They are part of the engagement and requisition pages (the service levels
beside the scorecard, the pipeline's own forms), so they live with them and return to them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from engagements.business_hours import coming_holidays, holiday_countries, holiday_regions
from engagements.local_dates import engagement_today
from engagements.models import Interview, Requisition, Submission
from engagements.policies import can_change_submission_stage, can_manage_engagement, can_work_pipeline
from engagements.selectors import engagement_list, interview_list, requisition_list, submission_list, user_list
from engagements.services import (
    INTERVIEW_RESCHEDULED,
    candidate_add_and_submit,
    engagement_update,
    interview_set_status,
    submission_change_stage,
)
from feedback.models import FeedbackRequest
from feedback.reminders import how_requests_reach
from rpo_portal.pages import add_service_errors, forbidden, form_status, local_url_or, not_found, render_page, see_other

from ..forms import CandidateSubmitForm, EngagementSlaForm, InterviewOutcomeForm, SubmissionMoveForm


def _requisition_url(requisition_id: int) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition_id})


# --- SLA settings -------------------------------------------------------------------------------

COMING_HOLIDAY_DAYS = 90  # how far ahead the SLA page lists the public holidays it skips


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def engagement_sla(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = engagement_list(user=request.user).filter(pk=pk).first()
    if engagement is None:
        return not_found(request)
    if not can_manage_engagement(request.user, engagement):
        return forbidden(
            request,
            "The engagement's account managers and the provider's admins set its service levels. "
            "Ask them if something should change.",
        )
    # Anyone of the client's people may be the champion who hears about escalations.
    contacts = user_list(user=request.user).filter(organization_id=engagement.client_id, role__in=User.CLIENT_ROLES)
    form = EngagementSlaForm(
        request.POST if request.method == "POST" else None, engagement=engagement, contacts=contacts
    )
    if request.method == "POST" and form.is_valid():
        try:
            engagement_update(actor=request.user, engagement=engagement, **form.sla())
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Service levels saved. They apply to requests opened from now on; "
                "open requests keep the due times they were given.",
            )
            return see_other("partnership:engagement-sla", pk=engagement.pk)
    # The holidays the clock skips as the engagement stands (what is stored, not what was just sent).
    stored = engagement_list(user=request.user).get(pk=engagement.pk) if form.is_bound else engagement
    context = {
        "engagement": engagement,
        "form": form,
        "stored": stored,
        "coming_holidays": _coming_holidays(stored),
        "coming_holiday_days": COMING_HOLIDAY_DAYS,
        "holiday_country": dict(holiday_countries()).get(stored.country, ""),
        "holiday_region": dict(holiday_regions(stored.country)).get(stored.region, stored.region),
    }
    return render_page(request, "partnership/engagements/sla.html", context, status=form_status(form))


def _coming_holidays(engagement) -> list:
    try:
        return coming_holidays(engagement.business_calendar, engagement_today(engagement), COMING_HOLIDAY_DAYS)
    except (ValueError, LookupError):  # codes or a zone stored before they were checked
        return []


# --- Add and submit a candidate -----------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def candidate_submit(request: HttpRequest, requisition_pk: int) -> HttpResponse:
    user = request.user
    requisition = requisition_list(user=user).select_related("engagement__client").filter(pk=requisition_pk).first()
    if requisition is None:
        return not_found(request)
    if not can_work_pipeline(user, requisition.engagement):
        return forbidden(
            request,
            "The recruiting team adds and submits candidates. "
            "Candidates put forward to you appear in your inbox for feedback.",
        )
    form = CandidateSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        send_to_review = form.cleaned_data["send_to_review"]
        try:
            submission, created = candidate_add_and_submit(
                actor=user,
                requisition=requisition,
                form_token=form.cleaned_data["form_token"],
                summary=form.cleaned_data["summary"].strip(),
                send_to_review=send_to_review,
                **form.candidate_fields(),
            )
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = submission.candidate.full_name
            if not created:
                # The same form again (a double click, Back and send): where the first one landed.
                messages.info(request, f"{name} was already submitted with this form; nothing was added.")
            elif send_to_review:
                messages.success(
                    request,
                    f"{name} was submitted and sent to {requisition.hiring_manager.display_name} for review. "
                    + how_requests_reach(requisition.hiring_manager, now=timezone.now()),
                )
            else:
                messages.success(request, f"{name} was submitted. Move them to review when you are ready.")
            # The top of the page, where the message is (the new candidate's card is further down).
            return see_other(_requisition_url(requisition.pk))
    context = {
        "requisition": requisition,
        "form": form,
        "is_open": requisition.status == Requisition.Status.OPEN,
    }
    return render_page(request, "partnership/requisitions/candidate_submit.html", context, status=form_status(form))


# --- Move a submission to another stage ---------------------------------------------------------


def _back(request: HttpRequest, submission: Submission) -> str:
    """Where the form was: a local ``next`` if given, else the top of the requisition's pipeline,
    where the message says what happened."""
    return local_url_or(request, request.POST.get("next", ""), _requisition_url(submission.requisition_id))


def _move_refused(submission: Submission, to_stage: str, error: ValidationError) -> str:
    """The service's refusal in stage names a person reads (it speaks in stage codes)."""
    submission.refresh_from_db(fields=["stage"])
    if submission.can_move_to(to_stage):
        return " ".join(error.messages)
    current = submission.get_stage_display().lower()
    allowed = [label.lower() for stage, label in Submission.Stage.choices if submission.can_move_to(stage)]
    if not allowed:
        return f"the candidate is {current}, and a closed submission does not move."
    choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
    return f"from {current}, a candidate can move only to {choices}."


@login_required
@require_POST
def submission_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    submission = submission_list(user=user).filter(pk=pk).first()
    if submission is None:
        return not_found(request)
    if not can_change_submission_stage(user, submission):
        return forbidden(
            request,
            "The recruiting team moves candidates between stages. Your feedback moves them for you.",
        )
    name = submission.candidate.full_name
    form = SubmissionMoveForm(request.POST)
    if not form.is_valid():
        if set(form.errors) == {"withdrawal_reason"} and submission.can_move_to(Submission.Stage.WITHDRAWN):
            return _ask_withdrawal_reason(request, submission, form)
        problems = " ".join(message for messages_ in form.errors.values() for message in messages_)
        messages.error(request, f"{name} was not moved: {problems}")
        return see_other(_back(request, submission))
    to_stage = form.cleaned_data["stage"]
    try:
        submission_change_stage(actor=user, submission=submission, **form.move())
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    except ValidationError as error:
        if hasattr(error, "error_dict") and set(error.error_dict) == {"withdrawal_reason"}:
            add_service_errors(form, error)
            return _ask_withdrawal_reason(request, submission, form)
        messages.error(request, f"{name} was not moved: {_move_refused(submission, to_stage, error)}")
        return see_other(_back(request, submission))
    label = Submission.Stage(to_stage).label.lower()
    text = f"{name} moved to {label}."
    if to_stage == Submission.Stage.WITHDRAWN:
        reason = Submission.WithdrawalReason(form.cleaned_data["withdrawal_reason"]).label
        text = f"{name} moved to {label}: {reason[0].lower()}{reason[1:]}."
    if to_stage == Submission.Stage.HM_REVIEW:
        hiring_manager = submission.requisition.hiring_manager
        text += f" {hiring_manager.display_name} is asked for feedback. " + how_requests_reach(
            hiring_manager, now=timezone.now()
        )
    messages.success(request, text)
    return see_other(_back(request, submission))


def _ask_withdrawal_reason(request: HttpRequest, submission: Submission, form: SubmissionMoveForm) -> HttpResponse:
    """A move to withdrawn without a (valid) reason: not made; the form again on a page of its own,
    the message beside the reason, the rest as it was sent."""
    submission.refresh_from_db(fields=["stage"])
    context = {
        "submission": submission,
        "requisition": submission.requisition,
        "form": form,
        "moves": [(stage, label) for stage, label in Submission.Stage.choices if submission.can_move_to(stage)],
        "next": _back(request, submission),
    }
    return render_page(request, "partnership/requisitions/submission_move.html", context, status=400)


# --- Record an interview's outcome --------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """What became of an interview whose time came: completed, missed by the candidate or by the
    hiring manager, or rescheduled to a new time; ``interview_set_status`` decides what is allowed."""
    user = request.user
    interview = (
        interview_list(user=user)
        .select_related("submission__requisition__hiring_manager", "submission__requisition__engagement__client")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        return not_found(request)
    requisition = interview.submission.requisition
    if not can_work_pipeline(user, requisition.engagement):
        return forbidden(
            request,
            "The recruiting team records how interviews went. Once an interview took place, you are asked "
            "for your feedback on it in your inbox.",
        )
    zone = user.zone
    form = InterviewOutcomeForm(request.POST if request.method == "POST" else None, interview=interview, zone=zone)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_set_status(actor=user, interview=interview, **form.status_change())
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            form.add_service_errors(error)
            interview.refresh_from_db()  # what it is now, if someone recorded an outcome meanwhile
        else:
            messages.success(request, _outcome_recorded(interview, form.cleaned_data["outcome"], zone))
            # After a POST that changed something, the browser GETs the pipeline: Back and reload are harmless.
            return see_other(_requisition_url(requisition.pk))
    context = {
        "interview": interview,
        "requisition": requisition,
        "candidate": interview.submission.candidate,
        "form": form,
        "is_scheduled": interview.status == Interview.Status.SCHEDULED,
        "has_started": interview.starts_at <= timezone.now(),
    }
    return render_page(request, "partnership/requisitions/interview_outcome.html", context, status=form_status(form))


def _outcome_recorded(interview: Interview, outcome: str, zone) -> str:
    name = interview.submission.candidate.full_name
    hiring_manager = interview.submission.requisition.hiring_manager
    if outcome == Interview.Status.COMPLETED:
        asked = [
            request.requested_of
            for request in FeedbackRequest.objects.filter(interview=interview).select_related("requested_of")
        ]
        text = f"Recorded: the interview with {name} took place."
        if len(asked) == 1:
            return f"{text} {asked[0].display_name} is asked for feedback on it. " + how_requests_reach(
                asked[0], now=timezone.now()
            )
        if asked:
            return f"{text} {', '.join(person.display_name for person in asked)} are asked for feedback on it."
        return text
    if outcome == Interview.Status.NO_SHOW:
        return f"Recorded: {name} did not show up for the interview. It counts on the provider's side of the scorecard."
    if outcome != INTERVIEW_RESCHEDULED:  # the hiring manager's no-show
        return (
            f"Recorded: the hiring manager, {hiring_manager.display_name}, did not show up for the interview with "
            f"{name}. It counts on the client's side of the scorecard."
        )
    moment = timezone.localtime(interview.starts_at, zone)
    return (
        f"The interview with {name} is moved to {dateformat.format(moment, 'D j M, H:i')} ({zone}), and counts as a "
        "reschedule on the client's side of the scorecard. The portal sends no new invitation for a moved "
        f"interview: let {hiring_manager.display_name} and {name} know."
    )
