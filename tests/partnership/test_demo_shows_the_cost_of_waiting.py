"""The demo's candidates withdraw more often when their résumé waited long on the hiring manager,
so that the cost of waiting has something to show; the plan stays the same for the same seed."""

import random
from collections import Counter
from datetime import UTC, datetime

from accounts.models import User
from engagements.business_hours import business_hours_between
from engagements.models import Engagement, Submission
from partnership.demo import data, plan

NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)
WAITED_REASONS = {Submission.WithdrawalReason.OTHER_OFFER, Submission.WithdrawalReason.PROCESS_TOO_SLOW}


def _plans(seed: str) -> list[tuple[Engagement, plan.PlannedRequisition]]:
    someone = User(email="demo@example.com", full_name="Demo Person")
    plans = []
    for client in data.CLIENTS:
        engagement = Engagement(name=client.name, time_zone=client.time_zone)
        for pace in (0.7, 2.2):
            staffing = plan.Staffing(
                hiring_manager=someone, primary=someone, backup=someone, sourcer=someone, pace=pace
            )
            rng = random.Random(f"{seed}:{client.name}:{pace}")
            for number in range(25):
                requisition = plan.plan_requisition(
                    code=f"R-{number:03d}",
                    client=client,
                    engagement=engagement,
                    title="Engineer",
                    location="Remote",
                    status="open",
                    priority="normal",
                    openings=1,
                    submission_count=10,
                    staffing=staffing,
                    now=NOW,
                    rng=rng,
                )
                plans.append((engagement, requisition))
    return plans


def _review_wait_days(engagement, planned) -> float | None:
    stages = [stage for stage, _, _ in planned.events]
    if "hm_review" not in stages or stages.index("hm_review") + 1 >= len(stages):
        return None
    index = stages.index("hm_review")
    hours = business_hours_between(planned.events[index][1], planned.events[index + 1][1], engagement.business_calendar)
    return hours / 8  # the demo clients work 09:00–17:00


def test_candidates_who_waited_over_three_business_days_withdraw_much_more_often():
    asked, withdrawn, reasons = Counter(), Counter(), Counter()
    for engagement, requisition in _plans("cost"):
        for planned in requisition.submissions:
            wait = _review_wait_days(engagement, planned)
            if wait is None:
                continue
            bucket = "under 1" if wait < 1 else "over 3" if wait > 3 else "1 to 3"
            asked[bucket] += 1
            if planned.stage == Submission.Stage.WITHDRAWN:
                withdrawn[bucket] += 1
                assert planned.withdrawal_reason in Submission.WithdrawalReason.values
                if bucket == "over 3":
                    reasons[planned.withdrawal_reason] += 1
    share = {bucket: withdrawn[bucket] / asked[bucket] for bucket in asked}
    assert min(asked.values()) >= 50, asked
    assert share["over 3"] > 2 * share["under 1"], share
    assert share["over 3"] > 2 * share["1 to 3"], share
    assert set(reasons) <= WAITED_REASONS


def test_the_same_seed_plans_the_same_withdrawals():
    def outcomes(plans):
        return [
            (planned.stage, planned.withdrawal_reason, [at for _, at, _ in planned.events])
            for _, requisition in plans
            for planned in requisition.submissions
        ]

    assert outcomes(_plans("same")) == outcomes(_plans("same"))
