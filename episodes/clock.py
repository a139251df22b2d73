"""The episode clock: what a payer requires after the evaluation, and by when. Pure Python.

Medicare's rules (Medicare Benefit Policy Manual ch. 15 §220, via shared/reference/ot-standards.md,
"Medicare outpatient therapy documentation"):

- the plan of care is certified (signed and dated by the physician) within 30 days of the first
  treatment day, the evaluation counting as that day; a verbal order is followed by a signature
  within 14 days;
- recertification at least every 90 days, or sooner when the certified duration ends first;
- a progress report at least once every 10 treatment days, counted from the first day of the
  episode; each report starts the count again;
- a discharge note ends each episode.

Other payers get the same shape with their own numbers (settings.EPISODE_RULES); a rule set to None
is not required. Days are calendar dates in the clinic's time zone: the caller passes today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Rules:
    """Day counts of one payer type. None: the payer does not require it."""

    certification_days: int | None = 30
    verbal_order_days: int = 14
    recertification_days: int | None = 90
    progress_treatment_days: int | None = 10
    due_soon_days: int = 7  # what the caseload calls "due soon"

    @classmethod
    def from_setting(cls, values: dict) -> Rules:
        return cls(**{key: values[key] for key in cls.__dataclass_fields__ if key in values})


class DueKind(StrEnum):
    CERTIFICATION = "certification"
    VERBAL_ORDER = "verbal_order"
    RECERTIFICATION = "recertification"
    PROGRESS_REPORT = "progress_report"
    DISCHARGE = "discharge"


LABELS = {
    DueKind.CERTIFICATION: "Initial certification of the plan of care",
    DueKind.VERBAL_ORDER: "Signature after a verbal order",
    DueKind.RECERTIFICATION: "Recertification",
    DueKind.PROGRESS_REPORT: "Progress report",
    DueKind.DISCHARGE: "Discharge (or a recertification to go on)",
}


class DueState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class CertifiedPeriod:
    """A plan of care's certification: the period it covers and when the physician signed it."""

    start: date
    end: date
    signed_on: date | None = None


@dataclass(frozen=True)
class EpisodeFacts:
    evaluated_on: date  # the initial evaluation's date of service: the first treatment day
    plan_end: date  # the last day of the plan of care's duration (as last certified or sent)
    treatment_days: tuple[date, ...] = ()  # days a visit was attended
    progress_reports: tuple[date, ...] = ()  # dates of service of signed progress reports
    certifications: tuple[CertifiedPeriod, ...] = ()  # oldest first
    verbal_order_on: date | None = None
    discharged_on: date | None = None
    sessions_per_week: int | None = None  # to project when the 10th treatment day falls


@dataclass(frozen=True)
class DueItem:
    kind: DueKind
    due_on: date | None  # None: falls on a treatment day not yet reached
    detail: str
    projected_on: date | None = None  # for a count of treatment days: the expected date

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def state(self, today: date, rules: Rules) -> DueState:
        when = self.due_on or self.projected_on
        if self.due_on is not None and today > self.due_on:
            return DueState.OVERDUE
        if when is not None and (when - today).days <= rules.due_soon_days:
            return DueState.DUE_SOON
        return DueState.UPCOMING

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.due_on else 0


def certified_end(start: date, plan_end: date, rules: Rules) -> date:
    """The last day a certification from `start` covers: the plan's end, or the 90th day if sooner."""
    if rules.recertification_days is None:
        return plan_end
    return min(plan_end, start + timedelta(days=rules.recertification_days - 1))


def treatment_days_since(facts: EpisodeFacts, last_report: date | None) -> list[date]:
    """The treatment days counted toward the next progress report: from the episode's first day
    (the evaluation is day 1) or, after a report, the days after it."""
    days = set(facts.treatment_days) | {facts.evaluated_on}
    return sorted(day for day in days if last_report is None or day > last_report)


def due_items(facts: EpisodeFacts, rules: Rules) -> list[DueItem]:
    """What the episode still needs, each with its due date; nothing once discharged."""
    if facts.discharged_on is not None:
        return []
    items: list[DueItem] = []
    signed = [period for period in facts.certifications if period.signed_on is not None]
    if rules.certification_days is not None and not signed:
        items.append(
            DueItem(
                DueKind.CERTIFICATION,
                facts.evaluated_on + timedelta(days=rules.certification_days),
                f"signed within {rules.certification_days} days of the evaluation of {facts.evaluated_on:%m/%d/%Y}",
            )
        )
        if facts.verbal_order_on is not None:
            items.append(
                DueItem(
                    DueKind.VERBAL_ORDER,
                    facts.verbal_order_on + timedelta(days=rules.verbal_order_days),
                    f"verbal order of {facts.verbal_order_on:%m/%d/%Y}: signature within {rules.verbal_order_days} days",
                )
            )
    items.extend(_period_end(facts, rules, signed[-1] if signed else None))
    items.extend(_progress_report(facts, rules))
    return sorted(items, key=lambda item: (item.due_on or item.projected_on or date.max, item.kind))


def _period_end(facts: EpisodeFacts, rules: Rules, period: CertifiedPeriod | None) -> Iterable[DueItem]:
    start = period.start if period else facts.evaluated_on
    end = period.end if period else certified_end(start, facts.plan_end, rules)
    if end < facts.plan_end:
        yield DueItem(
            DueKind.RECERTIFICATION,
            end,
            f"the certified period {start:%m/%d/%Y}–{end:%m/%d/%Y} ends before the plan does ({facts.plan_end:%m/%d/%Y})",
        )
    else:
        yield DueItem(DueKind.DISCHARGE, facts.plan_end, f"the plan of care ends {facts.plan_end:%m/%d/%Y}")


def _progress_report(facts: EpisodeFacts, rules: Rules) -> Iterable[DueItem]:
    every = rules.progress_treatment_days
    if every is None:
        return
    last = max(facts.progress_reports, default=None)
    days = treatment_days_since(facts, last)
    since = f"since the progress report of {last:%m/%d/%Y}" if last else "since the evaluation"
    if len(days) >= every:
        yield DueItem(
            DueKind.PROGRESS_REPORT,
            days[every - 1],
            f"treatment day {every} {since} was {days[every - 1]:%m/%d/%Y} ({len(days)} treatment days so far)",
        )
        return
    remaining = every - len(days)
    projected = None
    if facts.sessions_per_week:
        start = days[-1] if days else (last or facts.evaluated_on)
        projected = start + timedelta(days=-(-remaining * 7 // facts.sessions_per_week))
    yield DueItem(
        DueKind.PROGRESS_REPORT,
        None,
        f"by treatment day {every}: {len(days)} of {every} {since}",
        projected_on=projected,
    )
