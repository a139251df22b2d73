"""What the evaluation page and the report show, from one record. The page and the PDF render
the report template with the same context."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.summary import key_findings
from evaluations.interpretation.trends import Series
from evaluations.presentation.charts import body_map, trend_chart
from evaluations.presentation.presenters import present_section
from evaluations.seal import Seal
from evaluations.sections import SECTIONS


def svg(markup: str) -> SafeString:
    """Charts are built from numbers and escaped text only (presentation.charts)."""
    return mark_safe(markup)  # noqa: S308


def trend_charts(series: list[Series]) -> list[dict[str, Any]]:
    """Each chart with what its change means and the threshold that judged it (text, escaped by
    the template)."""
    return [{"chart": svg(trend_chart(one)), "verdict": one.verdict, "basis": one.basis} for one in series]


def evaluation_context(record: EvaluationRecord, seal: Seal) -> dict[str, Any]:
    """The evaluation as a clinical report: every section, the findings, the CPT suggestion,
    progress against the baseline, the body map, and for a draft what signing still needs."""
    evaluation = record.evaluation
    return {
        "evaluation": evaluation,
        "patient": evaluation.patient,
        "seal": seal,
        "sections": [present_section(record, section) for section in SECTIONS],
        "findings": record.findings,
        "cpt": record.cpt,
        "progress": record.progress,
        "body_map": svg(body_map(record.pain_points)),
        "requirements": None if evaluation.is_signed else record.checklist,
        "sources": sorted({score.source for score in record.scores.values() if score.source}),
    }


GOALS_SHOWN = 4
HOME_PROGRAM_CHARACTERS = 180


def physician_summary(record: EvaluationRecord) -> dict[str, Any]:
    """The report's first page, for the referring physician: key findings with their scores,
    goals, the plan of care and the certification period (Medicare Benefit Policy Manual ch. 15
    §220 via shared/reference/ot-standards.md: the plan needs diagnoses, long-term measurable
    goals, frequency and duration; a physician certifies it within 30 days, again at least every
    90 days)."""
    evaluation = record.evaluation
    goals = record.goals
    weeks = evaluation.duration_weeks
    home = evaluation.home_program.strip()
    return {
        "findings": key_findings(record),
        "goals": goals[:GOALS_SHOWN],
        "more_goals": max(0, len(goals) - GOALS_SHOWN),
        "interventions": [planned.intervention.label for planned in record.interventions],
        "home_program": home
        if len(home) <= HOME_PROGRAM_CHARACTERS
        else home[:HOME_PROGRAM_CHARACTERS].rsplit(" ", 1)[0] + " … (see details)",
        "certified_until": evaluation.date_of_service + timedelta(weeks=weeks, days=-1) if weeks else None,
    }


def report_context(record: EvaluationRecord, seal: Seal) -> dict[str, Any]:
    """The report adds the patient's age, trends up to the date of service and the print time."""
    evaluation = record.evaluation
    return {
        **evaluation_context(record, seal),
        "summary": physician_summary(record),
        "age": evaluation.patient.age_on(evaluation.date_of_service),
        "trends": trend_charts(record.trends),
        "printed_at": timezone.now(),
    }
