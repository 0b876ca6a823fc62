"""The start page, ``home`` (no namespace: Django's LOGIN_REDIRECT_URL and every page's header
name it)."""

from django.urls import path

from .views.home import home

urlpatterns = [path("", home, name="home")]
