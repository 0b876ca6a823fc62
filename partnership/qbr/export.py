"""The pack as a CSV of all its figures: one row per figure, with its section, side, value, unit,
target and whether it was met, and its value in the quarter before (where the pack has it).

Values are plain numbers (a share in percent, 0–100; hours; days), so that a spreadsheet can chart
them; an empty cell is a figure with nothing to measure. Text cells go through the scorecard
CSV's ``safe_cell``: a name typed into the portal never runs as a formula. Pulse averages follow the pulse's rules:
under the threshold, or while the survey is open, the value cell says so instead of a number.
"""

from __future__ import annotations

import csv
import io

from ..pulse.questions import SIDE_TITLES
from ..scorecard.export import safe_cell
from .pack import SECTION_TITLES, ReviewPack

CSV_HEADER = ["section", "figure", "side", "value", "unit", "target", "met", "previous_quarter_value"]


def _number(value):
    """A number as a number (a whole float as an int: "3", not "3.0"); None as an empty cell."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _met(met: bool | None) -> str:
    return "" if met is None else ("yes" if met else "no")


def review_rows(pack: ReviewPack) -> list[list]:
    rows: list[list] = []

    scorecard = SECTION_TITLES["scorecard"]
    for row in (*pack.client_rows, *pack.provider_rows):
        figure = row.figure
        previous = row.previous.value if row.previous is not None else None
        rows.append(
            [
                scorecard,
                figure.label,
                figure.side,
                _number(figure.value),
                figure.unit,
                _number(figure.target),
                _met(figure.met),
                _number(previous),
            ]
        )

    responsiveness = SECTION_TITLES["responsiveness"]
    previous_managers = {}
    if pack.previous.scorecard is not None:
        previous_managers = {row.user.id: row for row in pack.previous.scorecard.hiring_managers}
    for manager in pack.scorecard.hiring_managers:
        before = previous_managers.get(manager.user.id)
        name = manager.user.display_name
        rows.append(
            [
                responsiveness,
                f"{name}: feedback requests",
                "client",
                manager.requests,
                "count",
                "",
                "",
                _number(before.requests if before else None),
            ]
        )
        rows.append(
            [
                responsiveness,
                f"{name}: on time",
                "client",
                _number(manager.on_time_share),
                "percent",
                "",
                "",
                _number(before.on_time_share if before else None),
            ]
        )
        rows.append(
            [
                responsiveness,
                f"{name}: median turnaround",
                "client",
                _number(manager.median_turnaround_hours),
                "hours",
                "",
                "",
                _number(before.median_turnaround_hours if before else None),
            ]
        )
    for bucket in pack.cost_of_waiting.buckets:
        rows.append(
            [
                responsiveness,
                f"Cost of waiting, {bucket.label.lower()}: candidates",
                "client",
                bucket.candidates,
                "count",
                "",
                "",
                "",
            ]
        )
        rows.append(
            [
                responsiveness,
                f"Cost of waiting, {bucket.label.lower()}: withdrew",
                "client",
                _number(bucket.share) if bucket.enough else "too few candidates",
                "percent",
                "",
                "",
                "",
            ]
        )

    pulse = SECTION_TITLES["pulse"]
    for result in pack.pulse:
        period = result.survey.period_label
        for side in result.sides:
            rate = side.response_rate
            rows.append(
                [
                    pulse,
                    f"{period}, {SIDE_TITLES[side.side].lower()}: response rate",
                    side.side,
                    None if rate is None else _number(round(rate * 100, 1)),
                    "percent",
                    "",
                    "",
                    "",
                ]
            )
            for question in side.questions:
                rows.append(
                    [
                        pulse,
                        f"{period}, {SIDE_TITLES[side.side].lower()}: {question.label}",
                        side.side,
                        round(question.average, 2) if question.average is not None else question.withheld,
                        "average of 1-5",
                        "",
                        "",
                        "",
                    ]
                )

    issues = SECTION_TITLES["issues"]
    summary = pack.issues
    for label, value, previous in (
        ("Issues opened", summary.opened, summary.previous_opened),
        ("Issues resolved", summary.resolved, summary.previous_resolved),
        ("Issues declined", summary.declined, None),
        ("Issues open at the end of the quarter", summary.open_at_end, None),
        ("Wins recorded", summary.wins, summary.previous_wins),
    ):
        rows.append([issues, label, "both", value, "count", "", "", _number(previous)])

    implementation = SECTION_TITLES["implementation"]
    checklist = pack.implementation
    overdue = len(checklist.overdue) + checklist.overdue_more
    for label, value in (
        ("Implementation tasks", checklist.total),
        ("Implementation tasks done", checklist.done),
        ("Implementation tasks overdue", overdue),
    ):
        rows.append([implementation, label, "both", value, "count", "", "", ""])
    orientation = pack.orientation
    rows.append([implementation, "Orientation version", "client", orientation.version, "count", "", "", ""])
    rows.append(
        [
            implementation,
            "Recruiters and sourcers who have read the current orientation",
            "provider",
            len(orientation.read),
            "count",
            orientation.people,
            _met(None if not orientation.people else not orientation.not_read),
            "",
        ]
    )
    return rows


def review_csv(pack: ReviewPack) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in review_rows(pack):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
