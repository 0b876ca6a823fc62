"""The quarterly business review pack of an engagement: the page (``?quarter=2026-Q3``, by default
the last complete quarter), its PDF and its CSV (``partnership.qbr``).

Who: the engagement comes from ``engagement_list`` (not there, e.g. another client's: 404); among
those who see it, only those who run the partnership read the pack (``can_read_review_pack``):
everyone else (a recruiter, a hiring manager) is refused (403) with the reason. A ``quarter`` that
is not one, has not started, or is before the engagement: the page shows the default quarter and
says why; a download refuses (400) rather than hand over a file of another quarter than the one
asked for. A server that cannot load WeasyPrint answers the PDF with a 503 page saying so.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from engagements import selectors as engagement_selectors
from engagements.models import Engagement
from feedback.cost_of_waiting import MIN_CANDIDATES as COST_OF_WAITING_MIN_CANDIDATES
from rpo_portal.pages import UTC_ZONE, forbidden, not_found, render_page

from ..qbr import (
    MAY_NOT_READ_REVIEW_PACK,
    PdfUnavailable,
    can_read_review_pack,
    choose_quarter,
    engagement_quarters,
    render_pdf,
    review_csv,
    review_pack,
)
from ..scorecard import format_value


def _review_engagement(request: HttpRequest, pk: int) -> tuple[Engagement | None, HttpResponse | None]:
    engagement = engagement_selectors.engagement_list(user=request.user).filter(pk=pk).first()
    if engagement is None:
        return None, not_found(request)
    if not can_read_review_pack(request.user, engagement):
        return None, forbidden(request, MAY_NOT_READ_REVIEW_PACK)
    return engagement, None


def _context(engagement: Engagement, quarter, *, message: str, now) -> dict:
    pack = review_pack(engagement=engagement, quarter=quarter, now=now)
    query = "?" + urlencode({"quarter": quarter.key})
    context = {
        "engagement": engagement,
        "pack": pack,
        "scorecard_sides": [
            ("Client side", engagement.client.name, pack.client_rows),
            ("Provider side", engagement.provider.name, pack.provider_rows),
        ],
        "hiring_manager_rows": [
            {
                "row": row,
                "on_time": format_value(row.on_time_share, "percent"),
                "turnaround": format_value(row.median_turnaround_hours, "hours"),
            }
            for row in pack.hiring_managers
        ],
        "cost_min": COST_OF_WAITING_MIN_CANDIDATES,
        "before_start": any(item.scorecard is None for item in pack.quarters),
        "quarter": quarter,
        "quarter_message": message,
        "quarter_choices": engagement_quarters(engagement, now=now),
        "pdf_url": reverse("partnership:engagement-review-pdf", kwargs={"pk": engagement.pk}) + query,
        "csv_url": reverse("partnership:engagement-review-csv", kwargs={"pk": engagement.pk}) + query,
        "pack_url": reverse("partnership:engagement-review", kwargs={"pk": engagement.pk}),
    }
    return context


def _refused_download(request: HttpRequest, engagement: Engagement, message: str) -> HttpResponse:
    context = {
        "engagement": engagement,
        "message": message,
        "pack_url": reverse("partnership:engagement-review", kwargs={"pk": engagement.pk}),
    }
    return render_page(request, "partnership/review_refused.html", context, status=400)


def _filename(engagement: Engagement, quarter, extension: str) -> str:
    name = slugify(engagement.client.name) or slugify(engagement.name) or "engagement"
    return f"{name}-{quarter.key}-review.{extension}"


def _download(content, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def engagement_review(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _review_engagement(request, pk)
    if refusal is not None:
        return refusal
    now = timezone.now()
    quarter, message = choose_quarter(engagement, request.GET.get("quarter"), now=now)
    context = _context(engagement, quarter, message=message, now=now)
    return render_page(request, "partnership/review.html", context)


@login_required
@require_GET
def engagement_review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _review_engagement(request, pk)
    if refusal is not None:
        return refusal
    now = timezone.now()
    quarter, message = choose_quarter(engagement, request.GET.get("quarter"), now=now)
    if message:
        return _refused_download(request, engagement, message)
    context = _context(engagement, quarter, message="", now=now)
    # Rendered without the request (no navigation, no person's details), in the reader's zone.
    zone = getattr(request.user, "zone", None) or UTC_ZONE
    with timezone.override(zone):
        html = render_to_string("partnership/review_pdf.html", {**context, "zone_name": str(zone)})
    try:
        pdf = render_pdf(html)
    except PdfUnavailable:
        return render_page(
            request,
            "partnership/review_unavailable.html",
            {"engagement": engagement, "pack_url": context["pack_url"], "quarter": context["quarter"]},
            status=503,
        )
    return _download(pdf, content_type="application/pdf", filename=_filename(engagement, context["quarter"], "pdf"))


@login_required
@require_GET
def engagement_review_csv(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _review_engagement(request, pk)
    if refusal is not None:
        return refusal
    now = timezone.now()
    quarter, message = choose_quarter(engagement, request.GET.get("quarter"), now=now)
    if message:
        return _refused_download(request, engagement, message)
    context = _context(engagement, quarter, message="", now=now)
    return _download(
        review_csv(context["pack"]),
        content_type="text/csv; charset=utf-8",
        filename=_filename(engagement, context["quarter"], "csv"),
    )
