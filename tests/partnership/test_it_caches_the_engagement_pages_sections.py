"""The engagement page's engagement-wide sections (implementation, open issues, wins, suggested
wins, pulse results, requisitions with who covers them) are rendered once per engagement version,
side, permissions, zone and page, and kept: a change made through a service shows at once for the
next viewer, nobody gets the fragment of another engagement or another side, the forms carry the
viewer's own CSRF token, and nothing the portal did not sign is served."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.activity import engagement_version
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement
from engagements.selectors import engagement_list
from engagements.services.contract import assignment_create, assignment_end, engagement_update
from partnership.items.services import issue_raise, issue_resolve
from partnership.models import PulseSurvey, SuggestedWin
from partnership.views import engagements as views
from partnership.wins import suggestion_dismiss, win_record
from tests import factories

from .pulse_kit import OPENING, answer, open_surveys


def detail(engagement, query: str = "") -> str:
    return reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk}) + query


def page_as(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def _suggestion(engagement, title: str) -> SuggestedWin:
    return SuggestedWin.objects.create(
        engagement=engagement,
        source=SuggestedWin.Source.ISSUE_RESOLVED,
        key=f"test:{title}",
        title=title,
        what_happened="It went well.",
        created_at=timezone.now(),
    )


# --- A change through a service shows at once for the next viewer ------------------------------


def test_an_issue_raised_and_resolved_shows_at_once(client, world, django_capture_on_commit_callbacks):
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "No open issues." in section(before, "issues-title")

    with django_capture_on_commit_callbacks(execute=True):
        issue = issue_raise(
            actor=world.account_manager,
            engagement=world.acme_engagement,
            title="Interview slots keep moving",
            what_happened="Three reschedules this week.",
            proposed_next_step="Fixed slots on Tuesdays.",
            owner=world.client_admin,
            due_on=timezone.localdate() + timedelta(days=7),
        )
    raised = page_as(client, world.provider_admin, detail(world.acme_engagement))
    assert "Interview slots keep moving" in section(raised, "issues-title")

    with django_capture_on_commit_callbacks(execute=True):
        issue_resolve(actor=world.account_manager, item=issue, resolution="Tuesdays it is.")
    resolved = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "Interview slots keep moving" not in section(resolved, "issues-title")


def test_a_win_recorded_shows_at_once(client, world, django_capture_on_commit_callbacks):
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "No wins recorded yet." in section(before, "wins-title")

    with django_capture_on_commit_callbacks(execute=True):
        win_record(
            actor=world.client_admin,
            engagement=world.acme_engagement,
            title="Filled ACME-1 in nine days",
            what_happened="A shortlist in two days.",
            thanked=[world.recruiter],
        )
    after = page_as(client, world.provider_admin, detail(world.acme_engagement))

    assert "Filled ACME-1 in nine days" in section(after, "wins-title")
    assert world.recruiter.display_name in section(after, "wins-title")


def test_a_suggestion_dismissed_goes_at_once(client, world, django_capture_on_commit_callbacks):
    _suggestion(world.acme_engagement, "Every feedback on time in October")
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "Every feedback on time in October" in section(before, "suggested-wins-title")

    suggestion = SuggestedWin.objects.get(engagement=world.acme_engagement)
    with django_capture_on_commit_callbacks(execute=True):
        assert suggestion_dismiss(actor=world.client_admin, suggestion=suggestion)
    after = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "Every feedback on time in October" not in after


def test_an_assignment_changed_shows_at_once(client, world, django_capture_on_commit_callbacks):
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    row = section(before, "requisitions-title").split("ACME-1</a>")[1].split("</tr>")[0]
    assert world.recruiter.display_name in row
    newcomer = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Nina Newcomer")

    primary = Assignment.objects.get(requisition=world.requisition, role=Assignment.Role.PRIMARY)
    today = engagement_today(world.acme_engagement)
    with django_capture_on_commit_callbacks(execute=True):
        ended = assignment_end(actor=world.account_manager, assignment=primary, ends_on=today)
        assignment_create(
            actor=world.account_manager,
            requisition=world.requisition,
            recruiter=newcomer,
            role=Assignment.Role.PRIMARY,
            starts_on=ended.ends_on,
        )
    after = page_as(client, world.provider_admin, detail(world.acme_engagement))

    row = section(after, "requisitions-title").split("ACME-1</a>")[1].split("</tr>")[0]
    assert "Nina Newcomer" in row


def test_a_pulse_answer_shows_in_the_response_rate_at_once(
    client, world, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(OPENING, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        survey = open_surveys()[world.acme_engagement.pk]
    before = section(page_as(client, world.account_manager, detail(world.acme_engagement)), "pulse-title")
    assert "0%" in before

    with django_capture_on_commit_callbacks(execute=True):
        answer(survey, world.client_admin)
    after = section(page_as(client, world.provider_admin, detail(world.acme_engagement)), "pulse-title")

    assert after != before
    client_rate = after.split("Response rate")[1].split("</tr>")[0]
    assert "0%" not in client_rate


def test_the_survey_waiting_on_the_viewer_is_their_own(client, world, time_machine):
    """The pulse survey waiting on the viewer's answer is asked per person, never shared."""
    time_machine.move_to(OPENING, tick=False)
    survey = open_surveys()[world.acme_engagement.pk]
    answer_url = reverse("partnership:pulse-answer", args=[survey.pk])

    assert answer_url in page_as(client, world.account_manager, detail(world.acme_engagement))
    assert answer_url in page_as(client, world.client_admin, detail(world.acme_engagement))
    answer(survey, world.client_admin)  # no bump needed: this part is never kept

    assert answer_url not in page_as(client, world.client_admin, detail(world.acme_engagement))
    assert answer_url in page_as(client, world.account_manager, detail(world.acme_engagement))


def heading(page: str) -> str:
    return page.split('class="engagement-header"')[1].split("</p>")[0].split('<p class="muted">')[1]


def test_the_heading_is_kept_with_the_sections_in_each_viewers_zone_and_shows_a_new_status_at_once(
    client, world, django_capture_on_commit_callbacks
):
    world.provider_admin.time_zone = "Asia/Tokyo"
    world.provider_admin.save(update_fields=["time_zone"])
    first = page_as(client, world.account_manager, detail(world.acme_engagement))
    colleague = page_as(client, world.provider_admin, detail(world.acme_engagement))

    assert heading(first) == f"Acme with Talentbridge RPO · Active · times in {world.account_manager.time_zone}"
    assert heading(colleague) == "Acme with Talentbridge RPO · Active · times in Asia/Tokyo"

    with django_capture_on_commit_callbacks(execute=True):
        engagement_update(actor=world.provider_admin, engagement=world.acme_engagement, status="paused")
    assert "· Paused ·" in heading(page_as(client, world.account_manager, detail(world.acme_engagement)))


def test_a_survey_that_closes_leaves_the_kept_page_at_once(client, world, time_machine):
    """The kept sections name the surveys open when they were rendered; one that closes since is
    no longer offered, though nothing bumped the version, and then nobody is asked about it."""
    time_machine.move_to(OPENING, tick=False)
    survey = open_surveys()[world.acme_engagement.pk]
    PulseSurvey.objects.filter(pk=survey.pk).update(closes_at=OPENING + timedelta(seconds=30))
    answer_url = reverse("partnership:pulse-answer", args=[survey.pk])
    assert answer_url in page_as(client, world.account_manager, detail(world.acme_engagement))

    time_machine.move_to(OPENING + timedelta(seconds=31), tick=False)  # the sections are still kept
    with CaptureQueriesContext(connection) as queries:
        page = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert answer_url not in page
    assert not [query for query in queries.captured_queries if "partnership_pulse" in query["sql"]]


# --- Nobody gets a fragment meant for someone else ---------------------------------------------


def test_each_side_gets_its_own_version_of_the_sections(client, world):
    """The account manager sees until when a colleague is away (provider staff see their absences);
    the client's admin reads only "is away"; whoever comes first, the other never gets theirs."""
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)

    provider_first = section(
        page_as(client, world.account_manager, detail(world.acme_engagement)), "requisitions-title"
    )
    client_page = section(page_as(client, world.client_admin, detail(world.acme_engagement)), "requisitions-title")
    provider_again = section(
        page_as(client, world.account_manager, detail(world.acme_engagement)), "requisitions-title"
    )

    assert f"{world.recruiter.display_name} is away until" in provider_first
    assert provider_again == provider_first
    assert f"{world.recruiter.display_name} is away" in client_page
    assert "is away until" not in client_page


def test_those_who_may_not_decide_never_get_the_suggestions(client, world):
    _suggestion(world.acme_engagement, "Every feedback on time in October")
    assert "Every feedback on time in October" in page_as(client, world.account_manager, detail(world.acme_engagement))

    recruiters_page = page_as(client, world.recruiter, detail(world.acme_engagement))

    assert "suggested-wins-title" not in recruiters_page
    assert "Every feedback on time in October" not in recruiters_page


def test_another_engagement_and_another_tenant_never_get_the_sections(client, world):
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    win_record(
        actor=world.client_admin,
        engagement=world.acme_engagement,
        title="Acme's own win",
        what_happened="Kept in the family.",
        thanked=[world.hiring_manager],
    )
    page_as(client, world.account_manager, detail(world.acme_engagement))  # Acme's sections are kept
    page_as(client, world.client_admin, detail(world.acme_engagement))

    client.force_login(world.globex_admin)
    assert client.get(detail(world.acme_engagement)).status_code == 404
    for viewer in (world.globex_admin, world.provider_admin):
        page = page_as(client, viewer, detail(world.globex_engagement))
        assert "Acme's own win" not in page
        assert "ACME-1" not in page
        assert "GLX-1</a>" in section(page, "requisitions-title")


def test_the_requisitions_page_asked_for_is_the_one_shown(client, world):
    for _ in range(30):
        factories.RequisitionFactory(engagement=world.acme_engagement, hiring_manager=world.hiring_manager)
    first = section(page_as(client, world.account_manager, detail(world.acme_engagement)), "requisitions-title")
    second = section(
        page_as(client, world.account_manager, detail(world.acme_engagement, "?page=2")), "requisitions-title"
    )
    ninety = section(
        page_as(client, world.account_manager, detail(world.acme_engagement, "?days=90&page=2")), "requisitions-title"
    )

    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert "?days=30&amp;page=1#requisitions" in second
    assert "?days=90&amp;page=1#requisitions" in ninety


# --- The viewer's own token and address in the forms -------------------------------------------


def test_the_suggestion_forms_carry_the_viewers_own_csrf_token_and_address(world):
    """Two colleagues with the same sections (same side, permissions and zone): the second gets the
    kept HTML, with their own token (a form post goes through with CSRF checks on) and their own
    page's address to come back to."""
    suggestion = _suggestion(world.acme_engagement, "Every feedback on time in October")
    first = Client(enforce_csrf_checks=True)
    page_as(first, world.account_manager, detail(world.acme_engagement))
    second = Client(enforce_csrf_checks=True)
    page = page_as(second, world.provider_admin, detail(world.acme_engagement, "?days=90"))

    form = section(page, "suggested-wins-title")
    assert views.CSRF_MARKER not in page
    assert views.NEXT_MARKER not in page
    tokens = [part.split('"')[0] for part in form.split('name="csrfmiddlewaretoken" value="')[1:]]
    assert len(tokens) == 2
    secret = second.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert f'name="next" value="{detail(world.acme_engagement)}?days=90#suggested-wins"' in form

    response = second.post(
        reverse("partnership:suggested-win-dismiss", kwargs={"pk": suggestion.pk}),
        {"csrfmiddlewaretoken": tokens[1], "next": detail(world.acme_engagement)},
    )
    assert response.status_code in (302, 303)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedWin.Status.DISMISSED


def test_sections_put_in_the_cache_by_someone_else_are_not_served(client, world):
    page_as(client, world.account_manager, detail(world.acme_engagement))
    key = views.sections_key(
        world.acme_engagement,
        version=engagement_version(world.acme_engagement.pk),
        viewer=world.account_manager,
        days=30,
        page_number=None,
        zone_name=str(world.account_manager.zone),
    )
    assert cache.get(key) is not None
    cache.set(key, '{"implementation": "", "sections": "<p id=forged>All is well</p>"}', 60)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "forged" not in page
    assert "requisitions-title" in page


# --- Who may open the page: the quick check agrees with engagement_list -------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "account_manager",
        "provider_admin",
        "recruiter",
        "sourcer",
        "idle_recruiter",
        "client_admin",
        "hiring_manager",
        "globex_admin",
        "globex_recruiter",
    ],
)
def test_the_quick_check_never_lets_in_whom_engagement_list_keeps_out(client, world, persona):
    viewer = getattr(world, persona)
    stranger = factories.EngagementFactory(provider=world.provider)  # managed by nobody here
    for engagement in Engagement.objects.prefetch_related("account_managers"):
        listed = engagement_list(user=viewer).filter(pk=engagement.pk).exists()
        if views._sees_whole_engagement(viewer, engagement):
            assert listed, (persona, engagement)
    client.force_login(viewer)
    for engagement in (world.acme_engagement, world.globex_engagement, stranger):
        listed = engagement_list(user=viewer).filter(pk=engagement.pk).exists()
        status = client.get(detail(engagement)).status_code
        assert status == (404 if not listed else 403 if persona == "hiring_manager" else 200), (persona, engagement)


# --- A warm page asks the same few questions ---------------------------------------------------


def test_a_warm_page_for_a_colleague_asks_three_queries(client, world):
    """Read from the cache (another viewer on the same side saw it): the session's user, the
    engagement and its account managers; the pulse surveys waiting on the viewer only while one is
    open (none here)."""
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    _suggestion(world.acme_engagement, "Every feedback on time in October")
    for _ in range(30):
        factories.RequisitionFactory(engagement=world.acme_engagement, hiring_manager=world.hiring_manager)
    page_as(client, world.account_manager, detail(world.acme_engagement))

    client.force_login(world.provider_admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail(world.acme_engagement)).status_code == 200

    asked = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(asked) <= 3, asked
    engagement_query = next(sql for sql in asked if 'FROM "engagements_engagement"' in sql)
    assert "JOIN" not in engagement_query  # the organisations' names are in the kept heading


def test_a_warm_page_asks_which_open_survey_waits_on_the_viewer(client, world, time_machine):
    time_machine.move_to(OPENING, tick=False)
    open_surveys()
    page_as(client, world.account_manager, detail(world.acme_engagement))

    client.force_login(world.provider_admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail(world.acme_engagement)).status_code == 200

    asked = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(asked) == 4, asked
    assert "partnership_pulseinvitation" in asked[-1]
