"""One evaluation as read: what it records, and what that means.

`EvaluationRecord` is built by a selector (`evaluations.selectors.fetch_record`) with the row
tables a page needs already loaded, the baseline evaluation of a re-evaluation, and, for the
report, the patient's earlier signed evaluations. Everything derived from it (scores, findings,
deficits, the CPT suggestion, the signing checklist, progress, trends) is computed once, on
first use, and cached on the record; every page, the report, the API and signing read it from
here. Reading a row table that was not loaded raises `NotLoaded` instead of querying, so a page
cannot grow a query per row or per section by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import transaction

from evaluations.instruments import Score
from evaluations.interpretation.checklist import Requirement, signing_checklist
from evaluations.interpretation.cpt import Suggestion, suggest
from evaluations.interpretation.deficits import performance_deficits
from evaluations.interpretation.findings import Finding, imbalance_findings
from evaluations.interpretation.progress import Progress
from evaluations.interpretation.progress import progress as measure_progress
from evaluations.interpretation.scores import ScoreKey, copm_scores, row_scores
from evaluations.interpretation.trends import Series, trend_series
from evaluations.sections import (
    ADL_CHECKLIST,
    ASSESSMENT_AND_PLAN,
    COGNITION,
    IADL_CHECKLIST,
    MUSCLE_IMBALANCE,
    NEUROMUSCULAR,
    OCCUPATIONAL_INVENTORY,
    PHYSICAL,
    PROFILE,
    SECTIONS,
    RowList,
    Section,
)

if TYPE_CHECKING:
    from evaluations.models import (
        ActivityRating,
        AffectedOccupationFinding,
        CognitiveFinding,
        CognitiveScreen,
        CopmProblem,
        Evaluation,
        FlexibilityMeasurement,
        FunctionalScaleScore,
        Goal,
        GripMeasurement,
        NeuromuscularMeasurement,
        PainPoint,
        PinchMeasurement,
        PlannedIntervention,
        PsfsActivity,
        RangeOfMotionMeasurement,
        StrengthMeasurement,
    )


class NotLoaded(LookupError):
    """A row table was read that the selector did not load for this record."""


def related_names(sections: tuple[Section, ...] | list[Section]) -> frozenset[str]:
    """The row tables (reverse relation names) that hold these sections' rows."""
    return frozenset(rows.related_name for section in sections for rows in section.rows)


ALL_ROW_TABLES = related_names(SECTIONS)

# What the CPT suggestion reads: every section a performance deficit can come from.
DEFICIT_SECTIONS = (PHYSICAL, NEUROMUSCULAR, COGNITION, ADL_CHECKLIST, IADL_CHECKLIST, MUSCLE_IMBALANCE)


@dataclass(eq=False)
class EvaluationRecord:
    """An evaluation with its loaded rows; derived values are cached properties."""

    evaluation: Evaluation
    loaded: frozenset[str] = ALL_ROW_TABLES  # row tables whose rows are in memory
    baseline: EvaluationRecord | None = None  # the signed evaluation a re-evaluation compares with
    history: tuple[EvaluationRecord, ...] | None = None  # signed evaluations for trends (oldest first)
    locked: bool = False  # read under a row lock in the current transaction (selectors.fetch_record)
    _rows: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    # -- what was recorded ---------------------------------------------------------------

    def table(self, related_name: str) -> list[Any]:
        """All rows of one row table (from the prefetch; never a query)."""
        if related_name not in self.loaded:
            raise NotLoaded(f"{related_name} was not loaded for this record")
        if related_name not in self._rows:
            self._rows[related_name] = list(getattr(self.evaluation, related_name).all())
        return self._rows[related_name]

    def rows(self, spec: RowList) -> list[Any]:
        """The rows of one list of a section (lists sharing a table are split by their scope)."""
        return [row for row in self.table(spec.related_name) if spec.belongs(row)]

    def any_rows(self, spec: RowList, **equal: Any) -> bool:
        """Whether the list has a row whose fields equal `equal` (checklist.Facts)."""
        return any(
            all(getattr(row, name) == value for name, value in equal.items()) for row in self.rows(spec)
        )

    def has_rows(self, related_name: str) -> bool:
        return related_name in self.loaded

    def has(self, section: Section) -> bool:
        return all(rows.related_name in self.loaded for rows in section.rows)

    def content(self, section: Section) -> dict[str, Any]:
        """A section's fields and row lists, by name (the shape the services and API take)."""
        evaluation = self.evaluation
        content: dict[str, Any] = {name: getattr(evaluation, name) for name in section.evaluation_fields}
        content.update({name: getattr(evaluation.profile, name) for name in section.profile_fields})
        for spec in section.rows:
            content[spec.key] = self.rows(spec)
        return content

    def _list(self, section: Section, key: str) -> list[Any]:
        return self.rows(next(spec for spec in section.rows if spec.key == key))

    def replace_rows(self, spec: RowList, rows: list[Any]) -> None:
        """After a save: the list's rows in memory become `rows` (other lists of the table stay)."""
        kept = [row for row in self.table(spec.related_name) if not spec.belongs(row)]
        self._rows[spec.related_name] = [*kept, *rows]

    def forget_derived(self) -> None:
        """After a write changed the content in memory: derived values are computed again on use."""
        for name in DERIVED:
            self.__dict__.pop(name, None)

    @property
    def is_locked(self) -> bool:
        """Read under a row lock that is still held (the transaction it was read in is open)."""
        return self.locked and transaction.get_connection().in_atomic_block

    # Typed access to the lists interpretation reads.
    @property
    def copm_problems(self) -> list[CopmProblem]:
        return self._list(PROFILE, "copm")

    @property
    def psfs_activities(self) -> list[PsfsActivity]:
        return self._list(OCCUPATIONAL_INVENTORY, "psfs")

    @property
    def strength(self) -> list[StrengthMeasurement]:
        return self._list(PHYSICAL, "strength")

    @property
    def range_of_motion(self) -> list[RangeOfMotionMeasurement]:
        return self._list(PHYSICAL, "range_of_motion")

    @property
    def flexibility(self) -> list[FlexibilityMeasurement]:
        return self._list(PHYSICAL, "flexibility")

    @property
    def pinch(self) -> list[PinchMeasurement]:
        return self._list(PHYSICAL, "pinch")

    @property
    def grip(self) -> list[GripMeasurement]:
        return self._list(PHYSICAL, "grip")

    @property
    def neuromuscular_tests(self) -> list[NeuromuscularMeasurement]:
        return self._list(NEUROMUSCULAR, "tests")

    @property
    def cognitive_findings(self) -> list[CognitiveFinding]:
        return self._list(COGNITION, "findings")

    @property
    def cognitive_screens(self) -> list[CognitiveScreen]:
        return self._list(COGNITION, "screens")

    @property
    def adl_ratings(self) -> list[ActivityRating]:
        return self._list(ADL_CHECKLIST, "ratings")

    @property
    def iadl_ratings(self) -> list[ActivityRating]:
        return self._list(IADL_CHECKLIST, "ratings")

    @property
    def activity_ratings(self) -> list[ActivityRating]:
        return [*self.adl_ratings, *self.iadl_ratings]

    @property
    def functional_scales(self) -> list[FunctionalScaleScore]:
        return self._list(IADL_CHECKLIST, "scales")

    @property
    def pain_points(self) -> list[PainPoint]:
        return self._list(MUSCLE_IMBALANCE, "pain_points")

    @property
    def affected_occupations(self) -> list[AffectedOccupationFinding]:
        return self._list(MUSCLE_IMBALANCE, "affected_occupations")

    @property
    def goals(self) -> list[Goal]:
        return self._list(ASSESSMENT_AND_PLAN, "goals")

    @property
    def interventions(self) -> list[PlannedIntervention]:
        return self._list(ASSESSMENT_AND_PLAN, "interventions")

    # -- what it means (computed once per record) ------------------------------------------

    @cached_property
    def scores(self) -> dict[ScoreKey, Score]:
        """The instrument score of each scored row, keyed by (list key, row id)."""

        return row_scores(self)

    @cached_property
    def copm(self) -> dict[str, Score]:
        """COPM performance and satisfaction of this evaluation, or {} when no problem is rated."""
        return copm_scores(self)

    @cached_property
    def findings(self) -> list[Finding]:
        """Left/right differences beyond the clinic's thresholds, with related pain and occupations."""

        return imbalance_findings(self)

    @cached_property
    def deficits(self) -> list[str]:
        """Performance deficits with their evidence (the CPT suggestion counts them)."""

        return performance_deficits(self)

    @cached_property
    def cpt(self) -> Suggestion:

        evaluation = self.evaluation
        return suggest(
            kind=evaluation.kind,
            deficits=self.deficits,
            history=evaluation.cpt_history,
            comorbidities=evaluation.cpt_comorbidities,
            assistance=evaluation.cpt_assistance,
            documented_change=evaluation.cpt_documented_change,
        )

    @cached_property
    def checklist(self) -> list[Requirement]:
        """Everything signing needs, met or not."""

        return signing_checklist(self)

    @property
    def missing_for_signature(self) -> list[str]:
        return [requirement.label for requirement in self.checklist if not requirement.is_met]

    @cached_property
    def progress(self) -> Progress | None:
        """Each measure then and now, and each baseline goal's status; None without a baseline."""

        return measure_progress(self, self.baseline) if self.baseline is not None else None

    @cached_property
    def trends(self) -> list[Series]:
        """Key measures across the patient's signed evaluations (needs `history`)."""

        return trend_series(self.history or ())


DERIVED = ("scores", "copm", "findings", "deficits", "cpt", "checklist", "progress", "trends")
