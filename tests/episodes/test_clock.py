"""The episode clock at each boundary (pure: no database)."""

from datetime import date, timedelta

import pytest

from episodes.clock import CertifiedPeriod, DueKind, DueState, EpisodeFacts, Rules, due_items

MEDICARE = Rules()
EVALUATED = date(2026, 3, 2)  # a Monday


def day(n: int) -> date:
    """Day n after the evaluation (day 0 is the evaluation)."""
    return EVALUATED + timedelta(days=n)


def facts(**changes) -> EpisodeFacts:
    return EpisodeFacts(evaluated_on=EVALUATED, plan_end=day(8 * 7 - 1), sessions_per_week=2, **changes)


def item(kind, items):
    (found,) = [i for i in items if i.kind == kind]
    return found


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (day(22), DueState.UPCOMING),
        (day(23), DueState.DUE_SOON),
        (day(29), DueState.DUE_SOON),
        (day(30), DueState.DUE_SOON),
        (day(31), DueState.OVERDUE),
    ],
)
def test_the_initial_certification_is_due_30_days_after_the_evaluation(today, state):
    certification = item(DueKind.CERTIFICATION, due_items(facts(), MEDICARE))
    assert certification.due_on == day(30)
    assert certification.state(today, MEDICARE) == state
    assert certification.days_overdue(today) == (1 if today == day(31) else 0)


def test_a_signed_certification_is_no_longer_due():
    signed = facts(certifications=(CertifiedPeriod(EVALUATED, day(55), signed_on=day(12)),))
    assert DueKind.CERTIFICATION not in {i.kind for i in due_items(signed, MEDICARE)}


def test_a_verbal_order_needs_its_signature_within_14_days():
    items = due_items(facts(verbal_order_on=day(3)), MEDICARE)
    assert item(DueKind.VERBAL_ORDER, items).due_on == day(17)
    assert item(DueKind.VERBAL_ORDER, items).state(day(18), MEDICARE) == DueState.OVERDUE


def test_recertification_falls_on_the_90th_day_when_the_plan_runs_longer():
    long_plan = EpisodeFacts(evaluated_on=EVALUATED, plan_end=day(16 * 7 - 1))
    signed = CertifiedPeriod(EVALUATED, day(89), signed_on=day(5))
    recertification = item(
        DueKind.RECERTIFICATION,
        due_items(
            EpisodeFacts(evaluated_on=EVALUATED, plan_end=day(16 * 7 - 1), certifications=(signed,)), MEDICARE
        ),
    )
    assert recertification.due_on == day(89)  # day 1 is the evaluation: the 90th day is day 89
    assert recertification.state(day(89), MEDICARE) == DueState.DUE_SOON
    assert recertification.state(day(90), MEDICARE) == DueState.OVERDUE
    # Before the signature, the period the plan asks for is capped the same way.
    assert item(DueKind.RECERTIFICATION, due_items(long_plan, MEDICARE)).due_on == day(89)
    assert DueKind.DISCHARGE not in {i.kind for i in due_items(long_plan, MEDICARE)}


def test_when_the_duration_ends_first_the_discharge_is_due_at_its_end():
    items = due_items(
        facts(certifications=(CertifiedPeriod(EVALUATED, day(55), signed_on=day(5)),)), MEDICARE
    )
    assert item(DueKind.DISCHARGE, items).due_on == day(55)
    assert DueKind.RECERTIFICATION not in {i.kind for i in items}


def test_a_recertification_moves_the_clock_to_its_own_period():
    periods = (
        CertifiedPeriod(EVALUATED, day(89), signed_on=day(5)),
        CertifiedPeriod(day(90), day(179), signed_on=day(88)),
    )
    items = due_items(
        EpisodeFacts(evaluated_on=EVALUATED, plan_end=day(200), certifications=periods), MEDICARE
    )
    assert item(DueKind.RECERTIFICATION, items).due_on == day(179)


def visits(*days: int) -> tuple[date, ...]:
    return tuple(day(n) for n in days)


def test_the_progress_report_is_due_on_the_10th_treatment_day_the_evaluation_being_the_first():
    nine = visits(2, 4, 7, 9, 11, 14, 16, 18)  # with the evaluation: 9 treatment days
    waiting = item(DueKind.PROGRESS_REPORT, due_items(facts(treatment_days=nine), MEDICARE))
    assert waiting.due_on is None and "9 of 10" in waiting.detail
    assert waiting.projected_on == day(18) + timedelta(days=4)  # one more day at 2 a week
    assert waiting.state(day(18), MEDICARE) == DueState.DUE_SOON

    tenth = item(DueKind.PROGRESS_REPORT, due_items(facts(treatment_days=(*nine, day(21))), MEDICARE))
    assert tenth.due_on == day(21)
    assert tenth.state(day(21), MEDICARE) == DueState.DUE_SOON
    assert tenth.state(day(22), MEDICARE) == DueState.OVERDUE


def test_a_cancelled_day_is_not_counted_and_two_visits_on_one_day_count_once():
    # The caller passes attended days only; the same day twice is one treatment day.
    same_day = item(DueKind.PROGRESS_REPORT, due_items(facts(treatment_days=visits(2, 2, 4)), MEDICARE))
    assert "3 of 10" in same_day.detail


def test_a_progress_report_starts_the_count_again():
    days = visits(2, 4, 7, 9, 11, 14, 16, 18, 21, 23, 25)
    reported = facts(treatment_days=days, progress_reports=(day(21),))
    report = item(DueKind.PROGRESS_REPORT, due_items(reported, MEDICARE))
    assert report.due_on is None
    assert "2 of 10 since the progress report of" in report.detail


def test_a_discharge_closes_the_clock():
    assert due_items(facts(discharged_on=day(40)), MEDICARE) == []


def test_a_payer_without_the_rules_has_only_its_plan_end():
    other = Rules(certification_days=None, recertification_days=None, progress_treatment_days=None)
    items = due_items(facts(treatment_days=visits(*range(1, 30))), other)
    assert [i.kind for i in items] == [DueKind.DISCHARGE]
    assert Rules.from_setting({"certification_days": None, "unknown": 1}).certification_days is None
