"""Where each role lands: the start page sends a signed-in person straight to the page their role
comes for (PRODUCT.md, "Who uses it"); others see the landing page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from engagements.selectors import engagement_list

ROLE_HOME = {
    User.Role.ACCOUNT_MANAGER: "partnership:engagement-list",
    User.Role.PROVIDER_ADMIN: "partnership:engagement-list",
    User.Role.RECRUITER: "partnership:requisition-list",
    User.Role.SOURCER: "partnership:requisition-list",
    User.Role.HIRING_MANAGER: "feedback:inbox",
    User.Role.CLIENT_ADMIN: "partnership:engagement-list",
}


def role_home_url(user: User) -> str:
    if user.is_unscoped_admin:
        return reverse("partnership:engagement-list")
    if user.role == User.Role.CLIENT_ADMIN:
        # A client usually has one partnership: its scorecard is the page they come for.
        only = list(engagement_list(user=user).values_list("pk", flat=True)[:2])
        if len(only) == 1:
            return reverse("partnership:engagement-detail", args=[only[0]])
    return reverse(ROLE_HOME.get(user.role, "feedback:inbox"))


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: straight to the page the role comes for. Otherwise the landing page."""
    if request.user.is_authenticated:
        return redirect(role_home_url(request.user))
    return render(request, "home.html")
