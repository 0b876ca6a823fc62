"""Pages that change engagement data: the SLA settings, adding and submitting a candidate, moving a
submission to another stage.

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
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from engagements.models import Requisition, Submission
from engagements.policies import can_change_submission_stage, can_manage_engagement, can_work_pipeline
from engagements.selectors import engagement_list, requisition_list, submission_list, user_list
from engagements.services import candidate_add_and_submit, engagement_update, submission_change_stage
from feedback.reminders import how_requests_reach
from rpo_portal.pages import add_service_errors, forbidden, form_status, local_url_or, not_found, render_page

from ..forms import CandidateSubmitForm, EngagementSlaForm, SubmissionMoveForm


def _requisition_url(requisition_id: int) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition_id})


# --- SLA settings -------------------------------------------------------------------------------


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
            return redirect("partnership:engagement-sla", pk=engagement.pk)
    context = {"engagement": engagement, "form": form}
    return render_page(request, "partnership/engagements/sla.html", context, status=form_status(form))


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
            return redirect(_requisition_url(requisition.pk))
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
        problems = " ".join(message for messages_ in form.errors.values() for message in messages_)
        messages.error(request, f"{name} was not moved: {problems}")
        return redirect(_back(request, submission))
    to_stage = form.cleaned_data["stage"]
    try:
        submission_change_stage(
            actor=user, submission=submission, to_stage=to_stage, note=form.cleaned_data["note"].strip()
        )
    except PermissionDenied as refusal:
        return forbidden(request, str(refusal))
    except ValidationError as error:
        messages.error(request, f"{name} was not moved: {_move_refused(submission, to_stage, error)}")
        return redirect(_back(request, submission))
    label = Submission.Stage(to_stage).label.lower()
    text = f"{name} moved to {label}."
    if to_stage == Submission.Stage.HM_REVIEW:
        hiring_manager = submission.requisition.hiring_manager
        text += f" {hiring_manager.display_name} is asked for feedback. " + how_requests_reach(
            hiring_manager, now=timezone.now()
        )
    messages.success(request, text)
    return redirect(_back(request, submission))
