"""Goals judged at a re-evaluation or discharge: the therapist's status (with a note where it
changes the goal), the ratings' suggestion beside it, never in its place."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluations.choices import AssistLevel, EvaluationKind
from evaluations.interpretation.progress import suggest_goal_status
from evaluations.models import Goal
from evaluations.sections import ASSESSMENT_AND_PLAN
from evaluations.services import save_sections, start_evaluation
from occupations.models import Activity
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed
from tests.evaluations.test_views import page_data, post_section

pytestmark = pytest.mark.django_db
PLAN = "assessment-and-plan"


def rating(level):
    return SimpleNamespace(assist_level=level, get_assist_level_display=lambda: AssistLevel(level).label)


def goal(target="", activity_id=1):
    return SimpleNamespace(
        activity_id=activity_id,
        target_level=target,
        get_target_level_display=lambda: AssistLevel(target).label if target else "",
    )


def test_a_goal_whose_target_level_is_reached_is_suggested_as_met():
    # "Car transfer with supervision", rated at supervision: met (it used to read "progressing").
    suggestion = suggest_goal_status(goal("supervision"), rating("supervision"), rating("moderate_assist"))
    assert (suggestion.status, suggestion.reason) == (
        "met",
        "activity now supervision / standby (target supervision / standby)",
    )
    assert suggest_goal_status(goal("supervision"), rating("modified_independent"), None).status == "met"


def test_better_than_baseline_but_short_of_the_target_is_partly_met_and_no_better_is_not_met():
    assert suggest_goal_status(
        goal("supervision"), rating("minimal_assist"), rating("maximal_assist")
    ).status == ("partially_met")
    assert suggest_goal_status(
        goal("supervision"), rating("minimal_assist"), rating("minimal_assist")
    ).status == ("not_met")
    assert (
        suggest_goal_status(goal(), rating("modified_independent"), None).status == "met"
    )  # without a helper


def test_no_suggestion_without_an_activity_rated_today():
    assert suggest_goal_status(goal(activity_id=None), rating("independent"), None) is None
    assert suggest_goal_status(goal(), None, rating("minimal_assist")) is None


@pytest.fixture
def baseline(therapist, patient):
    return signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(weeks=6))


@pytest.fixture
def discharge(therapist, patient, baseline):
    return start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.DISCHARGE,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )


def test_the_goals_page_offers_the_baselines_goals_with_a_status_and_the_suggestion(
    page_client, therapist, discharge
):
    client = page_client(therapist)
    assert post_section(client, discharge, "adl-checklist").status_code == 302  # rated as at baseline
    page = client.get(f"/evaluations/{discharge.public_id}/{PLAN}/")
    goals = page.context["editor"].parts[0]
    first = goals.formset.forms[0]
    assert (first.initial["baseline_goal"], first.initial["offered"]) == (1, True)
    assert "status" in first.fields and "status_note" in first.fields
    html = page.content.decode()
    assert 'name="goals-0-baseline_goal"' in html and 'type="hidden" name="goals-0-baseline_goal"' in html
    # Today's dressing rating (as at baseline) has not reached the goal: the suggestion says so.
    assert first.suggestion.status == "not_met" and "Suggested: not met — activity" in html

    data = {
        **page_data(page.context["editor"]),
        "loaded_version": page.context["loaded_version"],
        "goals-0-status": "met",
        "goals-1-status": "discontinued",
    }
    refused = client.post(f"/evaluations/{discharge.public_id}/{PLAN}/", data)
    assert refused.status_code == 400
    assert "why it was discontinued" in refused.content.decode()
    data["goals-1-status_note"] = "Moved to her daughter's; no longer drives to church."
    saved = client.post(f"/evaluations/{discharge.public_id}/{PLAN}/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    goals = record_of(discharge, therapist).goals
    assert [(g.baseline_goal, g.status, g.status_note[:5]) for g in goals] == [
        (1, "met", ""),
        (2, "discontinued", "Moved"),
    ]
    menu = client.get(f"/evaluations/{discharge.public_id}/adl-checklist/").context["menu"]
    assert not [r for r in menu.missing if "A status for each goal" in r.label]
    assert goals[0].target_on < discharge.date_of_service  # a goal judged met keeps its past target date
    detail = client.get(f"/evaluations/{discharge.public_id}/").content.decode()
    assert "Discontinued: Moved to her daughter" in detail


def test_signing_a_discharge_needs_a_status_for_each_baseline_goal(page_client, therapist, discharge):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{discharge.public_id}/sign/")
    requirement = next(r for r in page.context["requirements"] if "A status for each goal" in r.label)
    assert not requirement.is_met and "(2 not judged yet)" in requirement.label
    # The section menu of any section counts it too (from its one presence query).
    menu = client.get(f"/evaluations/{discharge.public_id}/profile/").context["menu"]
    (missing,) = [r for r in menu.missing if "A status for each goal" in r.label]
    assert missing.label == requirement.label and missing.section.slug == PLAN


def test_an_initial_evaluation_has_no_goal_status(api_client, therapist, patient):
    draft = start_evaluation(by=therapist, patient=patient, date_of_service=timezone.localdate())
    page = api_client(therapist).patch(
        f"/api/v1/evaluations/{draft.public_id}/",
        {
            "assessment_and_plan": {
                "goals": [
                    {
                        "term": "short_term",
                        "description": "Dresses independently",
                        "target_on": (timezone.localdate() + timezone.timedelta(weeks=4)).isoformat(),
                        "activity": "dressing",
                        "status": "met",
                    }
                ]
            }
        },
        format="json",
    )
    assert page.status_code == 400
    assert "judged at a re-evaluation or discharge" in str(page.json())
    with pytest.raises(ValidationError):
        save_sections(
            record=record_of(draft, therapist),
            by=therapist,
            contents={
                ASSESSMENT_AND_PLAN: {
                    "goals": [
                        {
                            "term": "short_term",
                            "description": "x",
                            "target_on": timezone.localdate() + timezone.timedelta(weeks=4),
                            "activity": Activity.objects.get(code="dressing"),
                            "status": "modified",
                        }
                    ]
                }
            },
        )
    assert not Goal.objects.filter(evaluation=draft).exists()
