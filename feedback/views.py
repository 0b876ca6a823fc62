"""Pages of the feedback app: thin, like the API. They find the request through the selectors
(what a user may see), ask the policies (what they may do), call one service, and show the
result in the viewer's own time zone. The signed one-click link from the emails reaches the same
pages as the logged-in forms, on behalf of the one user the link was sent to.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from engagements.business_hours import describe_business_hours
from engagements.models import Submission
from engagements.selectors import requisition_list, requisitions_in_care_of
from rpo_portal.conflicts import Conflict
from rpo_portal.pages import add_service_errors, forbidden, not_found, render_page, see_other, short_moment, viewer_zone

from .forms import BookingForm, FeedbackAnswerForm, SlotFormSet
from .links import (
    KINDS,
    LinkError,
    LinkTarget,
    link_grant_add,
    link_grant_drop,
    link_grant_token,
    link_max_age_seconds,
    link_page_url,
    read_token,
)
from .models import (
    AvailabilityRequest,
    Feedback,
    FeedbackRequest,
    RequestStatus,
    slots_marked_outside_business_hours,
)
from .policies import can_book, can_respond
from .selectors import (
    INBOX_LIMIT,
    availability_request_list,
    feedback_request_list,
    inbox_rows,
    inbox_totals,
    recruiter_note_for,
    requests_named_by,
    waiting_on_client_ordered,
    waiting_on_client_totals,
)
from .services import availability_book, availability_offer_slots, feedback_respond, request_closed_message

UTC_ZONE = zoneinfo.ZoneInfo("UTC")


# --- Rendering in the viewer's time zone, and the friendly refusals -----------------------------


def _link_invalid(request: HttpRequest, *, status: int) -> HttpResponse:
    return render_page(request, "feedback/link_invalid.html", {}, status=status)


def _link_refused(request: HttpRequest, error: LinkError) -> HttpResponse:
    if error.reason == "expired":
        days = link_max_age_seconds() // (24 * 3600)
        return render_page(request, "feedback/link_expired.html", {"link_max_age_days": days}, status=410)
    return _link_invalid(request, status=400)


def _closed_status(request: HttpRequest, chased_request) -> int:
    """Looking at a closed request is fine; trying to answer it again is a conflict, told in the
    same words as the API's 409."""
    if request.method != "POST":
        return 200
    messages.error(request, request_closed_message(chased_request))
    return 409


# Which answer this browser has just sent, so the page it is redirected to says "Thank you!" once.
JUST_ANSWERED_KEY = "feedback.just_answered"


def _note_just_answered(request: HttpRequest, kind: str, pk: int) -> None:
    request.session[JUST_ANSWERED_KEY] = f"{kind}:{pk}"


def _pop_just_answered(request: HttpRequest, kind: str, pk: int) -> bool:
    if request.method != "GET" or request.session.get(JUST_ANSWERED_KEY) != f"{kind}:{pk}":
        return False
    del request.session[JUST_ANSWERED_KEY]
    return True


# --- The one-click link -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def respond_link(request: HttpRequest, token: str) -> HttpResponse:
    """The address in an email: no password, one request, one user, for a while.

    The token is checked, kept in this browser's session, and the browser is sent on to an address
    without it, so the token appears in at most one logged request line (and in no Referer)."""
    try:
        target = read_token(token)
    except LinkError as error:
        return _link_refused(request, error)
    link_grant_add(request.session, token=token, target=target)
    return see_other(link_page_url(kind=target.kind, request_id=target.request_id))


@never_cache
@require_http_methods(["GET", "POST"])
def respond_link_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The request the link names, answered on behalf of its person and only under their name:
    someone else signed in here is asked first whether to sign out and go on as that person."""
    token = link_grant_token(request.session, kind=kind, request_id=pk) if kind in KINDS else None
    if token is None:
        return render_page(request, "feedback/link_needed.html", {}, status=403)
    try:
        target = read_token(token)
    except LinkError as error:
        link_grant_drop(request.session, kind=kind, request_id=pk)
        return _link_refused(request, error)

    users = get_user_model().objects.select_related("organization")
    responder = users.filter(pk=target.user_id, is_active=True).first()
    requests = feedback_request_list if kind == "feedback" else availability_request_list
    chased_request = requests(user=responder).filter(pk=pk).first() if responder is not None else None
    if chased_request is None or not can_respond(responder, chased_request):
        return _link_invalid(request, status=404)

    if request.user.is_authenticated and request.user.pk != responder.pk:
        return _link_for_someone_else(request, responder, token=token, target=target)
    if request.method == "POST" and "link_choice" in request.POST:
        return see_other(request.path)  # asked in another tab, and settled there

    was_open = chased_request.status == RequestStatus.OPEN
    if kind == "feedback":
        response = _feedback_page(request, chased_request, viewer=responder, via_link=True)
    else:
        response = _availability_page(request, chased_request, viewer=responder, via_link=True)
    if not was_open:
        # Used up: the answer, or that it is no longer needed, is shown this once and nothing more.
        link_grant_drop(request.session, kind=kind, request_id=pk)
    return response


def _link_for_someone_else(request: HttpRequest, responder, *, token: str, target: LinkTarget) -> HttpResponse:
    """Signed in as another person: never answer as the link's person under their session.

    "Continue as" signs the signed-in person out, then goes on through the link; "stay" keeps them
    signed in and leaves the link unused."""
    choice = request.POST.get("link_choice") if request.method == "POST" else None
    if choice == "continue":
        logout(request)  # a fresh session: the grant is put back in it, and nothing else
        link_grant_add(request.session, token=token, target=target)
        return see_other(request.path)
    if choice == "stay":
        link_grant_drop(request.session, kind=target.kind, request_id=target.request_id)
        return see_other(reverse("feedback:inbox"))
    status = 403 if request.method == "POST" else 200
    return render_page(
        request, "feedback/link_someone_else.html", {"person": responder}, viewer=request.user, status=status
    )


# --- Feedback -----------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feedback_respond_page(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_request = feedback_request_list(user=request.user).filter(pk=pk).first()
    if feedback_request is None:
        return not_found(request)
    return _feedback_page(request, feedback_request, viewer=request.user, via_link=False)


def _feedback_context(feedback_request: FeedbackRequest, *, via_link: bool) -> dict:
    submission = feedback_request.submission
    return {
        "feedback_request": feedback_request,
        "submission": submission,
        "candidate": submission.candidate,
        "requisition": submission.requisition,
        "recruiter_note": recruiter_note_for(feedback_request=feedback_request),
        "via_link": via_link,
    }


def _feedback_page(request, feedback_request: FeedbackRequest, *, viewer, via_link: bool) -> HttpResponse:
    if feedback_request.status == RequestStatus.ANSWERED:
        return _feedback_answered(
            request,
            feedback_request,
            getattr(feedback_request, "feedback", None),  # None only if an answer was lost: still say so
            viewer=viewer,
            via_link=via_link,
            just_answered=_pop_just_answered(request, "feedback", feedback_request.pk),
            status=_closed_status(request, feedback_request),
        )
    if feedback_request.status == RequestStatus.CANCELLED:
        return _request_cancelled(request, feedback_request, viewer=viewer)

    may_answer = can_respond(viewer, feedback_request)
    form = FeedbackAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_answer:
            return forbidden(request, _only_they_answer(feedback_request), viewer=viewer)
        if form.is_valid():
            channel = Feedback.Channel.EMAIL_LINK if via_link else Feedback.Channel.WEB
            try:
                feedback_respond(actor=viewer, feedback_request=feedback_request, channel=channel, **form.answer())
            except PermissionDenied:
                return forbidden(request, _only_they_answer(feedback_request), viewer=viewer)
            except Conflict:  # answered or cancelled since the page read it: show it closed
                feedback_request.refresh_from_db()
                return _feedback_page(request, feedback_request, viewer=viewer, via_link=via_link)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _note_just_answered(request, "feedback", feedback_request.pk)
                return see_other(request.path)
    context = {
        **_feedback_context(feedback_request, via_link=via_link),
        "form": form,
        "may_answer": may_answer,
    }
    status = 400 if form.errors else 200  # shown again, filled in, with what to fix
    return render_page(request, "feedback/respond.html", context, viewer=viewer, status=status)


def _only_they_answer(request) -> str:
    person = request.requested_of
    return (
        f"Only {person.display_name} can answer this request: it was sent to them. "
        "You can see it, and the portal will remind them."
    )


def _feedback_answered(
    request, feedback_request, feedback, *, viewer, via_link: bool, just_answered: bool, status: int = 200
) -> HttpResponse:
    next_availability = None
    if feedback is not None and feedback.next_step == Feedback.NextStep.AVAILABILITY:
        next_availability = (
            availability_request_list(user=viewer)
            .filter(submission_id=feedback_request.submission_id, requested_of_id=feedback_request.requested_of_id)
            .order_by("-created_at", "-id")
            .first()
        )
    # The availability request is reached from its own email, or from the inbox once signed in:
    # the link of this request never leads on to it.
    signed_in_as_viewer = request.user.is_authenticated and request.user.pk == viewer.pk
    context = {
        **_feedback_context(feedback_request, via_link=via_link),
        "feedback": feedback,
        "just_answered": just_answered,
        "is_responder": can_respond(viewer, feedback_request),
        "next_availability": next_availability,
        "next_availability_url": (
            reverse("feedback:availability-respond", kwargs={"pk": next_availability.pk})
            if signed_in_as_viewer and next_availability is not None and next_availability.is_open
            else ""
        ),
    }
    return render_page(request, "feedback/answered.html", context, viewer=viewer, status=status)


def _request_cancelled(request, chased_request, *, viewer) -> HttpResponse:
    submission = chased_request.submission
    context = {
        "chased_request": chased_request,
        "candidate": submission.candidate,
        "requisition": submission.requisition,
    }
    return render_page(
        request, "feedback/cancelled.html", context, viewer=viewer, status=_closed_status(request, chased_request)
    )


# --- Availability -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def availability_respond_page(request: HttpRequest, pk: int) -> HttpResponse:
    availability_request = availability_request_list(user=request.user).filter(pk=pk).first()
    if availability_request is None:
        return not_found(request)
    return _availability_page(request, availability_request, viewer=request.user, via_link=False)


def _availability_context(availability_request: AvailabilityRequest, *, via_link: bool) -> dict:
    submission = availability_request.submission
    calendar = submission.requisition.engagement.business_calendar
    slots = slots_marked_outside_business_hours(availability_request.slots.all(), calendar=calendar)
    return {
        "availability_request": availability_request,
        "submission": submission,
        "candidate": submission.candidate,
        "requisition": submission.requisition,
        "slots": slots,
        "any_outside_business_hours": any(slot.outside_business_hours for slot in slots),
        "business_hours": describe_business_hours(calendar),
        "via_link": via_link,
    }


def _availability_page(request, availability_request: AvailabilityRequest, *, viewer, via_link: bool) -> HttpResponse:
    if availability_request.status == RequestStatus.CANCELLED:
        return _request_cancelled(request, availability_request, viewer=viewer)
    if availability_request.status == RequestStatus.ANSWERED:
        context = {
            **_availability_context(availability_request, via_link=via_link),
            "just_answered": _pop_just_answered(request, "availability", availability_request.pk),
        }
        return render_page(
            request,
            "feedback/availability_answered.html",
            context,
            viewer=viewer,
            status=_closed_status(request, availability_request),
        )

    may_answer = can_respond(viewer, availability_request)
    zone = viewer.zone
    if request.method == "POST":
        if not may_answer:
            return forbidden(request, _only_they_answer(availability_request), viewer=viewer)
        formset = SlotFormSet(request.POST, zone=zone)
        if formset.is_valid():
            try:
                availability_offer_slots(actor=viewer, availability_request=availability_request, slots=formset.slots())
            except PermissionDenied:
                return forbidden(request, _only_they_answer(availability_request), viewer=viewer)
            except Conflict:  # answered or cancelled since the page read it: show it closed
                availability_request.refresh_from_db()
                return _availability_page(request, availability_request, viewer=viewer, via_link=via_link)
            except ValidationError as error:
                formset.add_service_errors(error)
            else:
                _note_just_answered(request, "availability", availability_request.pk)
                return see_other(request.path)
    else:
        formset = SlotFormSet(zone=zone)
    context = {
        **_availability_context(availability_request, via_link=via_link),
        "formset": formset,
        "first_rows": formset.forms[:3],
        "more_rows": formset.forms[3:],
        "more_rows_open": formset.is_bound and any(not form.is_blank for form in formset.forms[3:]),
        "may_answer": may_answer,
    }
    status = 400 if formset.is_bound else 200  # a bound formset shown again has errors to fix
    return render_page(request, "feedback/availability.html", context, viewer=viewer, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def availability_book_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The recruiter picks one of the offered slots; the service books it and sends invitations."""
    availability_request = availability_request_list(user=request.user).filter(pk=pk).first()
    if availability_request is None:
        return not_found(request)
    if not can_book(request.user, availability_request):
        return forbidden(
            request,
            "The recruiting team books interviews from the slots offered. "
            "They will send you an invitation as soon as one is booked.",
        )
    booked_url = reverse("feedback:availability-booked", kwargs={"pk": availability_request.pk})
    if availability_request.booked_interview_id is not None:
        return see_other(booked_url)

    context = _availability_context(availability_request, via_link=False)
    slots = context["slots"]
    form = BookingForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            availability_book(
                actor=request.user, slot=form.cleaned_data["slot"], location=form.cleaned_data["location"]
            )
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return see_other(booked_url)
    context["form"] = form
    status = 400 if form.errors else 200
    return render_page(request, "feedback/book.html", context, viewer=request.user, status=status)


@never_cache
@login_required
def availability_booked_page(request: HttpRequest, pk: int) -> HttpResponse:
    availability_request = availability_request_list(user=request.user).filter(pk=pk).first()
    if availability_request is None:
        return not_found(request)
    if availability_request.booked_interview_id is None:
        return redirect("feedback:availability-book", pk=availability_request.pk)
    context = {
        **_availability_context(availability_request, via_link=False),
        "interview": availability_request.booked_interview,
    }
    return render_page(request, "feedback/booked.html", context, viewer=request.user)


# --- Inbox --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    label: str
    candidate: object
    requisition: object
    requested_of: object
    created_at: datetime
    due_at: datetime
    is_overdue: bool
    url: str


def _feedback_item(feedback_request: FeedbackRequest) -> InboxItem:
    return InboxItem(
        label=feedback_request.get_kind_display(),
        candidate=feedback_request.submission.candidate,
        requisition=feedback_request.submission.requisition,
        requested_of=feedback_request.requested_of,
        created_at=feedback_request.created_at,
        due_at=feedback_request.due_at,
        is_overdue=feedback_request.is_overdue,
        url=reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk}),
    )


def _availability_item(availability_request: AvailabilityRequest, *, url_name: str) -> InboxItem:
    return InboxItem(
        label="Interview availability",
        candidate=availability_request.submission.candidate,
        requisition=availability_request.submission.requisition,
        requested_of=availability_request.requested_of,
        created_at=availability_request.created_at,
        due_at=availability_request.due_at,
        is_overdue=availability_request.is_overdue,
        url=reverse(url_name, kwargs={"pk": availability_request.pk}),
    )


class _Counted:
    """Rows for the paginator whose number is already known (the inbox's totals): it asks no
    COUNT of its own, and a page is read by ``fetch(start, stop)``."""

    def __init__(self, fetch, count: int):
        self.fetch = fetch
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index: slice):
        return self.fetch(index.start or 0, index.stop)


# What each row of a person's own inbox is called: a feedback request by its kind (as
# ``get_kind_display``), an availability request (no kind: "") as the staff inbox calls it.
_INBOX_LABELS = {**dict(FeedbackRequest.Kind.choices), "": "Interview availability"}
_PK_SENTINEL = 987654321


def _url_around_pk(url_name: str) -> tuple[str, str]:
    """What comes before and after the ``pk`` in the URL ``url_name``: a page of rows reverses it
    once, not once a row."""
    before, after = reverse(url_name, kwargs={"pk": _PK_SENTINEL}).split(str(_PK_SENTINEL))
    return before, after


def _staff_requisition_ids(user):
    """The requisitions a provider staff member's inbox is about, as their requisitions page:
    a recruiter's or sourcer's own (assigned, or standing in for an away primary); an account
    manager's or provider admin's every requisition of their engagements."""
    if user.role in (User.Role.RECRUITER, User.Role.SOURCER):
        return requisitions_in_care_of(user=user).values("id")
    return requisition_list(user=user).values("id")


@transaction.non_atomic_requests
@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What is asked of me and still open; for provider staff, what waits on the hiring managers
    of the requisitions in their care (the same set as their requisitions page and the engagement
    list: ``requests_waiting_on_client``), a page at a time, and the slots ready to book.

    Outside ``ATOMIC_REQUESTS``' transaction: the page only reads, and each of its reads is one
    statement, so a transaction around them would add two round trips (BEGIN, COMMIT) and no
    consistency (READ COMMITTED gives each statement its own snapshot either way)."""
    user = request.user
    limit = INBOX_LIMIT
    if user.is_provider_staff:
        now = timezone.now()
        requisition_ids = _staff_requisition_ids(user)
        totals = waiting_on_client_totals(requisition_ids=requisition_ids, now=now)
        page = Paginator(waiting_on_client_ordered(requisition_ids=requisition_ids), limit).get_page(
            request.GET.get("page")
        )
        waiting = [
            _feedback_item(item)
            if isinstance(item, FeedbackRequest)
            else _availability_item(item, url_name="feedback:availability-respond")
            for item in requests_named_by(list(page.object_list))
        ]
        to_book = availability_request_list(user=user).filter(
            submission__requisition_id__in=requisition_ids,
            submission__stage__in=Submission.OPEN_STAGES,
            status=RequestStatus.ANSWERED,
            booked_interview__isnull=True,
        )
        ready = [
            (_availability_item(item, url_name="feedback:availability-book"), list(item.slots.all()))
            for item in to_book.order_by("answered_at", "id")[:limit]
        ]
        context = {
            "waiting": waiting,
            "waiting_total": totals["total"],
            "waiting_overdue": totals["overdue"],
            "page": page,
            "ready": ready,
            "ready_total": to_book.count() if len(ready) == limit else len(ready),
            "now": now,
        }
        return render_page(request, "feedback/inbox_staff.html", context, viewer=user)

    # A page at a time, the most urgent first; the totals count every open request. Each row comes
    # with what it shows (inbox_rows), its strings made here rather than by filters in the template.
    now = timezone.now()
    totals = inbox_totals(user=user, now=now)
    rows = _Counted(lambda start, stop: inbox_rows(user=user, now=now, start=start, stop=stop), totals["total"])
    page = Paginator(rows, limit).get_page(request.GET.get("page"))
    zone = viewer_zone(user)
    urls = {
        "feedback": _url_around_pk("feedback:feedback-respond"),
        "availability": _url_around_pk("feedback:availability-respond"),
    }
    items = [
        {
            "label": _INBOX_LABELS[row.feedback_kind],
            "code": row.requisition_code,
            "name": row.candidate_name,
            "title": row.requisition_title,
            "is_overdue": row.is_overdue,
            "due": short_moment(row.due_at, zone),
            "url": f"{urls[row.request_type][0]}{row.id}{urls[row.request_type][1]}",
        }
        for row in page.object_list
    ]
    context = {"items": items, "total": totals["total"], "overdue_count": totals["overdue"], "page": page}
    return render_page(request, "feedback/inbox.html", context, viewer=user)
