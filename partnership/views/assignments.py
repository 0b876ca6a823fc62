"""The assignment pages (issue 12): who works each requisition of an engagement, and one
requisition's assignments, current and past, with the forms to assign, end and swap.

Thin, like the other pages: the engagement or requisition comes through the selectors (not
visible: 404); the pages are the provider's (a client user who can see the engagement: 403); who
may change assignments is ``engagements.policies.can_manage_assignments`` (the engagement's
account managers and the provider's admins; the others read the page without its forms); every
rule of what may be assigned is in ``assignment_create`` / ``assignment_end`` / ``assignment_swap``,
whose ``ValidationError`` is shown beside the field it names with status 400. Who holds each role
today is ``requisition_teams``, and who covers the requisition ``requisition_covering_recruiters``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement, Requisition
from engagements.policies import MAY_NOT_ASSIGN, MAY_NOT_END_ASSIGNMENT, can_manage_assignments, can_manage_engagement
from engagements.selectors import (
    Coverage,
    Team,
    assignment_list,
    engagement_list,
    requisition_covering_recruiters,
    requisition_list,
    requisition_teams,
    user_list,
)
from engagements.services import assignment_create, assignment_end, assignment_swap
from rpo_portal.pages import add_service_errors, forbidden, form_status, local_url_or, not_found, render_page, see_other

from ..forms import AssignmentCreateForm, AssignmentEndForm, AssignmentSwapForm
from ..policies import can_open_assignment_pages
from .requisitions import ACTIVE_STATUSES, coverage_line

REQUISITIONS_PER_PAGE = 25
PROVIDER_PAGE_ONLY = (
    "Who works each requisition is arranged by the provider's account team. "
    "The engagement page shows who covers each requisition today."
)
ROLE_ORDER = {role: index for index, role in enumerate(Assignment.Role.values)}


def requisition_assignments_url(requisition_id: int) -> str:
    return reverse("partnership:requisition-assignments", kwargs={"pk": requisition_id})


def _who(person: User | None) -> str:
    return person.display_name if person is not None else "nobody"


# --- One engagement: every open requisition and who works it --------------------------------------


@dataclass
class TeamRow:
    requisition: Requisition
    team: Team
    coverage: Coverage | None
    covered_by: str
    swap_form: AssignmentSwapForm | None


@never_cache
@login_required
@require_GET
def engagement_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = engagement_list(user=user).filter(pk=pk).first()
    if engagement is None:
        return not_found(request)
    if not can_open_assignment_pages(user):
        return forbidden(request, PROVIDER_PAGE_ONLY)
    now = timezone.now()
    may_manage = can_manage_engagement(user, engagement)  # account managers are prefetched
    requisitions = (
        requisition_list(user=user)
        .filter(engagement_id=engagement.pk, status__in=ACTIVE_STATUSES)
        .order_by("code", "pk")
    )
    page = Paginator(requisitions, REQUISITIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    ids = [requisition.pk for requisition in shown]
    teams = requisition_teams(requisition_ids=ids, at=now)
    coverage = requisition_covering_recruiters(requisition_ids=ids, at=now) if ids else {}
    here = request.get_full_path()
    rows = []
    for requisition in shown:
        team = teams[requisition.pk]
        covered = coverage.get(requisition.pk)
        swap_form = None
        if may_manage and team.primary is not None and team.backup is not None:
            # One form per row: no ids, so the page has no duplicates.
            swap_form = AssignmentSwapForm(
                initial={"primary": team.primary.recruiter_id, "backup": team.backup.recruiter_id, "next": here},
                auto_id=False,
            )
        rows.append(
            TeamRow(
                requisition=requisition,
                team=team,
                coverage=covered,
                covered_by=coverage_line(covered),
                swap_form=swap_form,
            )
        )
    context = {
        "engagement": engagement,
        "rows": rows,
        "page": page,
        "may_manage": may_manage,
        "today": engagement_today(engagement, now),
    }
    return render_page(request, "partnership/assignments/engagement.html", context)


# --- One requisition: its assignments and the forms -----------------------------------------------


@dataclass
class AssignmentRow:
    assignment: Assignment
    state: str  # "current", "handed_over", "upcoming", "ended"
    end_form: AssignmentEndForm | None


def _visible_requisition(request: HttpRequest, pk: int) -> tuple[Requisition | None, HttpResponse | None]:
    requisition = (
        requisition_list(user=request.user)
        .select_related("engagement__client", "engagement__provider")
        .filter(pk=pk)
        .first()
    )
    if requisition is None:
        return None, not_found(request)
    if not can_open_assignment_pages(request.user):
        return None, forbidden(request, PROVIDER_PAGE_ONLY)
    return requisition, None


def _people(user: User, engagement: Engagement):
    """Whom the form offers: the provider's active staff (the service checks it again)."""
    return (
        user_list(user=user)
        .filter(organization_id=engagement.provider_id, role__in=User.PROVIDER_ROLES)
        .order_by("full_name", "email")
    )


def _state(assignment: Assignment, team: Team, today: date) -> str:
    if assignment.ends_on is not None and assignment.ends_on < today:
        return "ended"
    if assignment.starts_on > today:
        return "upcoming"
    return "current" if assignment in team.holders else "handed_over"


def _requisition_page(
    request: HttpRequest,
    requisition: Requisition,
    *,
    assign_form: AssignmentCreateForm | None = None,
    end_form: tuple[int, AssignmentEndForm] | None = None,
    swap_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    engagement = requisition.engagement
    now = timezone.now()
    today = engagement_today(engagement, now)
    may_manage = can_manage_assignments(user, requisition)
    team = requisition_teams(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    coverage = requisition_covering_recruiters(requisition_ids=[requisition.pk], at=now)[requisition.pk]
    assignments = sorted(
        assignment_list(user=user).filter(requisition_id=requisition.pk),
        key=lambda item: (ROLE_ORDER.get(item.role, 9), -item.starts_on.toordinal(), -item.pk),
    )
    rows = []
    for assignment in assignments:
        state = _state(assignment, team, today)
        form = None
        if may_manage and state in ("current", "upcoming"):
            if end_form is not None and end_form[0] == assignment.pk:
                form = end_form[1]
            else:
                form = AssignmentEndForm(assignment_id=assignment.pk)
        rows.append(AssignmentRow(assignment=assignment, state=state, end_form=form))
    swap_form = None
    if may_manage and team.primary is not None and team.backup is not None:
        # Always who holds the roles now: after a refused (stale) swap, the next click swaps these two.
        swap_form = AssignmentSwapForm(
            initial={"primary": team.primary.recruiter_id, "backup": team.backup.recruiter_id}
        )
    if may_manage and assign_form is None:
        assign_form = AssignmentCreateForm(people=_people(user, engagement))
    context = {
        "requisition": requisition,
        "engagement": engagement,
        "team": team,
        "coverage": coverage,
        "covered_by": coverage_line(coverage),
        "current_rows": [row for row in rows if row.state in ("current", "upcoming")],
        "past_rows": [row for row in rows if row.state in ("handed_over", "ended")],
        "may_manage": may_manage,
        "assign_form": assign_form,
        "swap_form": swap_form,
        "swap_errors": swap_errors or [],
        "today": today,
    }
    return render_page(request, "partnership/assignments/requisition.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def requisition_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """The page, and its "assign" form."""
    requisition, refusal = _visible_requisition(request, pk)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        return _requisition_page(request, requisition)
    user = request.user
    if not can_manage_assignments(user, requisition):
        return forbidden(request, MAY_NOT_ASSIGN)
    form = AssignmentCreateForm(request.POST, people=_people(user, requisition.engagement))
    if form.is_valid():
        try:
            assignment = assignment_create(actor=user, requisition=requisition, **form.cleaned_data)
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            since = (
                "from today"
                if assignment.starts_on <= engagement_today(requisition.engagement)
                else (f"from {date_format(assignment.starts_on, 'j M Y')}")
            )
            messages.success(
                request,
                f"{assignment.recruiter.display_name} is assigned to {requisition.code} as "
                f"{assignment.get_role_display().lower()} {since}.",
            )
            return see_other(requisition_assignments_url(requisition.pk))
    return _requisition_page(request, requisition, assign_form=form, status=form_status(form))


@login_required
@require_POST
def assignment_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assignment = assignment_list(user=user).filter(pk=pk).first()
    if assignment is None:
        return not_found(request)
    requisition, refusal = _visible_requisition(request, assignment.requisition_id)
    if refusal is not None:
        return refusal
    assignment.requisition = requisition  # the one the policies and the page read
    if not can_manage_assignments(user, requisition):
        return forbidden(request, MAY_NOT_END_ASSIGNMENT)
    form = AssignmentEndForm(request.POST, assignment_id=assignment.pk)
    if form.is_valid():
        try:
            assignment_end(actor=user, assignment=assignment, ends_on=form.cleaned_data["ends_on"])
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{assignment.recruiter.display_name}'s assignment as {assignment.get_role_display().lower()} "
                f"on {requisition.code} ends on {date_format(assignment.ends_on, 'j M Y')} (their last day).",
            )
            return see_other(requisition_assignments_url(requisition.pk))
    return _requisition_page(request, requisition, end_form=(assignment.pk, form), status=400)


@login_required
@require_POST
def assignment_swap_view(request: HttpRequest, pk: int) -> HttpResponse:
    requisition, refusal = _visible_requisition(request, pk)
    if refusal is not None:
        return refusal
    user = request.user
    if not can_manage_assignments(user, requisition):
        return forbidden(request, MAY_NOT_ASSIGN)
    form = AssignmentSwapForm(request.POST)
    if form.is_valid():
        chosen = {form.cleaned_data["primary"], form.cleaned_data["backup"]}
        people = {
            person.pk: person
            for person in User.objects.filter(pk__in=chosen, organization_id=requisition.engagement.provider_id)
        }
        primary, backup = people.get(form.cleaned_data["primary"]), people.get(form.cleaned_data["backup"])
        if primary is None or backup is None:
            form.add_error(None, AssignmentSwapForm.STALE)
        else:
            try:
                new_primary, new_backup = assignment_swap(
                    actor=user, requisition=requisition, primary=primary, backup=backup
                )
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{requisition.code}: {_who(new_primary.recruiter)} is now the primary recruiter and "
                    f"{_who(new_backup.recruiter)} the backup, from today.",
                )
                back = requisition_assignments_url(requisition.pk)
                return see_other(local_url_or(request, form.cleaned_data["next"], back))
    errors = [message for messages_ in form.errors.values() for message in messages_]
    return _requisition_page(request, requisition, swap_errors=errors, status=400)
