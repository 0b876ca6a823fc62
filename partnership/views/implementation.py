"""The implementation checklist of an engagement: its steps with their owner side and person, due
and done dates, notes and progress; the forms to add, edit, move, mark done, reopen and delete a
step; and, once every step is done while the engagement is still in its implementation, the offer
to move it to active.

Thin, like the other pages: the engagement comes through ``engagement_list`` (not visible: 404, as
is a task of an engagement the viewer does not see); every rule is in
``engagements.implementation``, whose ``ValidationError`` is shown beside the field it names (400)
and whose refusals are a 403. Each successful POST answers ``see_other``; marking a done task done
again (a double click, Back and send again) changes nothing and says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engagements import implementation as checklist
from engagements.local_dates import engagement_today
from engagements.models import Engagement, ImplementationTask
from engagements.policies import (
    MAY_NOT_CHANGE_CHECKLIST,
    MAY_NOT_CHANGE_ENGAGEMENT,
    can_change_checklist,
    can_complete_task,
    can_manage_engagement,
)
from engagements.selectors import engagement_list, implementation_progress, implementation_task_list
from engagements.services import engagement_update
from rpo_portal.pages import add_service_errors, forbidden, form_status, not_found, render_page, see_other

from ..implementation_forms import MoveForm, TaskForm
from ..items import engagement_people


def checklist_url(engagement_id: int) -> str:
    return reverse("partnership:implementation", kwargs={"pk": engagement_id})


def _visible_engagement(request: HttpRequest, pk: int) -> Engagement | None:
    return engagement_list(user=request.user).filter(pk=pk).first()


def _visible_task(request: HttpRequest, pk: int) -> ImplementationTask | None:
    task = ImplementationTask.objects.filter(pk=pk).only("id", "engagement_id").first()
    if task is None:
        return None
    engagement = _visible_engagement(request, task.engagement_id)
    if engagement is None:
        return None
    task = ImplementationTask.objects.select_related("owner").get(pk=pk)
    task.engagement = engagement  # with its prefetched account managers, for the policies
    return task


def may_activate(user, engagement: Engagement, progress) -> bool:
    """The offer to move the engagement to active: every step done, still in implementation, and
    the viewer may change the engagement's status (``engagement_update``'s rule)."""
    return (
        progress.all_done
        and engagement.status == Engagement.Status.IMPLEMENTATION
        and can_manage_engagement(user, engagement)
    )


@never_cache
@login_required
@require_GET
def implementation_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    tasks = list(implementation_task_list(engagement=engagement))
    for task in tasks:
        task.engagement = engagement  # with its prefetched account managers, for the policies
    progress = implementation_progress(engagement=engagement, tasks=tasks)
    may_change = can_change_checklist(user, engagement)
    today = engagement_today(engagement)
    rows = [
        {
            "task": task,
            "overdue": task.completed_at is None and task.due_on is not None and task.due_on < today,
            "may_complete": can_complete_task(user, task),
            "first": index == 0,
            "last": index == len(tasks) - 1,
        }
        for index, task in enumerate(tasks)
    ]
    context = {
        "engagement": engagement,
        "rows": rows,
        "progress": progress,
        "may_change": may_change,
        "may_activate": may_activate(user, engagement, progress),
        "today": today,
    }
    return render_page(request, "partnership/implementation/checklist.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def implementation_task_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    if not can_change_checklist(user, engagement):
        return forbidden(request, MAY_NOT_CHANGE_CHECKLIST)
    people = engagement_people(engagement=engagement)
    if request.method == "POST":
        form = TaskForm(request.POST, people=people)
        if form.is_valid():
            try:
                task = checklist.implementation_task_create(actor=user, engagement=engagement, **form.cleaned_data)
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Step added: {task.title}.")
                return see_other(checklist_url(engagement.pk) + f"#task-{task.pk}")
    else:
        form = TaskForm(initial={"owner_side": ImplementationTask.Side.PROVIDER}, people=people)
    context = {"engagement": engagement, "form": form, "task": None, "today": engagement_today(engagement)}
    return render_page(request, "partnership/implementation/task_form.html", context, status=form_status(form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def implementation_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = _visible_task(request, pk)
    if task is None:
        return not_found(request)
    engagement = task.engagement
    if not can_change_checklist(user, engagement):
        return forbidden(request, MAY_NOT_CHANGE_CHECKLIST)
    people = engagement_people(engagement=engagement)
    if request.method == "POST":
        form = TaskForm(request.POST, people=people)
        if form.is_valid():
            try:
                checklist.implementation_task_update(actor=user, task=task, **form.cleaned_data)
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Step saved: {form.cleaned_data['title'].strip()}.")
                return see_other(checklist_url(engagement.pk) + f"#task-{task.pk}")
    else:
        form = TaskForm(
            initial={field: getattr(task, field) for field in ("title", "owner_side", "due_on", "notes")}
            | {"owner": task.owner_id},
            people=people,
        )
    context = {"engagement": engagement, "form": form, "task": task, "today": engagement_today(engagement)}
    return render_page(request, "partnership/implementation/task_form.html", context, status=form_status(form))


@login_required
@require_POST
def implementation_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = _visible_task(request, pk)
    if task is None:
        return not_found(request)
    try:
        done = checklist.implementation_task_complete(actor=user, task=task)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    if not done:
        messages.info(request, f"\u201c{task.title}\u201d was already done: nothing changed.")
        return see_other(checklist_url(task.engagement_id) + f"#task-{task.pk}")
    engagement = task.engagement
    progress = implementation_progress(engagement=engagement)
    if progress.all_done and engagement.status == Engagement.Status.IMPLEMENTATION:
        messages.success(
            request,
            f"\u201c{task.title}\u201d is done, and with it every step of the checklist."
            + (" The engagement can move to active now." if may_activate(user, engagement, progress) else ""),
        )
        return see_other(checklist_url(engagement.pk) + "#activate")
    messages.success(request, f"\u201c{task.title}\u201d is done ({progress.done} of {progress.total} steps).")
    return see_other(checklist_url(engagement.pk) + f"#task-{task.pk}")


@login_required
@require_POST
def implementation_task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    if task is None:
        return not_found(request)
    try:
        reopened = checklist.implementation_task_reopen(actor=request.user, task=task)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    if reopened:
        messages.success(request, f"\u201c{task.title}\u201d is open again.")
    else:
        messages.info(request, f"\u201c{task.title}\u201d was open already: nothing changed.")
    return see_other(checklist_url(task.engagement_id) + f"#task-{task.pk}")


@login_required
@require_POST
def implementation_task_move(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    if task is None:
        return not_found(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Move a step up or down: nothing was changed.")
        return see_other(checklist_url(task.engagement_id))
    try:
        checklist.implementation_task_move(actor=request.user, task=task, direction=form.cleaned_data["direction"])
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    return see_other(checklist_url(task.engagement_id) + f"#task-{task.pk}")


@login_required
@require_POST
def implementation_task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    if task is None:
        # Deleted already (a double click), or never visible: the checklist says nothing changed.
        return not_found(request)
    try:
        checklist.implementation_task_delete(actor=request.user, task=task)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    messages.success(request, f"Step deleted: {task.title}.")
    return see_other(checklist_url(task.engagement_id))


@login_required
@require_POST
def implementation_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the engagement to active from the checklist's offer (``engagement_update``)."""
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    if engagement.status == Engagement.Status.ACTIVE:
        messages.info(request, "The engagement is active already.")
        return see_other(reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk}))
    if engagement.status != Engagement.Status.IMPLEMENTATION:
        messages.error(request, f"The engagement is {engagement.get_status_display().lower()}: nothing was changed.")
        return see_other(checklist_url(engagement.pk))
    if not can_manage_engagement(user, engagement):
        return forbidden(request, MAY_NOT_CHANGE_ENGAGEMENT)
    try:
        engagement_update(actor=user, engagement=engagement, status=Engagement.Status.ACTIVE)
    except PermissionDenied as refused:
        return forbidden(request, str(refused))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return see_other(checklist_url(engagement.pk))
    messages.success(request, f"{engagement.name} is active: the implementation is complete.")
    return see_other(reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk}))


def engagement_page_context(engagement: Engagement) -> dict:
    """The engagement page's implementation section: the checklist's progress while the engagement
    is in its implementation (one query then; none after)."""
    if engagement.status != Engagement.Status.IMPLEMENTATION:
        return {"implementation_progress": None}
    return {"implementation_progress": implementation_progress(engagement=engagement)}
