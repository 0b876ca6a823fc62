"""The oracle for ``Requisition.waiting_on_client_since``: the value computed straight from the one
set (``feedback.selectors.requests_waiting_on_client``), which the services keep stored."""

from datetime import datetime

from django.db.models import Min

from feedback.models import AvailabilityRequest, FeedbackRequest
from feedback.selectors import requests_waiting_on_client


def oldest_wait_by_requisition(*, requisition_ids) -> dict[int, datetime]:
    """Since when the oldest open request of each requisition waits on the client side; only the
    requisitions with something waiting."""
    oldest: dict[int, datetime] = {}
    for model in (FeedbackRequest, AvailabilityRequest):
        rows = (
            requests_waiting_on_client(model, requisition_ids=requisition_ids)
            .values_list("submission__requisition_id")
            .annotate(oldest=Min("created_at"))
        )
        for requisition_id, at in rows:
            if requisition_id not in oldest or at < oldest[requisition_id]:
                oldest[requisition_id] = at
    return oldest
