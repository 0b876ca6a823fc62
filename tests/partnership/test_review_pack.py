"""The quarterly business review pack: who may read it, which quarter it covers, what it says, and
its CSV (the PDF: test_review_pack_pdf.py; the query count: test_review_pack_queries.py)."""

import csv
import io

import pytest
from django.urls import reverse

from partnership.qbr import Quarter, QuarterError, choose_quarter, default_quarter, engagement_quarters
from partnership.qbr.pack import SECTION_TITLES
from partnership.scorecard import FIGURES
from tests import factories

from . import review_kit
from .review_kit import NOW


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def history(world):
    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=2)
    return world


def _url(world, name="engagement-review", engagement=None, quarter=None):
    url = reverse(f"partnership:{name}", kwargs={"pk": (engagement or world.acme_engagement).pk})
    return url + (f"?quarter={quarter}" if quarter is not None else "")


# --- Who ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["account_manager", "provider_admin", "client_admin"])
def test_those_who_run_the_partnership_read_the_pack_and_download_it(client, history, who):
    client.force_login(getattr(history, who))

    page = client.get(_url(history))
    csv_file = client.get(_url(history, "engagement-review-csv"))

    assert page.status_code == 200
    assert "Acme partnership" in page.content.decode()
    assert csv_file.status_code == 200


@pytest.mark.parametrize("who", ["recruiter", "sourcer", "hiring_manager"])
@pytest.mark.parametrize("name", ["engagement-review", "engagement-review-pdf", "engagement-review-csv"])
def test_recruiters_and_hiring_managers_are_refused_the_pack(client, history, who, name):
    client.force_login(getattr(history, who))

    response = client.get(_url(history, name))

    assert response.status_code == 403
    assert "for those who run the partnership" in response.content.decode()


@pytest.mark.parametrize("who", ["globex_admin", "globex_hiring_manager", "globex_recruiter"])
@pytest.mark.parametrize("name", ["engagement-review", "engagement-review-pdf", "engagement-review-csv"])
def test_another_clients_pack_is_not_there(client, history, who, name):
    client.force_login(getattr(history, who))

    response = client.get(_url(history, name))

    assert response.status_code == 404


def test_an_account_manager_of_another_engagement_does_not_see_its_pack(client, history):
    other_manager = factories.UserFactory(organization=history.provider, role="account_manager")
    history.globex_engagement.account_managers.set([other_manager])
    client.force_login(other_manager)

    assert client.get(_url(history)).status_code == 404
    assert client.get(_url(history, engagement=history.globex_engagement)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, history):
    response = client.get(_url(history, "engagement-review-pdf"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_engagement_page_links_the_pack_for_those_who_may_read_it(client, history):
    link = _url(history)
    client.force_login(history.account_manager)
    assert (
        link
        in client.get(
            reverse("partnership:engagement-detail", kwargs={"pk": history.acme_engagement.pk})
        ).content.decode()
    )

    client.force_login(history.recruiter)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": history.acme_engagement.pk}))
    assert page.status_code == 200
    assert link not in page.content.decode()


# --- Which quarter -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-Q3", "2026Q3", " 2026-q3 ", "2026 Q3"])
def test_a_quarter_is_read_in_the_usual_spellings(text):
    assert Quarter.parse(text) == Quarter(2026, 3)


@pytest.mark.parametrize("text", ["", "Q3", "2026-Q5", "2026-Q0", "26-Q3", "1999-Q4", "x" * 5000, "2026-Q3; DROP"])
def test_anything_else_is_not_a_quarter(text):
    with pytest.raises(QuarterError):
        Quarter.parse(text)


def test_a_quarter_runs_from_midnight_to_midnight_where_the_engagement_is():
    start, end = Quarter(2026, 3).bounds("America/New_York")

    assert start.isoformat() == "2026-07-01T00:00:00-04:00"
    assert end.isoformat() == "2026-10-01T00:00:00-04:00"
    assert Quarter(2026, 4).last_day.isoformat() == "2026-12-31"
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_the_default_is_the_last_complete_quarter_and_the_choices_run_from_the_start(history):
    engagement = history.acme_engagement

    choices = engagement_quarters(engagement, now=NOW)

    assert default_quarter(engagement, now=NOW) == Quarter(2026, 3)
    assert [choice.quarter.key for choice in choices] == [
        "2026-Q4",
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
    ]
    assert choices[0].in_progress
    assert not choices[1].in_progress


def test_an_engagement_started_this_quarter_shows_this_quarter_so_far(world):
    engagement = world.acme_engagement  # created now, no start date
    assert default_quarter(engagement, now=NOW) == Quarter(2026, 4)


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("bogus", "“bogus” is not a quarter"),
        ("2027-Q1", "Q1 2027 has not started yet"),
        ("2024-Q4", "Q4 2024 is before this engagement started (1 June 2025)"),
    ],
)
def test_a_bad_quarter_shows_the_default_quarter_and_says_why(client, history, asked, said):
    client.force_login(history.account_manager)

    response = client.get(_url(history, quarter=asked))

    page = response.content.decode()
    assert response.status_code == 200
    assert said in page
    assert "Showing Q3 2026." in page
    assert "Quarterly business review · Q3 2026" in page


@pytest.mark.parametrize("name", ["engagement-review-pdf", "engagement-review-csv"])
def test_a_download_for_a_bad_quarter_is_refused_with_the_reason(client, history, name):
    client.force_login(history.client_admin)

    response = client.get(_url(history, name, quarter="2027-Q1"))

    assert response.status_code == 400
    assert "Q1 2027 has not started yet" in response.content.decode()
    assert "Content-Disposition" not in response


def test_the_quarter_under_way_is_shown_so_far(client, history):
    client.force_login(history.account_manager)

    page = client.get(_url(history, quarter="2026-Q4")).content.decode()

    assert "Quarterly business review · Q4 2026 (so far)" in page
    assert "Q4 2026 (so far)</option>" in page


def test_choose_quarter_keeps_a_good_one():
    class Engagement:
        time_zone = "Europe/Berlin"
        started_on = None
        created_at = NOW.replace(year=2024)

    assert choose_quarter(Engagement(), "2025-Q2", now=NOW) == (Quarter(2025, 2), "")


# --- What it says ----------------------------------------------------------------------------------


def test_the_pack_holds_every_section_and_figure_of_both_sides(client, history):
    client.force_login(history.account_manager)

    page = client.get(_url(history)).content.decode()

    for title in SECTION_TITLES.values():
        assert title.replace("'", "&#x27;") in page
    for spec in FIGURES:
        assert spec.label in page
    # Four quarters drawn as inline SVG, no script and no inline style.
    assert page.count('<svg class="qbr-chart-svg"') == 9
    assert "Q4 2025" in page
    assert "Q1 2026" in page
    assert "Q2 2026" in page
    assert " style=" not in page.split('<article class="qbr"')[1]
    assert "<script" not in page.split('<article class="qbr"')[1]


def test_the_pack_shows_the_quarter_figures_against_the_quarter_before(client, history):
    client.force_login(history.account_manager)

    page = client.get(_url(history)).content.decode()

    # 2 requisitions x 2 submissions in Q3, all moved to interview: 100%; Q2 had no interview.
    assert "Submission → interview by quarter. Q4 2025: —, Q1 2026: —, Q2 2026: 0%, Q3 2026: 100%." in page
    # Two feedback requests of four answered on time in Q3.
    assert "Feedback on time by quarter. Q4 2025: —, Q1 2026: —, Q2 2026: 100%, Q3 2026: 50%." in page


def test_the_pack_lists_responsiveness_pulse_issues_wins_checklist_and_orientation(client, history):
    client.force_login(history.client_admin)

    page = client.get(_url(history)).content.decode()

    assert history.hiring_manager.display_name in page  # hiring managers by responsiveness
    assert "Under 1 business day" in page
    assert "Too few candidates (10 needed)" in page
    assert "August 2026" in page
    assert "Comment from the client side" in page
    assert "Issues opened" in page
    assert "Two fixed interview windows a week for ACME-R" in page
    assert "Filled ACME-R" in page
    assert "Thank you, Rita" in page
    assert "2 of 4 tasks done" in page
    assert "Hiring-manager training" in page
    assert "1 overdue" in page
    # Rita read version 2 (the current one), Sam only version 1.
    assert "1 of 2</strong> have read the current orientation (version 2)" in page
    not_read = page.split("Not read the latest version")[1].split("Read it")[0]
    assert "Sam" in not_read
    assert "Rita" not in not_read


def test_an_open_survey_of_the_quarter_is_held_as_on_the_pulse_page(client, history, time_machine):
    time_machine.move_to(review_kit.datetime(2026, 8, 10, tzinfo=review_kit.UTC), tick=False)
    client.force_login(history.account_manager)

    page = client.get(_url(history, quarter="2026-Q3")).content.decode()

    assert "Shown when the survey closes" in page
    assert "Comment from the client side" not in page


def test_lists_are_capped_with_how_many_more(client, world):
    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=22)
    client.force_login(world.account_manager)

    page = client.get(_url(world)).content.decode()

    assert "And 2 more resolved in the quarter" in page
    assert "And 2 more wins in the quarter" in page


# --- CSV -----------------------------------------------------------------------------------------


def test_the_csv_holds_every_figure_with_its_side_target_and_previous_quarter(client, history):
    client.force_login(history.client_admin)

    response = client.get(_url(history, "engagement-review-csv", quarter="2026-Q3"))

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q3-review.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["section", "figure", "side", "value", "unit", "target", "met", "previous_quarter_value"]
    scorecard = {row["figure"]: row for row in rows if row["section"] == SECTION_TITLES["scorecard"]}
    assert set(scorecard) == {spec.label for spec in FIGURES}
    assert scorecard["Submission → interview"]["value"] == "100"
    assert scorecard["Submission → interview"]["previous_quarter_value"] == "0"
    assert scorecard["Feedback on time"]["side"] == "client"
    assert {row["section"] for row in rows} == set(SECTION_TITLES.values())
    issues = {row["figure"]: row for row in rows if row["section"] == SECTION_TITLES["issues"]}
    assert issues["Issues resolved"]["value"] == "2"
    assert issues["Wins recorded"]["value"] == "2"


def test_the_csv_never_lets_a_name_run_as_a_formula(client, history):
    history.hiring_manager.full_name = "=HYPERLINK(1)"
    history.hiring_manager.save(update_fields=["full_name"])
    client.force_login(history.account_manager)

    text = client.get(_url(history, "engagement-review-csv")).content.decode()

    assert "'=HYPERLINK(1): on time" in text
    assert "\n=HYPERLINK" not in text
    assert ",=HYPERLINK" not in text


# --- Charts ----------------------------------------------------------------------------------------


def test_a_chart_draws_each_quarter_from_zero_with_its_target():
    from partnership.qbr.charts import BOTTOM, HEIGHT, TOP, bar_chart

    chart = bar_chart(
        key="feedback_on_time_share",
        title="Feedback on time",
        side="client",
        unit="percent",
        points=[("Q4 2025", None), ("Q1 2026", 40.0), ("Q2 2026", 80.0), ("Q3 2026", 60.0)],
        target=80.0,
        target_display="at least 80%",
    )

    before_start, low, high, current = chart.bars
    plot = HEIGHT - TOP - BOTTOM
    assert not before_start.measured
    assert before_start.value_display == "—"
    assert high.height == 2 * low.height == plot * 0.8  # a share is drawn on 0-100%
    assert current.current
    assert not high.current
    assert chart.target_y == HEIGHT - BOTTOM - plot * 0.8
    assert high.value_y < chart.target_y  # its value is lifted clear of the target line
    assert chart.description == (
        "Feedback on time by quarter. Q4 2025: —, Q1 2026: 40%, Q2 2026: 80%, Q3 2026: 60%. Target: at least 80%."
    )


def test_a_chart_of_counts_scales_to_a_round_number_over_the_largest():
    from partnership.qbr.charts import bar_chart

    chart = bar_chart(key="k", title="Escalations", side="client", unit="count", points=[("a", 0.0), ("b", 7.0)])

    assert chart.bars[0].height == 0
    assert chart.bars[1].height < 150 - 24 - 22  # 7 of 10: room above the tallest bar
