"""A signed evaluation as FHIR R4 resources: an Observation for every measurement, rating and
score, a Goal for every goal, a CarePlan for its plan of care and a DocumentReference for its
signed report; and the patient's diagnoses as Conditions, the clinicians as Practitioners.

Only signed content is ever built here (the views read signed evaluations alone). Every resource
id names the evaluation it comes from (`<evaluation id>.<kind>.<row>`), so a read loads that one
evaluation. Codes: LOINC where instruments.json has a verified code (evaluations.instruments.
terminology), otherwise the clinic's own CodeSystems under FHIR_SYSTEM_BASE, always with text;
units in UCUM. Body sites are given as text with the side as a SNOMED CT laterality qualifier
(the region codes in fhir-mapping.md are marked unverified, so none is sent)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal
from html import escape
from typing import Any

from django.conf import settings

from accounts.models import User
from evaluations.choices import EvaluationKind, GoalStatus
from evaluations.instruments import Score, registry, terminology
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.scores import grip_method, grip_value, row_scores
from evaluations.sections import PROFILE
from patients.models import Patient
from patients.validators import describe_icd10cm

UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
LATERALITY = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
# SNOMED CT laterality qualifiers (fhir-mapping.md, left/right pattern).
SIDES = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "bilateral": ("51440002", "Bilateral"),
}
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"


def code_system(name: str) -> str:
    """A CodeSystem of the clinic's own (measures, grades, levels), under FHIR_SYSTEM_BASE."""
    return f"{settings.FHIR_SYSTEM_BASE}/CodeSystem/{name}"


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def concept(*codings: dict[str, str], text: str) -> dict[str, Any]:
    return {"coding": list(codings), "text": text}


def local(name: str, code: str, display: str) -> dict[str, Any]:
    return concept(coding(code_system(name), code, display), text=display)


def patient_reference(patient: Patient) -> dict[str, str]:
    return {"reference": f"Patient/{patient.public_id}", "display": patient.display_name}


def practitioner_reference(user: User) -> dict[str, str]:
    return {"reference": f"Practitioner/{user.public_id}", "display": user.display_name}


def quantity(value: float | Decimal | int, code: str, unit: str | None = None) -> dict[str, Any]:
    number: float | int = value if isinstance(value, int) else float(value)
    return {"value": number, "unit": unit or code, "system": UCUM, "code": code}


def body_site(text: str, side: str | None) -> dict[str, Any]:
    """A body site as text, its side (left, right, bilateral) as a SNOMED CT laterality qualifier."""
    site: dict[str, Any] = {"text": text}
    if side in SIDES:
        code, display = SIDES[side]
        site["text"] = f"{display} {text[:1].lower()}{text[1:]}"
        site["extension"] = [
            {"url": LATERALITY, "valueCodeableConcept": concept(coding(SNOMED, code, display), text=display)}
        ]
    return site


def category(code: str, us_core: str | None = None) -> list[dict[str, Any]]:
    displays = {"exam": "Exam", "survey": "Survey"}
    categories = [concept(coding(OBSERVATION_CATEGORY, code, displays[code]), text=displays[code])]
    if us_core:
        display = {"functional-status": "Functional Status", "cognitive-status": "Cognitive Status"}[us_core]
        categories.append(concept(coding(US_CORE_CATEGORY, us_core, display), text=display))
    return categories


@dataclass(frozen=True)
class Built:
    """One resource built from a signed evaluation, with what searches filter on."""

    resource: dict[str, Any]
    codes: frozenset[tuple[str, str]] = frozenset()  # (system, code) of Observation.code
    categories: frozenset[tuple[str, str]] = frozenset()

    @property
    def type(self) -> str:
        return self.resource["resourceType"]

    @property
    def id(self) -> str:
        return self.resource["id"]


class EvaluationResources:
    """The resources of one signed evaluation (built on demand, from memory: no queries)."""

    def __init__(self, record: EvaluationRecord, origin: str, *, current: bool = True):
        self.record = record
        # The patient's newest signed evaluation: its plan of care is the one in force.
        self.current = current
        self.origin = origin  # scheme and host the report's address is given under
        self.evaluation = record.evaluation
        self.prefix = str(self.evaluation.public_id)
        signed_at = self.evaluation.signed_at
        assert signed_at is not None, "only signed evaluations are built"
        self.issued = signed_at.isoformat()
        self.scores = row_scores(record)

    def all(self) -> Iterator[Built]:
        yield from self.observations()
        yield from self.questionnaire_responses()
        yield self.composition()
        yield from self.goals()
        plan = self.care_plan()
        if plan is not None:
            yield plan
        yield self.document_reference()

    def of_type(self, resource_type: str) -> Iterator[Built]:
        builders = {
            "Observation": self.observations,
            "Goal": self.goals,
            "CarePlan": lambda: iter(filter(None, [self.care_plan()])),
            "DocumentReference": lambda: iter([self.document_reference()]),
            "QuestionnaireResponse": self.questionnaire_responses,
            "Composition": lambda: iter([self.composition()]),
        }
        yield from builders[resource_type]()

    # -- Observations -----------------------------------------------------------------------

    def _observation(
        self,
        key: str,
        row: Any,
        *,
        code: dict[str, Any],
        categories: list[dict[str, Any]],
        value: dict[str, Any] | None = None,
        site: dict[str, Any] | None = None,
        method: str | None = None,
        components: list[dict[str, Any]] | None = None,
        score: Score | None = None,
        suffix: str = "",
        has_member: list[str] | None = None,
    ) -> Built:
        evaluation = self.evaluation
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"{self.prefix}.{ID_KEYS.get(key, key)}{suffix}.{row.pk}",
            "status": "final",
            "category": categories,
            "code": code,
            "subject": patient_reference(evaluation.patient),
            "effectiveDateTime": evaluation.date_of_service.isoformat(),
            "issued": self.issued,
            "performer": [practitioner_reference(evaluation.therapist)],
        }
        if value:
            resource.update(value)
        if site:
            resource["bodySite"] = site
        if method:
            resource["method"] = {"text": method}
        if components:
            resource["component"] = components
        if has_member:
            resource["hasMember"] = [{"reference": f"Observation/{member}"} for member in has_member]
        if score is not None:
            if score.interpretation:
                resource["interpretation"] = [{"text": score.interpretation}]
            if score.norm is not None:
                resource["referenceRange"] = [_reference_range(score)]
        notes = [text for text in (getattr(row, "notes", ""),) if text]
        if score is not None and score.source:
            notes.append(f"Interpreted with: {score.source}")
        if notes:
            resource["note"] = [{"text": text} for text in notes]
        return Built(
            resource,
            codes=frozenset((c["system"], c["code"]) for c in code.get("coding", [])),
            categories=frozenset((c["system"], c["code"]) for cat in categories for c in cat["coding"]),
        )

    def observations(self) -> Iterator[Built]:
        row: Any  # one row of each list in turn
        record = self.record
        scores = self.scores
        exam = category("exam")
        scale = self.evaluation.get_mmt_scale_display()
        for row in record.strength:
            group = row.muscle_group
            yield self._observation(
                "strength",
                row,
                code=local("ot-measures", f"mmt.{group.code}", f"Manual muscle test: {group.label}"),
                categories=exam,
                value={"valueCodeableConcept": local("mmt-grade", row.grade, row.get_grade_display())},
                site=body_site(group.label, row.side),
                method=f"Manual muscle testing, {scale} grades",
            )
        for row in record.range_of_motion:
            motion = row.joint_motion
            mode = row.get_mode_display()
            components = []
            if row.is_painful:
                components.append(
                    {
                        "code": local("ot-measures", "rom.painful", "Painful through the range"),
                        "valueBoolean": True,
                    }
                )
            yield self._observation(
                "range_of_motion",
                row,
                code=local(
                    "ot-measures", f"rom.{motion.code}.{row.mode}", f"{mode} range of motion: {motion.label}"
                ),
                categories=exam,
                value={"valueQuantity": quantity(row.degrees, "deg", "degrees")},
                site=body_site(motion.label, row.side),
                method=f"Goniometry, {mode.lower()}",
                components=components,
                score=scores.get(("range_of_motion", row.pk)),
            )
        for row in record.flexibility:
            yield self._observation(
                "flexibility",
                row,
                code=local("ot-measures", f"flexibility.{row.test.code}", f"Flexibility: {row.test.label}"),
                categories=exam,
                value={
                    "valueCodeableConcept": local(
                        "flexibility-finding", row.finding, row.get_finding_display()
                    )
                },
                site=body_site(row.test.label, row.side),
            )
        for kind, rows in (("grip", record.grip), ("pinch", record.pinch)):
            for row in rows:
                yield self._trials(kind, row, scores.get((kind, row.pk)))
        for row in record.neuromuscular_tests:
            yield self._neuromuscular(row, scores.get(("tests", row.pk)))
        for row in record.cognitive_findings:
            yield self._observation(
                "cognition",
                row,
                code=local(
                    "ot-measures", f"cognition.{row.domain}", f"Cognition: {row.get_domain_display()}"
                ),
                categories=[*category("exam"), category("survey", "cognitive-status")[1]],
                value={
                    "valueCodeableConcept": local("cognitive-rating", row.rating, row.get_rating_display())
                },
            )
        for row in record.cognitive_screens:
            yield from self._instrument("screens", row, "cognitive-status")
        for row in record.functional_scales:
            yield from self._instrument("scales", row, "functional-status")
        for row in record.pain_points:
            yield self._pain(row, scores.get(("pain_points", row.pk)))
        for row in record.activity_ratings:
            activity = row.activity
            yield self._observation(
                "activity",
                row,
                code=local(
                    "ot-measures", f"activity.{activity.code}", f"Assistance needed: {activity.label}"
                ),
                categories=category("survey", "functional-status"),
                value={
                    "valueCodeableConcept": local(
                        "assist-level", row.assist_level, row.get_assist_level_display()
                    )
                },
            )

    def _trials(self, kind: str, row: Any, score: Score | None) -> Built:
        """A grip or pinch row: the clinic's score of its trials, each trial as a component."""
        hand = row.get_hand_display().lower()
        if kind == "grip":
            loinc = terminology.loinc("grip_strength", row.hand)
            text = f"Grip strength, {hand} hand (dynamometer)"
            codings = [coding(loinc.system, loinc.code, loinc.display)] if loinc else []
            codings.append(coding(code_system("ot-measures"), f"grip.{row.hand}", text))
            code = concept(*codings, text=text)
        else:
            text = f"{row.get_pinch_display()} pinch strength, {hand} hand"
            code = local("ot-measures", f"pinch.{row.pinch}.{row.hand}", text)
        components = [
            {
                "code": local("ot-measures", f"{kind}.trial-{number}", f"Trial {number}"),
                "valueQuantity": quantity(trial, "kgf", "kg"),
            }
            for number, trial in enumerate(row.trials, start=1)
        ]
        return self._observation(
            kind,
            row,
            code=code,
            categories=category("exam"),
            value={"valueQuantity": quantity(grip_value(row.trials), "kgf", "kg")},
            site=body_site("Hand", row.hand),
            method=f"{'Dynamometer' if kind == 'grip' else 'Pinch gauge'}, {grip_method()} of "
            f"{len(row.trials)} trial{'s' if len(row.trials) > 1 else ''}",
            components=components,
            score=score,
        )

    def _neuromuscular(self, row: Any, score: Score | None) -> Built:
        test = row.test
        sided = row.side in ("left", "right")
        text = f"{test.label}, {row.get_side_display().lower()} side" if sided else test.label
        codings = []
        loinc = terminology.loinc(test.code)
        if loinc is not None and not sided:
            codings.append(coding(loinc.system, loinc.code, loinc.display))
        local_code = f"neuromuscular.{test.code}" + (f".{row.side}" if sided else "")
        codings.append(coding(code_system("ot-measures"), local_code, text))
        return self._observation(
            "tests",
            row,
            code=concept(*codings, text=text),
            categories=category("exam"),
            value={"valueQuantity": quantity(row.value, test.unit, test.get_unit_display())},
            score=score,
        )

    def _pain(self, row: Any, score: Score | None) -> Built:
        loinc = terminology.loinc("pain_nrs")
        text = f"Pain severity 0-10: {row.region.label}"
        codings = [coding(loinc.system, loinc.code, loinc.display)] if loinc else []
        codings.append(coding(code_system("ot-measures"), f"pain.{row.region.code}", text))
        built = self._observation(
            "pain_points",
            row,
            code=concept(*codings, text=text),
            categories=category("survey"),
            value={"valueInteger": row.intensity},
            site=body_site(row.region.label, row.side),
            score=score,
        )
        if row.aggravating_factors:
            built.resource.setdefault("note", []).append({"text": f"Worse with: {row.aggravating_factors}"})
        return built

    def _instrument(self, key: str, row: Any, status: str) -> Iterator[Built]:
        """A screen's or scale's total (LOINC where known), its items as components when they were
        entered item by item, and for an instrument with a LOINC panel (MoCA) the panel, whose
        member is the total."""
        instrument = registry.get(row.instrument)
        loinc = instrument.loinc_total
        text = f"{instrument.name}: total score"
        codings = [coding(loinc.system, loinc.code, loinc.display)] if loinc else []
        codings.append(coding(code_system("ot-measures"), f"instrument.{instrument.key}", text))
        components = []
        if row.items:
            scores = instrument.item_scores(row.items)
            components = [
                {
                    "code": local("ot-measures", f"instrument.{instrument.key}.{item.key}", item.label),
                    "valueInteger": scores[item.key],
                }
                for item in instrument.items
            ]
        education = getattr(row, "education_years", None)
        if education is not None:
            components.append(
                {
                    "code": local("ot-measures", "education-years", "Years of education"),
                    "valueQuantity": quantity(education, "a", "years"),
                }
            )
        score = self.scores.get((key, row.pk))
        response = self._questionnaire_response(key, row, instrument)
        total = self._observation(
            key,
            row,
            code=concept(*codings, text=text),
            categories=category("survey", status),
            value={"valueQuantity": quantity(score.value if score else row.total_score, "{score}", "score")},
            components=components,
            method="Scored from its items" if row.items else "Total recorded",
            score=score,
        )
        total.resource["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{response['id']}"}]
        yield total
        if instrument.loinc_panel:
            display = terminology.display(instrument.loinc_panel) or instrument.name
            yield self._observation(
                key,
                row,
                suffix="-panel",
                code=concept(coding(terminology.LOINC_SYSTEM, instrument.loinc_panel, display), text=display),
                categories=category("survey", status),
                has_member=[total.id],
            )

    def questionnaire_responses(self) -> Iterator[Built]:
        for key, rows in (
            ("screens", self.record.cognitive_screens),
            ("scales", self.record.functional_scales),
        ):
            for row in rows:
                yield Built(self._questionnaire_response(key, row, registry.get(row.instrument)))

    def _questionnaire_response(self, key: str, row: Any, instrument: Any) -> dict[str, Any]:
        """What was recorded for an instrument, item by item (or its total alone), answering the
        instrument's Questionnaire."""
        evaluation = self.evaluation
        items: list[dict[str, Any]] = []
        if row.items:
            for item in instrument.items:
                option = item.option(row.items.get(item.key))
                if option is not None:
                    items.append(
                        {
                            "linkId": item.key,
                            "text": item.label,
                            "answer": [
                                {
                                    "valueCoding": coding(
                                        answer_system(instrument.key), str(option.value), option.label
                                    )
                                }
                            ],
                        }
                    )
        items.append(
            {"linkId": "total", "text": "Total score", "answer": [{"valueInteger": row.total_score}]}
        )
        education = getattr(row, "education_years", None)
        if instrument.uses_education and education is not None:
            items.append(
                {
                    "linkId": "education-years",
                    "text": "Years of education",
                    "answer": [{"valueInteger": education}],
                }
            )
        return {
            "resourceType": "QuestionnaireResponse",
            "id": f"{self.prefix}.qr-{ID_KEYS[key]}.{row.pk}",
            "questionnaire": questionnaire_url(instrument.key),
            "status": "completed",
            "subject": patient_reference(evaluation.patient),
            "authored": self.issued,
            "author": practitioner_reference(evaluation.therapist),
            "item": items,
        }

    # -- Goals, plan of care, report --------------------------------------------------------

    def goals(self) -> Iterator[Built]:
        evaluation = self.evaluation
        for number, goal in enumerate(self.record.table("goals"), start=1):
            lifecycle, achievement = GOAL_STATES.get(goal.status, ("active", "in-progress"))
            resource: dict[str, Any] = {
                "resourceType": "Goal",
                "id": f"{self.prefix}.goal.{goal.pk}",
                "lifecycleStatus": lifecycle,
                "achievementStatus": concept(
                    coding(GOAL_ACHIEVEMENT, achievement, ACHIEVEMENT_DISPLAY[achievement]),
                    text=goal.get_status_display() if goal.status else ACHIEVEMENT_DISPLAY[achievement],
                ),
                "category": [local("goal-term", goal.term, f"{goal.get_term_display()} goal")],
                "description": {"text": goal.description},
                "subject": patient_reference(evaluation.patient),
                "startDate": evaluation.date_of_service.isoformat(),
                "target": [{"dueDate": goal.target_on.isoformat()}],
                "statusDate": evaluation.date_of_service.isoformat(),
                "expressedBy": practitioner_reference(evaluation.therapist),
            }
            if goal.activity_id:
                target = resource["target"][0]
                target["measure"] = local(
                    "ot-measures",
                    f"activity.{goal.activity.code}",
                    f"Assistance needed: {goal.activity.label}",
                )
                if goal.target_level:
                    target["detailCodeableConcept"] = local(
                        "assist-level", goal.target_level, goal.get_target_level_display()
                    )
            notes = [
                f"Goal {number} of the {evaluation.get_kind_display().lower()} of "
                f"{evaluation.date_of_service.isoformat()}."
            ]
            if goal.baseline_goal:
                notes.append(f"Continues goal {goal.baseline_goal} of the evaluation it follows.")
            notes += [text for text in (goal.status_note, goal.notes) if text]
            resource["note"] = [{"text": text} for text in notes]
            yield Built(resource)

    def care_plan(self) -> Built | None:
        evaluation = self.evaluation
        goals = self.record.table("goals")
        interventions = self.record.table("planned_interventions")
        if not goals and not interventions and not evaluation.sessions_per_week:
            return None
        timing: dict[str, Any] | None = None
        if evaluation.sessions_per_week:
            repeat: dict[str, Any] = {
                "frequency": evaluation.sessions_per_week,
                "period": 1,
                "periodUnit": "wk",
            }
            if evaluation.duration_weeks:
                repeat["boundsDuration"] = quantity(evaluation.duration_weeks, "wk", "weeks")
            timing = {"repeat": repeat}
        # The newest signed evaluation's plan is in force (a discharge's plan ends the care); an
        # earlier one was replaced by the re-evaluation that followed it.
        in_force = self.current and evaluation.kind != EvaluationKind.DISCHARGE
        activities = []
        for planned in interventions:
            detail: dict[str, Any] = {
                "status": "scheduled" if in_force else "completed",
                "code": local("intervention", planned.intervention.code, planned.intervention.label),
            }
            if planned.notes:
                detail["description"] = planned.notes
            if timing:
                detail["scheduledTiming"] = timing
            activities.append({"detail": detail})
        resource: dict[str, Any] = {
            "resourceType": "CarePlan",
            "id": f"{self.prefix}.plan",
            "status": "active" if in_force else "completed",
            "intent": "plan",
            "title": f"Occupational therapy plan of care ({evaluation.get_kind_display().lower()})",
            "subject": patient_reference(evaluation.patient),
            "created": self.issued,
            "author": practitioner_reference(evaluation.therapist),
            "goal": [{"reference": f"Goal/{self.prefix}.goal.{goal.pk}"} for goal in goals],
        }
        period: dict[str, str] = {"start": evaluation.date_of_service.isoformat()}
        if evaluation.duration_weeks:
            period["end"] = (
                evaluation.date_of_service + timedelta(weeks=evaluation.duration_weeks)
            ).isoformat()
        resource["period"] = period
        if evaluation.sessions_per_week:
            frequency = f"{evaluation.sessions_per_week}× a week"
            if evaluation.duration_weeks:
                frequency += f" for {evaluation.duration_weeks} weeks"
            resource["description"] = frequency
        if activities:
            resource["activity"] = activities
        if evaluation.home_program:
            resource["note"] = [{"text": f"Home program: {evaluation.home_program}"}]
        if not resource["goal"]:
            del resource["goal"]
        return Built(resource)

    def document_type(self) -> dict[str, Any]:
        kind = self.evaluation.kind
        return local(
            "document-type",
            f"ot-{kind}",
            f"Occupational therapy {self.evaluation.get_kind_display().lower()} report",
        )

    def composition(self) -> Built:
        """The signed evaluation as a document: its narrative sections (escaped text, never
        markup of the user's) and, for the measured parts, the resources they are made of."""
        evaluation = self.evaluation
        sections = []
        profile = getattr(evaluation, "profile", None)
        if profile is not None:
            paragraphs = [
                (str(profile._meta.get_field(name).verbose_name).capitalize(), getattr(profile, name))
                for name in PROFILE.profile_fields
            ]
            if any(text for _label, text in paragraphs):
                sections.append(_section("Occupational profile", "profile", paragraphs))
        if evaluation.assessment_summary:
            sections.append(_section("Assessment", "assessment", [("", evaluation.assessment_summary)]))
        observations = [built.id for built in self.observations()]
        if observations:
            section = _section(
                "Measurements and scores", "measurements", [("", f"{len(observations)} observations.")]
            )
            section["entry"] = [{"reference": f"Observation/{id}"} for id in observations]
            sections.append(section)
        goals = list(self.goals())
        if goals:
            section = _section(
                "Goals", "goals", [("", "; ".join(g.resource["description"]["text"] for g in goals))]
            )
            section["entry"] = [{"reference": f"Goal/{goal.id}"} for goal in goals]
            sections.append(section)
        plan = self.care_plan()
        if plan is not None:
            text = plan.resource.get("description", "")
            if evaluation.home_program:
                text = f"{text}. Home program: {evaluation.home_program}" if text else evaluation.home_program
            section = _section("Plan of care", "plan", [("", text or "Plan of care.")])
            section["entry"] = [{"reference": f"CarePlan/{plan.id}"}]
            sections.append(section)
        addenda = list(evaluation.addenda.all())
        if addenda:
            sections.append(
                _section(
                    "Addenda",
                    "addenda",
                    [
                        (
                            f"{a.author.display_name}, {a.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
                            a.text,
                        )
                        for a in addenda
                    ],
                )
            )
        attesters = [
            {"mode": "legal", "time": self.issued, "party": practitioner_reference(evaluation.signed_by)}
        ]
        if evaluation.signed_by_id != evaluation.therapist_id:
            attesters.insert(
                0, {"mode": "professional", "party": practitioner_reference(evaluation.therapist)}
            )
        resource: dict[str, Any] = {
            "resourceType": "Composition",
            "id": f"{self.prefix}.composition",
            "status": "amended" if addenda else "final",
            "type": self.document_type(),
            "subject": patient_reference(evaluation.patient),
            "date": self.issued,
            "author": [practitioner_reference(evaluation.therapist)],
            "title": f"{evaluation.get_kind_display()}, {evaluation.date_of_service.isoformat()}",
            "confidentiality": "R",
            "attester": attesters,
            "section": sections,
        }
        if evaluation.content_sha256:
            resource["identifier"] = {
                "system": f"{settings.FHIR_SYSTEM_BASE}/seal-sha256",
                "value": evaluation.content_sha256,
            }
        return Built(resource)

    def document_reference(self) -> Built:
        evaluation = self.evaluation
        addenda = len(evaluation.addenda.all())
        kept = next((r for r in evaluation.signed_reports.all() if r.addenda == addenda), None)
        attachment: dict[str, Any] = {
            "contentType": "application/pdf",
            "url": f"{self.origin}/api/v1/evaluations/{evaluation.public_id}/report.pdf",
            "title": f"{evaluation.get_kind_display()}, {evaluation.date_of_service.isoformat()}",
            "creation": self.issued,
        }
        if kept is not None:
            attachment["size"] = kept.size
        resource: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "id": f"{self.prefix}.report",
            "status": "current",
            "docStatus": "amended" if addenda else "final",
            "type": self.document_type(),
            "subject": patient_reference(evaluation.patient),
            "date": self.issued,
            "author": [practitioner_reference(evaluation.therapist)],
            "authenticator": practitioner_reference(evaluation.signed_by),
            "description": f"Signed {evaluation.get_kind_display().lower()} of {evaluation.date_of_service.isoformat()}"
            + (f", with {addenda} addend{'a' if addenda > 1 else 'um'}" if addenda else ""),
            "content": [
                {
                    "attachment": attachment,
                    "format": {"system": "urn:ietf:bcp:13", "code": "application/pdf", "display": "PDF"},
                }
            ],
            "context": {
                "period": {
                    "start": evaluation.date_of_service.isoformat(),
                    "end": evaluation.date_of_service.isoformat(),
                }
            },
        }
        return Built(resource)


# The row lists' short names in resource ids (an id allows letters, digits, "-" and ".", 64 at most).
ID_KEYS = {
    "strength": "mmt",
    "range_of_motion": "rom",
    "flexibility": "flex",
    "tests": "test",
    "cognition": "cog",
    "screens": "screen",
    "scales": "scale",
    "pain_points": "pain",
}

# Where a goal stands (its status at a re-evaluation or discharge) as FHIR Goal states.
GOAL_STATES = {
    GoalStatus.MET: ("completed", "achieved"),
    GoalStatus.PARTIALLY_MET: ("active", "improving"),
    GoalStatus.NOT_MET: ("active", "not-achieved"),
    GoalStatus.CONTINUED: ("active", "in-progress"),
    GoalStatus.MODIFIED: ("active", "in-progress"),
    GoalStatus.DISCONTINUED: ("cancelled", "not-achieved"),
}
ACHIEVEMENT_DISPLAY = {
    "in-progress": "In Progress",
    "improving": "Improving",
    "achieved": "Achieved",
    "not-achieved": "Not Achieved",
}


def _reference_range(score: Score) -> dict[str, Any]:
    norm = score.norm
    assert norm is not None
    text = norm.description
    if norm.mean is not None and norm.sd is not None:
        text += f": mean {norm.mean:g}, SD {norm.sd:g}{(' ' + norm.unit) if norm.unit else ''}"
    if norm.source:
        text += f" ({norm.source})"
    return {"text": text}


def conditions(patient: Patient) -> list[Built]:
    """The patient's diagnoses (ICD-10-CM, primary first) as Conditions, asserted by the referring
    physician when one is recorded."""
    found = []
    for rank, code in enumerate(patient.diagnosis_codes, start=1):
        description = describe_icd10cm(code) or code
        resource: dict[str, Any] = {
            "resourceType": "Condition",
            "id": f"{patient.public_id}.{code}",
            "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active"), text="Active"),
            "verificationStatus": concept(
                coding(CONDITION_VERIFICATION, "confirmed", "Confirmed"), text="Confirmed"
            ),
            "category": [
                concept(
                    coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"),
                    text="Referral diagnosis" + (" (primary)" if rank == 1 else ""),
                )
            ],
            "code": concept(coding(ICD10CM, code, description), text=description),
            "subject": patient_reference(patient),
        }
        if patient.referring_physician_npi:
            resource["asserter"] = {
                "reference": f"Practitioner/npi-{patient.referring_physician_npi}",
                "display": patient.referring_physician_name or f"NPI {patient.referring_physician_npi}",
            }
        found.append(Built(resource))
    return found


def therapist(user: User) -> dict[str, Any]:
    """A clinician of the clinic as a Practitioner."""
    name: dict[str, Any] = {"use": "official", "text": user.display_name}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    if user.credentials:
        name["suffix"] = [user.credentials]
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(user.public_id),
        "active": user.is_active,
        "name": [name],
    }
    if user.credentials:
        resource["qualification"] = [{"code": {"text": user.credentials}}]
    return resource


def referring_physician(npi: str, name: str) -> dict[str, Any]:
    """A referring physician, known by NPI and the name the referral gave."""
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": f"npi-{npi}",
        "identifier": [{"system": NPI, "value": npi}],
    }
    if name:
        resource["name"] = [{"text": name}]
    return resource


def questionnaire_id(key: str) -> str:
    return key.replace("_", "-")  # an id has no underscore


def questionnaire_url(key: str) -> str:
    """The instrument's Questionnaire as a canonical URL of the clinic's own."""
    return f"{settings.FHIR_SYSTEM_BASE}/Questionnaire/{questionnaire_id(key)}"


def answer_system(key: str) -> str:
    return code_system(f"{questionnaire_id(key)}-answers")


def questionnaire(instrument: Any) -> dict[str, Any]:
    """A standardized instrument as a Questionnaire, generated from the instrument registry: its
    items with their answer options, then its total (read-only where the items give it)."""
    items: list[dict[str, Any]] = [
        {
            "linkId": item.key,
            "text": item.label,
            "type": "choice",
            "required": True,
            "answerOption": [
                {"valueCoding": coding(answer_system(instrument.key), str(option.value), option.label)}
                for option in item.options
            ],
        }
        for item in instrument.items
    ]
    items.append(
        {
            "linkId": "total",
            "text": f"Total score ({instrument.low}-{instrument.high})",
            "type": "integer",
            "required": True,
            **({"readOnly": True} if instrument.items else {}),
        }
    )
    if instrument.uses_education:
        items.append({"linkId": "education-years", "text": "Years of education", "type": "integer"})
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument.key),
        "url": questionnaire_url(instrument.key),
        "name": re.sub(r"[^A-Za-z0-9]", "", instrument.name.title()) or "Instrument",
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": settings.CLINIC_NAME,
        "description": " ".join(part for part in (instrument.rule, instrument.items_note) if part),
        "copyright": instrument.licence,
        "item": items,
    }
    loinc = instrument.loinc_total
    if loinc is not None:
        resource["code"] = [coding(loinc.system, loinc.code, loinc.display)]
    return resource


def _section(title: str, code: str, paragraphs: list[tuple[str, str]]) -> dict[str, Any]:
    """A Composition section whose narrative is the text as typed, escaped for XHTML."""
    body = "".join(
        f"<p>{'<b>' + escape(label) + ':</b> ' if label else ''}{escape(text)}</p>"
        for label, text in paragraphs
        if text
    )
    return {
        "title": title,
        "code": local("composition-section", code, title),
        "text": {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'},
    }
