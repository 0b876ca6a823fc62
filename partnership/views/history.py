"""The History pages (issue 11's audit trail): who changed what, when, from which value to which.

- ``/engagements/<id>/history/``: for those who run the engagement (``policies.runs_engagement``:
  its account managers, the provider's admins, the client's admins). Not visible: 404; visible but
  not theirs to read (a recruiter, a hiring manager): 403.
- ``/history/``: everything, for provider admins (and the bootstrap admin), filterable by engagement.

Both filter by what changed, who and a period (whole days in the engagement's zone, or the
viewer's); a bad filter is said next to its field (status 400) and the rest still apply. 50 rows a
page, newest first, in a constant number of queries (``partnership.audit.display``).
"""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engagements.selectors import engagement_list
from rpo_portal.pages import forbidden, not_found, render_page

from .. import policies
from ..audit.display import history_rows
from ..audit.forms import HistoryFilterForm
from ..audit.selectors import actors_of, can_read_whole_history, engagement_history, history_list

ENTRIES_PER_PAGE = 50
MAY_NOT_READ_HISTORY = "The History of an engagement is for its account managers and the admins of both sides."
MAY_NOT_READ_WHOLE_HISTORY = "The whole History is for the provider's admins."


def _page(request: HttpRequest, entries, filter_form: HistoryFilterForm, *, zone, context: dict, template: str):
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        **context,
        "filter_form": filter_form,
        "page": page,
        "rows": history_rows(page.object_list, viewer_zone=zone),
        "query_prefix": f"{urlencode(kept)}&" if kept else "",
        "filtered": bool(kept),
        "refused": filter_form.is_bound and bool(filter_form.errors),
    }
    return render_page(request, template, context, status=400 if context["refused"] else 200)


@never_cache
@login_required
@require_GET
def engagement_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = engagement_list(user=user).filter(pk=pk).first()
    if engagement is None:
        return not_found(request)
    if not policies.runs_engagement(user, engagement):
        return forbidden(request, MAY_NOT_READ_HISTORY)
    zone = zoneinfo.ZoneInfo(engagement.time_zone)
    filter_form = HistoryFilterForm(request.GET or None, actors=actors_of(engagement_history(engagement=engagement)))
    filter_form.is_valid()
    entries = engagement_history(engagement=engagement, filters=filter_form.filters(zone=zone))
    return _page(
        request,
        entries,
        filter_form,
        zone=zone,
        context={"engagement": engagement, "zone_label": engagement.time_zone},
        template="partnership/history/engagement.html",
    )


@never_cache
@login_required
@require_GET
def history_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_read_whole_history(user):
        return forbidden(request, MAY_NOT_READ_WHOLE_HISTORY)
    zone = user.zone
    filter_form = HistoryFilterForm(
        request.GET or None,
        actors=actors_of(history_list(user=user)),
        engagements=engagement_list(user=user).order_by("name", "pk"),
    )
    filter_form.is_valid()
    entries = history_list(user=user, filters=filter_form.filters(zone=zone))
    return _page(
        request,
        entries,
        filter_form,
        zone=zone,
        context={"zone_label": str(zone)},
        template="partnership/history/list.html",
    )
