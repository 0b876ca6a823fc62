"""Erasing a candidate's personal data from the pages: a confirmation page that says what goes and
what stays (GET), then the erasure (POST) and back to the requisition the account manager came from.

Thin, like the others: the candidate comes through ``candidate_list`` (not visible: 404), the
policy decides who may (others: 403), and ``candidate_erase`` does the work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from engagements.policies import MAY_NOT_ERASE_CANDIDATE, can_erase_candidate
from engagements.selectors import candidate_list, submission_list
from engagements.services import candidate_erase
from rpo_portal.pages import forbidden, local_url_or, not_found, render_page, see_other


def _back(request: HttpRequest, default: str) -> str:
    """A local ``next`` (the requisition page the link was on), else ``default``."""
    return local_url_or(request, request.POST.get("next") or request.GET.get("next", ""), default)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def candidate_erase_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    candidate = candidate_list(user=user).prefetch_related("engagement__account_managers").filter(pk=pk).first()
    if candidate is None:
        return not_found(request)
    if not can_erase_candidate(user, candidate.engagement):
        return forbidden(request, MAY_NOT_ERASE_CANDIDATE)
    submissions = list(submission_list(user=user).filter(candidate_id=candidate.pk).order_by("submitted_at"))
    back = _back(
        request,
        reverse("partnership:requisition-detail", kwargs={"pk": submissions[0].requisition_id})
        if submissions
        else reverse("partnership:requisition-list"),
    )
    if request.method == "POST":
        try:
            candidate_erase(actor=user, candidate=candidate)
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        messages.success(
            request,
            f"The personal data of candidate #{candidate.pk} was erased. Their submissions and the figures stay.",
        )
        return see_other(back)
    context = {"candidate": candidate, "submissions": submissions, "back": back}
    return render_page(request, "partnership/candidates/erase.html", context)
