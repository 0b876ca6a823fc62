"""Placeholder: the engagement pages (owned by the engagement-pages work)."""

from django.http import Http404


def engagement_list(request):
    raise Http404


def engagement_detail(request, pk):
    raise Http404


def engagement_scorecard_csv(request, pk):
    raise Http404
