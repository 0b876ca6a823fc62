"""Personas shared by the suite.

One provider ("Talentbridge") serves two clients, Acme and Globex, each with an engagement.
Every role exists on each side, so access tests can ask "who sees what" of real people:

- provider: ``provider_admin``, ``account_manager`` (manages Acme only), ``recruiter`` (primary on
  an Acme requisition), ``sourcer`` (sourcer on it), ``idle_recruiter`` (no assignment at all);
- Acme: ``hiring_manager`` (owns ``requisition``), ``other_hiring_manager`` (owns
  ``other_requisition`` in Acme), ``client_admin``;
- Globex (the outsider tenant): ``globex_hiring_manager``, ``globex_admin``, ``globex_requisition``.
"""

import os
from dataclasses import dataclass

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from engagements.models import Assignment

from . import factories


def _services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_runtest_setup(item):
    # In CI (REQUIRE_SERVICES=1) a test that needs a service runs, and fails if it is missing.
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql" and not _services_required():
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL") and not _services_required():
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@dataclass
class World:
    provider: object
    acme: object
    globex: object
    acme_engagement: object
    globex_engagement: object
    provider_admin: User
    account_manager: User
    recruiter: User
    sourcer: User
    idle_recruiter: User
    hiring_manager: User
    other_hiring_manager: User
    client_admin: User
    globex_hiring_manager: User
    globex_admin: User
    globex_recruiter: User
    requisition: object
    other_requisition: object
    globex_requisition: object


@pytest.fixture
def world(db) -> World:
    provider = factories.ProviderFactory(name="Talentbridge RPO")
    acme = factories.OrganizationFactory(name="Acme")
    globex = factories.OrganizationFactory(name="Globex", time_zone="Europe/Berlin")

    def staff(role, name):
        return factories.UserFactory(
            organization=provider, role=role, full_name=name, email=f"{name.lower()}@tb.example"
        )

    provider_admin = staff(User.Role.PROVIDER_ADMIN, "Pat")
    account_manager = staff(User.Role.ACCOUNT_MANAGER, "Alma")
    recruiter = staff(User.Role.RECRUITER, "Rita")
    sourcer = staff(User.Role.SOURCER, "Sam")
    idle_recruiter = staff(User.Role.RECRUITER, "Ivan")
    globex_recruiter = staff(User.Role.RECRUITER, "Greta")

    acme_engagement = factories.EngagementFactory(provider=provider, client=acme, name="Acme partnership")
    acme_engagement.account_managers.set([account_manager])
    globex_engagement = factories.EngagementFactory(
        provider=provider, client=globex, name="Globex partnership", time_zone="Europe/Berlin"
    )

    hiring_manager = factories.UserFactory(organization=acme, role=User.Role.HIRING_MANAGER, email="hm@acme.example")
    other_hiring_manager = factories.UserFactory(
        organization=acme, role=User.Role.HIRING_MANAGER, email="hm2@acme.example"
    )
    client_admin = factories.UserFactory(organization=acme, role=User.Role.CLIENT_ADMIN, email="admin@acme.example")
    globex_hiring_manager = factories.UserFactory(
        organization=globex, role=User.Role.HIRING_MANAGER, email="hm@globex.example", time_zone="Europe/Berlin"
    )
    globex_admin = factories.UserFactory(organization=globex, role=User.Role.CLIENT_ADMIN, email="admin@globex.example")

    requisition = factories.RequisitionFactory(engagement=acme_engagement, hiring_manager=hiring_manager, code="ACME-1")
    other_requisition = factories.RequisitionFactory(
        engagement=acme_engagement, hiring_manager=other_hiring_manager, code="ACME-2"
    )
    globex_requisition = factories.RequisitionFactory(
        engagement=globex_engagement, hiring_manager=globex_hiring_manager, code="GLX-1"
    )
    factories.AssignmentFactory(requisition=requisition, recruiter=recruiter, role=Assignment.Role.PRIMARY)
    factories.AssignmentFactory(requisition=requisition, recruiter=sourcer, role=Assignment.Role.SOURCER)
    factories.AssignmentFactory(
        requisition=globex_requisition, recruiter=globex_recruiter, role=Assignment.Role.PRIMARY
    )

    return World(
        provider=provider,
        acme=acme,
        globex=globex,
        acme_engagement=acme_engagement,
        globex_engagement=globex_engagement,
        provider_admin=provider_admin,
        account_manager=account_manager,
        recruiter=recruiter,
        sourcer=sourcer,
        idle_recruiter=idle_recruiter,
        hiring_manager=hiring_manager,
        other_hiring_manager=other_hiring_manager,
        client_admin=client_admin,
        globex_hiring_manager=globex_hiring_manager,
        globex_admin=globex_admin,
        globex_recruiter=globex_recruiter,
        requisition=requisition,
        other_requisition=other_requisition,
        globex_requisition=globex_requisition,
    )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(api_client):
    """``client_for(user)``: an API client logged in as ``user`` with a (knox) token."""
    from knox.models import AuthToken

    def make(user):
        _, key = AuthToken.objects.create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture(autouse=True)
def _every_zone_counts_as_in_use():
    """engagements.local_dates reads the time zones engagements use once a minute per process. In
    the tests every zone counts as in use, as if each had an engagement: whatever a test's data, the
    dates are exact, and no test's query count depends on whether that minute's read came before it
    (tests/engagements/test_local_dates.py reads the real ones)."""
    from accounts.models import TIME_ZONE_CHOICES
    from engagements.local_dates import forget_zones_in_use

    forget_zones_in_use(known=frozenset(name for name, _label in TIME_ZONE_CHOICES))
    yield
    forget_zones_in_use()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (computed scorecards are cached)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
