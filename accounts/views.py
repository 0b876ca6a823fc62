"""Placeholder: account pages (role home, out-of-office, the client admin's team)."""

from django.http import Http404
from django.views.generic import TemplateView

home = TemplateView.as_view(template_name="home.html")


def out_of_office(request):
    raise Http404


def out_of_office_delete(request, pk):
    raise Http404


def team(request):
    raise Http404


def team_invite(request):
    raise Http404


def team_member_active(request, pk):
    raise Http404
