"""The issues pages (issue 10): an engagement's issues and wins with filters, raising an issue,
one issue with its timeline and the forms to comment, move its status and follow it.

Thin, like the other pages: the engagement or issue comes through the selectors (not visible:
404); who may raise, change and reopen is ``partnership.policies``; every rule of an issue is in
``partnership.items.services``, whose ``ValidationError`` is shown beside the field it names with
status 400, and whose ``Conflict`` (a double submit, a page gone stale) is said in a message with
the issue shown as it is now. Each successful POST answers ``see_other`` (post/redirect/get).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Requisition
from engagements.selectors import engagement_list, requisition_list, requisitions_in_care_of
from rpo_portal.conflicts import Conflict
from rpo_portal.pages import add_service_errors, forbidden, form_status, not_found, render_page, see_other

from .. import policies
from ..item_forms import STATUS_FORMS, CommentForm, IssueForm, ItemFilterForm
from ..items import (
    ItemFilters,
    engagement_item_log,
    engagement_people,
    issue_comment,
    issue_raise,
    issue_set_status,
    issue_update,
    item_follow,
    item_followers,
    item_timeline,
    item_unfollow,
    partnership_item_list,
)
from ..models import PartnershipItem

ITEMS_PER_PAGE = 25
Status = PartnershipItem.Status


def issue_url(item_id: int) -> str:
    return reverse("partnership:issue-detail", kwargs={"pk": item_id})


def _visible_engagement(request: HttpRequest, pk: int) -> Engagement | None:
    return engagement_list(user=request.user).filter(pk=pk).first()


def _visible_item(request: HttpRequest, pk: int) -> PartnershipItem | None:
    return (
        partnership_item_list(user=request.user).prefetch_related("engagement__account_managers").filter(pk=pk).first()
    )


# --- The engagement's issues and wins ----------------------------------------------------------------


@never_cache
@login_required
@require_GET
def issue_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    people = engagement_people(engagement=engagement)
    filter_form = ItemFilterForm(request.GET or None, people=people)
    filters = ItemFilters()
    if filter_form.is_bound:
        filter_form.is_valid()  # a bad value drops that filter alone; the others still apply
        data = filter_form.cleaned_data
        owner = data.get("owner")
        filters = ItemFilters(
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            owner=owner.pk if owner else None,
            side=data.get("side", ""),
        )
    items = engagement_item_log(user=user, engagement=engagement, filters=filters)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    today = engagement_today(engagement)
    now = timezone.now()
    rows = [{"item": item, "overdue": item.is_overdue_at(now)} for item in page.object_list]
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "engagement": engagement,
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "query_prefix": f"{urlencode(kept)}&" if kept else "",
        "filtered": bool(kept),
        "may_raise": policies.runs_engagement(user, engagement) or _raisable_requisitions(user, engagement).exists(),
        "today": today,
    }
    return render_page(request, "partnership/items/list.html", context)


# --- Raising an issue -------------------------------------------------------------------------------


def _raisable_requisitions(user: User, engagement: Engagement) -> QuerySet[Requisition]:
    """The requisitions the form offers: all of the engagement's to those who run it; a hiring
    manager's own; a recruiter's or sourcer's in their care (``policies.can_raise_issue``)."""
    visible = requisition_list(user=user).filter(engagement_id=engagement.pk).order_by("code", "pk")
    if policies.runs_engagement(user, engagement):
        return visible
    if user.role == User.Role.HIRING_MANAGER:
        return visible.filter(hiring_manager_id=user.pk)
    if user.is_provider_staff:
        return visible.filter(pk__in=requisitions_in_care_of(user=user).values("id"))
    return visible.none()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def issue_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = _visible_engagement(request, pk)
    if engagement is None:
        return not_found(request)
    runs = policies.runs_engagement(user, engagement)
    requisitions = _raisable_requisitions(user, engagement)
    if not runs and not requisitions.exists():
        return forbidden(request, policies.MAY_NOT_RAISE_ISSUE)
    people = engagement_people(engagement=engagement)
    if request.method == "POST":
        form = IssueForm(request.POST, people=people, requisitions=requisitions)
    else:
        initial = {}
        asked = request.GET.get("requisition", "")
        if asked.isdigit():
            initial["requisition"] = requisitions.filter(pk=int(asked)).values_list("pk", flat=True).first()
        form = IssueForm(initial=initial, people=people, requisitions=requisitions)
    if not runs:
        form.fields["requisition"].required = True
        form.fields["requisition"].empty_label = "Choose the requisition"
        form.fields["requisition"].error_messages["required"] = "Choose the requisition the issue is about."
    if form.is_bound and form.is_valid():
        try:
            item = issue_raise(actor=user, engagement=engagement, **form.cleaned_data)
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Issue raised: {item.owner.display_name} owns the next step.")
            return see_other(issue_url(item.pk))
    context = {"engagement": engagement, "form": form, "today": engagement_today(engagement)}
    return render_page(request, "partnership/items/new.html", context, status=form_status(form))


# --- One issue --------------------------------------------------------------------------------------


def _status_forms(user: User, item: PartnershipItem, bound=None) -> dict:
    """The status forms the viewer may use on this issue, keyed by their action."""
    if not item.is_issue:
        return {}
    actions = []
    if item.status in (Status.RESOLVED, Status.DECLINED):
        if policies.can_reopen_issue(user, item):
            actions = ["reopen"]
    elif policies.can_change_issue(user, item):
        actions = ["in_progress" if item.status == Status.OPEN else "open", "resolved", "declined"]
    forms_ = {}
    for action in actions:
        if bound is not None and bound[0] == action:
            forms_[action] = bound[1]
        else:
            forms_[action] = STATUS_FORMS[action](initial={"expected": item.status})
    return forms_


def _item_page(
    request: HttpRequest,
    item: PartnershipItem,
    *,
    comment_form: CommentForm | None = None,
    status_form: tuple[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    engagement = item.engagement
    today = engagement_today(engagement)
    followers = item_followers(item=item)
    context = {
        "item": item,
        "engagement": engagement,
        "timeline": item_timeline(item=item),
        "followers": followers,
        "following": any(follower.pk == user.pk for follower in followers),
        "comment_form": comment_form or CommentForm(),
        "status_forms": _status_forms(user, item, status_form),
        "may_edit": item.is_issue and item.is_chased and policies.can_change_issue(user, item),
        "overdue": item.is_overdue,
        "today": today,
        "thanked": list(item.thanked.all()) if not item.is_issue else [],
    }
    return render_page(request, "partnership/items/detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if item is None:
        return not_found(request)
    return _item_page(request, item)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _visible_item(request, pk)
    if item is None or not item.is_issue:
        return not_found(request)
    if not policies.can_change_issue(user, item):
        return forbidden(request, policies.MAY_NOT_CHANGE_ISSUE)
    if not item.is_chased:
        messages.info(request, f"This issue is {item.get_status_display().lower()}: reopen it to change it.")
        return see_other(issue_url(item.pk))
    people = engagement_people(engagement=item.engagement)
    if request.method == "POST":
        form = IssueForm(request.POST, people=people)
        if form.is_valid():
            try:
                issue_update(actor=user, item=item, **form.cleaned_data)
            except PermissionDenied as refused:
                return forbidden(request, str(refused))
            except Conflict as conflict:
                messages.error(request, " ".join(conflict.messages))
                return see_other(issue_url(item.pk))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Issue updated.")
                return see_other(issue_url(item.pk))
    else:
        form = IssueForm(
            initial={
                field: getattr(item, field)
                for field in ("title", "what_happened", "impact", "proposed_next_step", "due_on")
            }
            | {"owner": item.owner_id},
            people=people,
        )
    context = {"item": item, "engagement": item.engagement, "form": form, "today": engagement_today(item.engagement)}
    return render_page(request, "partnership/items/edit.html", context, status=form_status(form))


@login_required
@require_POST
def issue_comment_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if item is None:
        return not_found(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            issue_comment(actor=request.user, item=item, body=form.cleaned_data["body"])
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Comment added. Followers are told.")
            return see_other(issue_url(item.pk) + "#timeline")
    return _item_page(request, item, comment_form=form, status=400)


@login_required
@require_POST
def issue_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _visible_item(request, pk)
    if item is None:
        return not_found(request)
    action = request.POST.get("action", "")
    form_class = STATUS_FORMS.get(action)
    if form_class is None or not item.is_issue:
        messages.error(request, "That change is not offered for this issue: nothing was changed.")
        return _item_page(request, item, status=400)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            issue_set_status(
                actor=user,
                item=item,
                status=Status.OPEN if action == "reopen" else action,
                note=form.note(),
                expected_status=form.cleaned_data["expected"],
                due_on=form.cleaned_data.get("due_on"),
            )
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        except Conflict as conflict:
            # A double submit or a page gone stale: say so and show the issue as it is now.
            messages.info(request, " ".join(conflict.messages))
            return see_other(issue_url(item.pk))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "reopened" if action == "reopen" else f"now {item.get_status_display().lower()}"
            messages.success(request, f"The issue is {done}. Followers are told.")
            return see_other(issue_url(item.pk))
    return _item_page(request, item, status_form=(action, form), status=400)


@login_required
@require_POST
def issue_follow_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _visible_item(request, pk)
    if item is None:
        return not_found(request)
    if request.POST.get("follow") == "0":
        item_unfollow(user=user, item=item)
        messages.success(request, "You no longer follow this issue.")
    else:
        try:
            item_follow(user=user, item=item)
        except PermissionDenied as refused:
            return forbidden(request, str(refused))
        messages.success(request, "You follow this issue: you are told of each comment and status change.")
    return see_other(issue_url(item.pk))
