"""The engagement pages: the account manager's list with health badges, one engagement's mutual
scorecard (who may open it, what they read there, the 30/90-day switch, coverage today, what is
overdue, escalations) and the scorecard as CSV."""

import dataclasses
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from engagements.models import Assignment, Requisition
from feedback.models import Reminder
from feedback.selectors import reminder_list
from partnership import scorecard as scorecard_module
from tests import factories

LIST = "/engagements/"


@pytest.fixture(autouse=True)
def _fresh_scorecards():
    """The live scorecard is cached for a minute: each test computes its own."""
    cache.clear()
    yield
    cache.clear()


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def detail(engagement, **query) -> str:
    url = reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def csv_url(engagement, **query) -> str:
    url = reverse("partnership:engagement-scorecard-csv", kwargs={"pk": engagement.pk})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def page_as(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _overdue_feedback_request(requisition, *, name: str, days_late: int = 2):
    """A résumé review asked of the requisition's hiring manager, due ``days_late`` days ago."""
    asked = timezone.now() - timedelta(days=days_late, hours=24)
    return factories.FeedbackRequestFactory(
        submission__requisition=requisition, submission__candidate__full_name=name, created_at=asked
    )


# --- The routes ---------------------------------------------------------------------------------


def test_engagement_pages_live_where_the_links_point(world):
    pk = world.acme_engagement.pk
    assert reverse("partnership:engagement-list") == LIST
    assert reverse("partnership:engagement-detail", kwargs={"pk": pk}) == f"/engagements/{pk}/"
    assert reverse("partnership:engagement-scorecard-csv", kwargs={"pk": pk}) == f"/engagements/{pk}/scorecard.csv"


@pytest.mark.parametrize("url", ["list", "detail", "csv"])
def test_anonymous_visitor_is_sent_to_log_in(client, world, url):
    target = {"list": LIST, "detail": detail(world.acme_engagement), "csv": csv_url(world.acme_engagement)}[url]
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The list -----------------------------------------------------------------------------------


def test_account_manager_sees_their_engagement_with_health_badge_and_reason(client, world):
    health = scorecard_module.engagement_health_map(engagements=[world.acme_engagement])[world.acme_engagement.pk]

    page = page_as(client, world.account_manager, LIST)

    assert "Acme partnership" in page
    assert "Globex partnership" not in page
    assert f">{escape(health.label)}</span>" in page
    assert f"health-{health.status}" in page
    assert escape(health.reason) in page
    assert "<dd>Acme</dd>" in page  # the client
    assert "<dd>Active</dd>" in page
    assert detail(world.acme_engagement) in page


def test_list_counts_open_requisitions_and_what_is_overdue_on_each_side(client, world):
    factories.RequisitionFactory(engagement=world.acme_engagement, status=Requisition.Status.FILLED)
    factories.RequisitionFactory(
        engagement=world.acme_engagement, opened_on=date(2020, 1, 1), target_on=date(2020, 2, 1), code="ACME-LATE"
    )
    _overdue_feedback_request(world.requisition, name="Late Larry")
    _overdue_feedback_request(world.other_requisition, name="Late Lucy")
    factories.FeedbackRequestFactory(submission__requisition=world.requisition)  # due tomorrow: not overdue
    _overdue_feedback_request(world.globex_requisition, name="Globex Gina")  # another engagement

    page = page_as(client, world.account_manager, LIST)

    assert "<dt>Open requisitions</dt><dd>3</dd>" in page  # ACME-1, ACME-2, ACME-LATE; not the filled one
    assert 'client side <span class="badge overdue">2</span>' in page
    # ACME-LATE is long past its target date: the provider side has something overdue too.
    assert 'provider side <span class="badge overdue">' in page


def test_provider_admin_sees_every_engagement_of_the_provider(client, world):
    page = page_as(client, world.provider_admin, LIST)
    assert "Acme partnership" in page
    assert "Globex partnership" in page


def test_recruiter_sees_the_engagements_they_work_in(client, world):
    page = page_as(client, world.recruiter, LIST)
    assert "Acme partnership" in page
    assert "Globex partnership" not in page


def test_recruiter_without_assignments_sees_an_empty_list(client, world):
    page = page_as(client, world.idle_recruiter, LIST)
    assert "There is no engagement to show you yet." in page
    assert "partnership</a>" not in page


def test_client_admin_sees_their_organisations_engagement_only(client, world):
    page = page_as(client, world.client_admin, LIST)
    assert "Acme partnership" in page
    assert "Globex partnership" not in page
    assert "Your organisation" in page

    globex_page = page_as(client, world.globex_admin, LIST)
    assert "Globex partnership" in globex_page
    assert "Acme partnership" not in globex_page


def test_hiring_manager_is_sent_to_their_inbox_from_the_engagement_list(client, world):
    client.force_login(world.hiring_manager)
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:inbox")


# --- One engagement: who may open it ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["account_manager", "provider_admin", "recruiter", "sourcer", "client_admin"])
def test_the_account_team_and_the_clients_admin_open_the_scorecard(client, world, persona):
    page = page_as(client, getattr(world, persona), detail(world.acme_engagement))
    assert "<h1>Acme partnership</h1>" in page
    assert "Client side" in page
    assert "Provider side" in page


@pytest.mark.parametrize("persona", ["globex_admin", "globex_hiring_manager", "globex_recruiter", "idle_recruiter"])
def test_people_outside_the_engagement_get_not_found(client, world, persona):
    client.force_login(getattr(world, persona))
    for url in (detail(world.acme_engagement), csv_url(world.acme_engagement)):
        response = client.get(url)
        assert response.status_code == 404
        assert "We could not find that" in response.content.decode()


def test_client_admin_of_another_client_cannot_open_the_engagement(client, world):
    client.force_login(world.globex_admin)
    assert client.get(detail(world.acme_engagement)).status_code == 404
    assert client.get(detail(world.globex_engagement)).status_code == 200


def test_hiring_manager_is_refused_the_scorecard_and_pointed_to_their_inbox(client, world):
    client.force_login(world.hiring_manager)
    for url in (detail(world.acme_engagement), csv_url(world.acme_engagement)):
        response = client.get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert "The partnership scorecard is for the account team" in page
        assert reverse("feedback:inbox") in page


def test_unknown_engagement_is_not_found(client, world):
    client.force_login(world.provider_admin)
    assert client.get("/engagements/999999/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [
        ("account_manager", True),
        ("provider_admin", True),
        ("recruiter", False),
        ("client_admin", False),
    ],
)
def test_only_those_who_manage_the_engagement_see_the_sla_settings_link(client, world, persona, sees_link):
    page = page_as(client, getattr(world, persona), detail(world.acme_engagement))
    sla = reverse("partnership:engagement-sla", kwargs={"pk": world.acme_engagement.pk})
    assert (sla in page) is sees_link
    assert ("SLA settings" in page) is sees_link


# --- One engagement: what a person reads --------------------------------------------------------


def test_scorecard_shows_every_figure_with_its_value_and_definition_side_by_side(client, world):
    scorecard = scorecard_module.engagement_scorecard(engagement=world.acme_engagement, days=30)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    client_side, provider_side = page.split('id="provider-side-title"')
    client_side = client_side.split('id="client-side-title"')[1]
    for side, figures in ((client_side, scorecard.client), (provider_side, scorecard.provider)):
        for figure in figures:
            assert f"<dt>{escape(figure.label)}</dt>" in side
            assert f'<dd class="figure-value">{escape(figure.display)}</dd>' in side
            assert f'<dd class="figure-definition">{escape(figure.definition)}</dd>' in side
    assert escape(scorecard.health.label) in page
    assert escape(scorecard.health.reason) in page


def test_thirty_days_by_default_and_ninety_on_request(client, world):
    page = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert f'<a href="{detail(world.acme_engagement, days=30)}" aria-current="page"' in page
    assert "Last 30 days:" in page
    assert csv_url(world.acme_engagement, days=30) in page

    page = page_as(client, world.account_manager, detail(world.acme_engagement, days=90))
    assert "Last 90 days:" in page
    assert f'<a href="{detail(world.acme_engagement, days=90)}" aria-current="page"' in page
    assert csv_url(world.acme_engagement, days=90) in page
    # The switch is plain links: it works without JavaScript.
    assert f'<a href="{detail(world.acme_engagement, days=30)}"' in page


@pytest.mark.parametrize("days", ["abc", "7", "-30", "", "30.5", "9" * 40, "%00"])
def test_a_bad_window_falls_back_to_thirty_days_with_a_plain_message(client, world, days):
    page = page_as(client, world.account_manager, detail(world.acme_engagement, days=days))
    assert "Last 30 days:" in page
    if days:
        assert "We show the last 30 or 90 days, so this is the last 30 days." in page


def test_htmx_switch_swaps_only_the_scorecard(client, world):
    client.force_login(world.account_manager)
    response = client.get(detail(world.acme_engagement, days=90, part="scorecard"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="scorecard"')
    assert "Last 90 days:" in page
    assert "Requisitions and who covers them today" not in page
    assert "<html" not in page


def test_coverage_says_who_is_away_until_when_and_who_covers(client, world):
    back = timezone.now() + timedelta(days=5)
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer, ends_at=back)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    local = back.astimezone(NEW_YORK)
    assert f"Rita is away until {local.day} {local:%b} — Sam covers" in page


def test_coverage_prefers_the_requisitions_own_backup_and_names_it(client, world):
    factories.AssignmentFactory(
        requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    )
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    row = page.split("ACME-1</a>")[1].split("</tr>")[0]
    assert "<td>Rita</td>" in row  # primary
    assert "<td>Ivan</td>" in row  # the requisition's backup
    assert "Rita is away until" in row
    assert "— Ivan covers" in row


def test_coverage_shows_the_primary_when_they_are_in(client, world):
    page = page_as(client, world.account_manager, detail(world.acme_engagement))
    row = page.split("ACME-1</a>")[1].split("</tr>")[0]
    assert '<td class="covering">Rita</td>' in row
    other_row = page.split("ACME-2</a>")[1].split("</tr>")[0]
    assert "Nobody covers" in other_row


def test_client_admin_reads_who_covers_without_the_recruiters_absence_dates(client, world):
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    page = page_as(client, world.client_admin, detail(world.acme_engagement))
    assert "Rita is away — Sam covers" in page


def test_requisitions_list_open_ones_first_and_pages_through_the_rest(client, world):
    for number in range(30):
        factories.RequisitionFactory(
            engagement=world.acme_engagement, code=f"ACME-F{number:02d}", status=Requisition.Status.FILLED
        )
    page = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "ACME-1</a>" in page
    assert "ACME-2</a>" in page
    assert "32 in all" in page
    assert "Page 1 of 2" in page
    assert "page=2#requisitions" in page

    second = page_as(client, world.account_manager, detail(world.acme_engagement, page=2))
    assert "ACME-1</a>" not in second
    assert "Page 2 of 2" in second
    assert page_as(client, world.account_manager, detail(world.acme_engagement, page="zzz"))  # bad page: the first


def test_overdue_items_on_the_client_side_are_listed(client, world):
    _overdue_feedback_request(world.requisition, name="Late Larry")
    scorecard = scorecard_module.engagement_scorecard(engagement=world.acme_engagement, days=30)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    overdue_section = page.split('id="overdue-title"')[1].split("</section>")[0]
    assert scorecard.overdue, "the scorecard lists the overdue résumé review"
    for item in scorecard.overdue:
        assert escape(item.title) in overdue_section
    assert "Late Larry" in overdue_section


def test_escalations_in_the_window_are_listed_received_for_the_client_sent_for_the_provider(client, world):
    now = timezone.now()
    recent = _overdue_feedback_request(world.requisition, name="Escalated Eve")
    factories.ReminderFactory(
        feedback_request=recent,
        level=Reminder.Level.ESCALATION,
        recipient=world.client_admin,
        sent_at=now - timedelta(days=2),
    )
    old = _overdue_feedback_request(world.other_requisition, name="Long Ago Lou", days_late=60)
    factories.ReminderFactory(
        feedback_request=old,
        level=Reminder.Level.ESCALATION,
        recipient=world.client_admin,
        sent_at=now - timedelta(days=50),
    )
    factories.ReminderFactory(feedback_request=recent, level=Reminder.Level.OVERDUE, sent_at=now - timedelta(days=2))
    globex = _overdue_feedback_request(world.globex_requisition, name="Globex Gina")
    factories.ReminderFactory(feedback_request=globex, level=Reminder.Level.ESCALATION, sent_at=now - timedelta(days=1))

    client_page = page_as(client, world.client_admin, detail(world.acme_engagement))
    escalations = client_page.split('id="escalations-title"')[1].split("</section>")[0]
    assert "Escalations received" in escalations
    assert "Feedback on Escalated Eve for ACME-1" in escalations
    assert "Long Ago Lou" not in escalations
    assert "Globex Gina" not in escalations

    provider_page = page_as(client, world.account_manager, detail(world.acme_engagement, days=90))
    escalations = provider_page.split('id="escalations-title"')[1].split("</section>")[0]
    assert "Escalations sent" in escalations
    assert "Escalated Eve" in escalations
    assert "Long Ago Lou" in escalations
    assert escalations.count("<tr>") == 3  # header + two


# --- The page renders what the scorecard says (a fixed scorecard, every part filled) ------------


@pytest.fixture
def fixed_scorecard(world, monkeypatch):
    """A scorecard with every part filled, so the page's rendering is checked on known values."""
    S = scorecard_module
    now = timezone.now()
    figures = {
        "client": [
            S.Figure(
                "feedback_on_time_share",
                "client",
                "Feedback on time",
                "Share of feedback given by its due time.",
                75.0,
                "percent",
                "75%",
                "higher",
            ),
            S.Figure(
                "feedback_median_turnaround_hours",
                "client",
                "Median feedback turnaround",
                "Business hours from request to answer, median.",
                6.5,
                "hours",
                "6.5 h",
                "lower",
            ),
        ],
        "provider": [
            S.Figure(
                "median_days_to_fill",
                "provider",
                "Median time to fill",
                "Days from opening to filled, median.",
                None,
                "days",
                "—",
                "lower",
            ),
        ],
    }
    card = S.Scorecard(
        engagement=world.acme_engagement,
        days=30,
        starts_at=now - timedelta(days=30),
        ends_at=now,
        client=figures["client"],
        provider=figures["provider"],
        health=S.Health("at_risk", "At risk", "Feedback on time is 75%, under the 80% the SLA expects."),
        charted=["feedback_on_time_share", "feedback_median_turnaround_hours"],
        weeks=[
            S.WeekPoint(date(2026, 11, 9), {"feedback_on_time_share": 50.0, "feedback_median_turnaround_hours": 9.5}),
            S.WeekPoint(
                date(2026, 11, 16), {"feedback_on_time_share": 100.0, "feedback_median_turnaround_hours": None}
            ),
        ],
        hiring_managers=[
            S.HiringManagerRow(world.other_hiring_manager, 4, 2, 1, 50.0, 30.0, 2, 1),
            S.HiringManagerRow(world.hiring_manager, 3, 3, 3, 100.0, 4.0, 0, 0),
        ],
        overdue=[
            S.OverdueItem(
                "client",
                "feedback",
                "Feedback on Jane Doe for ACME-1",
                world.hiring_manager,
                now - timedelta(days=2),
                "feedback:feedback-respond",
                4242,
            ),
            S.OverdueItem(
                "provider",
                "requisition",
                "ACME-2 past its target date",
                world.recruiter,
                now - timedelta(days=1),
                None,
                None,
            ),
        ],
        overdue_total={"client": 3, "provider": 1},
        escalations=1,
    )
    _serve(monkeypatch, card)
    return card


def _serve(monkeypatch, card) -> None:
    """The page shows ``card``: as the scorecard, and as the scorecard its kept text is rendered from."""
    monkeypatch.setattr(scorecard_module, "engagement_scorecard", lambda **kwargs: card)
    monkeypatch.setattr(scorecard_module, "engagement_scorecard_rendered", lambda **kwargs: kwargs["render"](card))


def test_page_shows_health_trends_as_charts_and_as_a_table(client, world, fixed_scorecard):
    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert '<span class="badge health health-at_risk">At risk</span>' in page
    assert "Feedback on time is 75%, under the 80% the SLA expects." in page
    assert '<dd class="figure-value">6.5 h</dd>' in page
    assert "Business hours from request to answer, median." in page
    # The charts read their numbers from a json_script block ...
    assert '<script id="scorecard-trends" type="application/json">' in page
    assert '"labels": ["9 Nov", "16 Nov"]' in page
    assert '"weeks": ["2026-11-09", "2026-11-16"]' in page
    assert '"values": [50.0, 100.0]' in page
    assert 'data-scorecard-chart="feedback_on_time_share"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    # ... and the same numbers are in a table for people without JavaScript or with a screen reader.
    assert '<th scope="row">9 Nov 2026</th><td>50%</td><td>9.5 h</td>' in page
    assert '<th scope="row">16 Nov 2026</th><td>100%</td><td>—</td>' in page


def test_hiring_managers_are_ranked_as_the_scorecard_ranks_them(client, world, fixed_scorecard):
    page = page_as(client, world.client_admin, detail(world.acme_engagement))
    section = page.split('id="hiring-managers-title"')[1].split("</section>")[0]
    slow = world.other_hiring_manager.full_name
    quick = world.hiring_manager.full_name
    assert section.index(slow) < section.index(quick)
    assert "<td>50%</td>" in section
    assert "<td>30.0 h</td>" in section


def test_overdue_items_of_both_sides_with_links_and_how_late(client, world, fixed_scorecard):
    page = page_as(client, world.account_manager, detail(world.acme_engagement))
    section = page.split('id="overdue-title"')[1].split("</section>")[0]
    assert "client side 3 · provider side 1" in section
    assert (
        f'<a href="{reverse("feedback:feedback-respond", kwargs={"pk": 4242})}">Feedback on Jane Doe for ACME-1</a>'
        in section
    )
    assert "ACME-2 past its target date" in section
    assert "2\xa0days" in section
    assert "The 2 longest overdue of 4." in section


# --- CSV ----------------------------------------------------------------------------------------


def test_account_manager_downloads_the_scorecard_as_csv(client, world, time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 15, 0, tzinfo=NEW_YORK))
    client.force_login(world.account_manager)

    response = client.get(csv_url(world.acme_engagement, days=90))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-partnership-scorecard-2026-11-20-90-days.csv"'
    expected = scorecard_module.scorecard_csv(
        scorecard=scorecard_module.engagement_scorecard(engagement=world.acme_engagement, days=90)
    )
    assert response.content.decode() == expected


def test_client_admin_downloads_their_engagements_csv_and_a_bad_window_gives_thirty_days(client, world):
    client.force_login(world.client_admin)
    response = client.get(csv_url(world.acme_engagement, days="nonsense"))
    assert response.status_code == 200
    assert "-30-days.csv" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["account_manager", "provider_admin", "recruiter", "sourcer", "client_admin"])
def test_escalations_listed_are_exactly_those_the_viewer_may_see(client, world, persona):
    """The page lists an engagement's escalations without re-scoping each one: for every role that
    may open the page, that is exactly what reminder_list scopes."""
    now = timezone.now()
    for requisition, name in ((world.requisition, "Eve"), (world.other_requisition, "Otto")):
        request = _overdue_feedback_request(requisition, name=name)
        factories.ReminderFactory(feedback_request=request, level=Reminder.Level.ESCALATION, sent_at=now)
    viewer = getattr(world, persona)
    scoped = reminder_list(user=viewer).filter(
        level=Reminder.Level.ESCALATION, feedback_request__submission__requisition__engagement=world.acme_engagement
    )

    page = page_as(client, viewer, detail(world.acme_engagement))

    section = page.split('id="escalations-title"')[1].split("</section>")[0]
    assert scoped.count() == 2
    for reminder in scoped:
        assert f"Feedback on {reminder.feedback_request.submission.candidate.full_name} for" in section
    assert section.count("<tr>") == 3


def test_a_long_overdue_list_shows_the_ten_longest_and_folds_the_rest(client, world, fixed_scorecard, monkeypatch):
    S = scorecard_module
    now = timezone.now()
    items = [
        S.OverdueItem(
            "client",
            "feedback",
            f"Feedback number {n:02d}",
            world.hiring_manager,
            now - timedelta(days=30 - n),
            None,
            None,
        )
        for n in range(14)
    ]
    card = dataclasses.replace(fixed_scorecard, overdue=items, overdue_total={"client": 20, "provider": 0})
    _serve(monkeypatch, card)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    section = page.split('id="overdue-title"')[1].split("</section>")[0]
    shown, folded = section.split("<details")
    assert "Feedback number 09" in shown
    assert "Feedback number 10" not in shown
    assert "<summary>Show 4 more</summary>" in folded
    assert "Feedback number 13" in folded
    assert "The 14 longest overdue of 20." in section
