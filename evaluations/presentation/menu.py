"""The section menu of the entry pages: each section with its state, and what signing still needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.checklist import (
    Requirement,
    SectionState,
    baseline_goals_judged,
    billing_requirement,
    code_requirement,
    section_states,
    signing_requirements,
)
from evaluations.sections import BILLING, SECTIONS, Section

if TYPE_CHECKING:
    from evaluations.selectors import RowPresence

HAS_ERRORS = "has errors"  # entries typed with errors are kept for the section (SectionDraft)
MARKS = {
    SectionState.NOT_STARTED: "○",
    SectionState.IN_PROGRESS: "◐",
    SectionState.COMPLETE: "✓",
    HAS_ERRORS: "!",
}


@dataclass(frozen=True)
class MenuItem:
    section: Section
    state: str
    mark: str
    is_current: bool


@dataclass(frozen=True)
class Menu:
    items: list[MenuItem]
    missing: list[Requirement]


def section_menu(
    presence: RowPresence, record: EvaluationRecord, current: Section, kept: Mapping[str, Any]
) -> Menu:
    """States from row presence (one query); the CPT section's page has the rows the CPT suggestion
    reads, so there the code is also checked against the suggestion, as signing does."""
    billing = billing_requirement(record) if current is BILLING else code_requirement(presence.evaluation)
    baseline = presence.evaluation.previous_evaluation
    goals = (
        [baseline_goals_judged(baseline, presence.baseline_goals, presence.judged_goals)]
        if baseline is not None and presence.baseline_goals
        else []
    )
    checklist = [*signing_requirements(presence), *goals, billing]
    states = section_states(presence, checklist)
    items = []
    for section in SECTIONS:
        state: str = HAS_ERRORS if section.slug in kept else states[section]
        items.append(MenuItem(section, state, MARKS[state], section is current))
    return Menu(items, [requirement for requirement in checklist if not requirement.is_met])
