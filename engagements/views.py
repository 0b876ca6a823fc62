"""Placeholder: pages that change engagement data (SLA form, add and submit a candidate, move a stage)."""

from django.http import Http404


def engagement_sla(request, pk):
    raise Http404


def candidate_submit(request, requisition_pk):
    raise Http404


def submission_move(request, pk):
    raise Http404
