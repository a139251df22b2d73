"""The PSFS recorded in the occupational inventory: scored on the page, carried to a follow-up as the
activities to rate again, compared with the baseline, and kept out of seals made before it existed."""

import pytest
from django.utils import timezone

from evaluations.choices import EvaluationKind
from evaluations.seal import canonical_content
from evaluations.sections import OCCUPATIONAL_INVENTORY
from evaluations.services import save_sections, start_evaluation
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed

pytestmark = pytest.mark.django_db


def test_the_psfs_is_scored_compared_and_carried(page_client, therapist, patient):
    baseline = signed(
        therapist, patient, when=timezone.localdate() - timezone.timedelta(weeks=4)
    )  # socks 3, car 2
    client = page_client(therapist)
    assert "PSFS score" in client.get(f"/evaluations/{baseline.public_id}/").content.decode()
    assert (
        "2.5/10 (mean of the activities rated"
        in client.get(f"/evaluations/{baseline.public_id}/").content.decode()
    )

    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.RE_EVALUATION,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    page = client.get(f"/evaluations/{follow_up.public_id}/occupational-inventory/")
    psfs = next(part for part in page.context["editor"].parts if part.spec.key == "psfs")
    assert [form.initial.get("activity") for form in psfs.formset.forms[:2]] == [
        "Putting on socks",
        "Getting into the car",
    ]

    save_sections(
        record=record_of(follow_up, therapist),
        by=therapist,
        contents={
            OCCUPATIONAL_INVENTORY: {
                "psfs": [
                    {"activity": "Putting on socks", "rating": 7, "notes": ""},
                    {"activity": "Getting into the car", "rating": 4, "notes": ""},
                ]
            }
        },
    )
    progress = record_of(follow_up, therapist, baseline=True).progress
    (change,) = [m for m in progress.measures if m.measure.startswith("PSFS")]
    # (7 + 4) / 2 = 5.5 against (3 + 2) / 2 = 2.5: +3 >= 2 (MDC90)
    assert (change.before, change.now, change.change, change.meaning) == (
        "2.5/10",
        "5.5/10",
        "+3",
        "improved",
    )
    assert "Stratford 1995, MDC90" in change.threshold


def test_an_evaluation_without_psfs_seals_as_before_the_list_existed(therapist, patient):
    from tests.factories import EvaluationFactory

    empty = record_of(EvaluationFactory(therapist=therapist, patient=patient), therapist)
    assert "psfs" not in canonical_content(empty)["sections"]["occupational_inventory"]
    with_psfs = record_of(signed(therapist, patient), therapist)
    assert len(canonical_content(with_psfs)["sections"]["occupational_inventory"]["psfs"]) == 2


def test_the_api_gives_the_psfs_mean_and_its_change(api_client, therapist, patient):
    baseline = signed(therapist, patient, when=timezone.localdate() - timezone.timedelta(weeks=4))
    body = api_client(therapist).get(f"/api/v1/evaluations/{baseline.public_id}/").json()
    assert body["psfs"] == {
        "mean": 2.5,
        "change": None,
        "meaning": None,
        "threshold": None,
        "new_activities": [],
    }
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.RE_EVALUATION,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    save_sections(
        record=record_of(follow_up, therapist),
        by=therapist,
        contents={
            OCCUPATIONAL_INVENTORY: {"psfs": [{"activity": "Putting on socks", "rating": 6, "notes": ""}]}
        },
    )
    psfs = api_client(therapist).get(f"/api/v1/evaluations/{follow_up.public_id}/").json()["psfs"]
    assert (psfs["mean"], psfs["change"], psfs["meaning"]) == (6.0, 3.0, "improved")  # socks 3 -> 6
