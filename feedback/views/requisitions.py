"""Placeholder: "my requisitions" and the requisition page (owned by the requisition-pages work)."""

from django.http import Http404


def requisition_list(request):
    raise Http404


def requisition_detail(request, pk):
    raise Http404
