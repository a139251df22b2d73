import pytest
from django.contrib.admin.models import LogEntry

from occupations.models import CATALOGUES, Activity, ImbalanceCause

pytestmark = pytest.mark.django_db


def test_the_clinic_lists_are_seeded():
    adl = list(Activity.objects.filter(category="adl").values_list("code", flat=True))
    assert len(adl) == 9
    core = Activity.objects.filter(is_core_iadl=True)
    assert sorted(core.values_list("lawton_item", flat=True)) == sorted(
        [
            "telephone",
            "shopping",
            "food_preparation",
            "housekeeping",
            "laundry",
            "transportation",
            "medications",
            "finances",
        ]
    )
    assert Activity.objects.filter(category="health_management").exists()
    assert ImbalanceCause.objects.get(code="prolonged_sitting").label == "Sitting for too long"
    for model in CATALOGUES.values():
        assert model.objects.active().exists(), model


@pytest.mark.parametrize("kind", CATALOGUES)
def test_every_catalogue_is_readable_by_any_signed_in_user(api_client, front_desk, kind):
    response = api_client(front_desk).get(f"/api/v1/catalogues/{kind}/")
    assert response.status_code == 200
    assert response.json()["count"] == CATALOGUES[kind].objects.active().count()


def test_catalogues_need_a_login(api_client):
    assert api_client().get("/api/v1/catalogues/activities/").status_code == 401


def test_retired_entries_are_listed_only_when_asked_for_and_readable_by_code(api_client, therapist):
    ImbalanceCause.objects.filter(code="natural_causes").update(is_active=False)
    api = api_client(therapist)

    codes = [row["code"] for row in api.get("/api/v1/catalogues/imbalance-causes/").json()["results"]]
    everything = [
        row["code"]
        for row in api.get("/api/v1/catalogues/imbalance-causes/?include_retired=true").json()["results"]
    ]

    assert "natural_causes" not in codes and "natural_causes" in everything
    one = api.get("/api/v1/catalogues/imbalance-causes/natural_causes/").json()
    assert (one["label"], one["is_active"]) == ("Natural causes", False)


def test_joint_motions_carry_their_bounds(api_client, therapist):
    row = api_client(therapist).get("/api/v1/catalogues/joint-motions/elbow_extension/").json()
    assert (row["min_degrees"], row["max_degrees"], row["region"]) == (-90, 30, "upper")


def test_clinic_admin_retires_but_never_deletes_and_cannot_rename_a_code(page_client, clinic_admin):
    client = page_client(clinic_admin)
    cause = ImbalanceCause.objects.get(code="natural_causes")

    client.post("/admin/occupations/imbalancecause/", {"action": "retire", "_selected_action": [cause.pk]})
    cause.refresh_from_db()
    assert cause.is_active is False
    assert LogEntry.objects.get(object_id=str(cause.pk)).user == clinic_admin

    assert (
        client.post(f"/admin/occupations/imbalancecause/{cause.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(
        f"/admin/occupations/imbalancecause/{cause.pk}/change/",
        {"code": "renamed", "label": "Natural causes (aging)", "display_order": 70},
    )
    cause.refresh_from_db()
    assert (cause.code, cause.label) == ("natural_causes", "Natural causes (aging)")


def test_therapists_cannot_edit_catalogues(page_client, therapist):
    assert page_client(therapist).get("/admin/occupations/activity/").status_code == 302
