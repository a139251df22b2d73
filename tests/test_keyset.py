"""Lists page by cursor on a unique order: a row written while someone pages is neither skipped nor
repeated, the previous links walk back through the same pages, a cursor that is not ours is a 400,
and on PostgreSQL each list's first and deep pages are read through an index in order (no
sequential scan, no sort) at a few thousand rows."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from common.keyset import encode, keyset_page, keyset_queryset
from evaluations.models import Evaluation
from evaluations.selectors import EVALUATION_LIST_ORDER, list_evaluations
from patients.models import Patient
from patients.selectors import PATIENT_LIST_ORDER, list_patients
from tests.factories import EvaluationFactory, PatientFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db


def walk(api, url: str, link: str = "next") -> list[list[str]]:
    pages = []
    while url:
        body = api.get(url).json()
        pages.append([row["family_name"] if "family_name" in row else row["id"] for row in body["results"]])
        url = body[link]
    return pages


def test_a_patient_registered_while_someone_pages_is_neither_skipped_nor_repeated(api_client, front_desk):
    for name in ("Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Garcia"):
        PatientFactory(family_name=name, given_name="Ann")
    api = api_client(front_desk)
    first = api.get("/api/v1/patients/?page_size=3").json()
    assert [row["family_name"] for row in first["results"]] == ["Adams", "Baker", "Clark"]
    assert first["previous"] is None and "count" not in first
    # Between two pages: one patient sorts into the page already read, one into a page still to come,
    # and one already read is archived.
    PatientFactory(family_name="Abbott", given_name="Ann")
    PatientFactory(family_name="Edwards", given_name="Ann")
    Patient.objects.filter(family_name="Baker").update(archived_at=timezone.now(), archived_by=front_desk)
    rest = walk(api, first["next"])
    assert rest == [["Davis", "Edwards", "Evans"], ["Foster", "Garcia"]]
    # Back again from the last page: the same pages, now as they stand (Abbott in, Baker out).
    last = api.get(first["next"]).json()
    back = api.get(api.get(last["next"]).json()["previous"]).json()
    assert [row["family_name"] for row in back["results"]] == ["Davis", "Edwards", "Evans"]
    start = api.get(back["previous"]).json()
    assert [row["family_name"] for row in start["results"]] == ["Abbott", "Adams", "Clark"]
    assert start["previous"] is None


def test_same_names_and_birth_dates_page_by_mrn_without_loss(api_client, front_desk):
    born = datetime.date(1950, 3, 2)
    twins = [PatientFactory(family_name="Lee", given_name="Kim", date_of_birth=born) for _ in range(5)]
    api = api_client(front_desk)
    pages = []
    url = "/api/v1/patients/?page_size=2"
    while url:
        body = api.get(url).json()
        pages.append([row["mrn"] for row in body["results"]])
        url = body["next"]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [mrn for page in pages for mrn in page] == sorted(p.mrn for p in twins)


def test_evaluations_of_one_day_page_newest_first_and_a_new_one_is_not_repeated(
    api_client, therapist, patient
):
    today = timezone.localdate()
    made = [EvaluationFactory(therapist=therapist, patient=patient, date_of_service=today) for _ in range(4)]
    older = EvaluationFactory(
        therapist=therapist, patient=patient, date_of_service=today - datetime.timedelta(days=9)
    )
    api = api_client(therapist)
    first = api.get("/api/v1/evaluations/?page_size=2").json()
    assert [row["id"] for row in first["results"]] == [str(made[3].public_id), str(made[2].public_id)]
    EvaluationFactory(therapist=therapist, patient=patient, date_of_service=today)  # newer than the page read
    rest = api.get(first["next"]).json()
    assert [row["id"] for row in rest["results"]] == [str(made[1].public_id), str(made[0].public_id)]
    final = api.get(rest["next"]).json()
    assert [row["id"] for row in final["results"]] == [str(older.public_id)] and final["next"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "e30",  # {}
        "eyJkIjoieCIsInYiOltdfQ",  # {"d":"x","v":[]}
        "eyJkIjoibiIsInYiOlsiYSJdfQ",  # one value where four are needed
        "eyJkIjoibiIsInYiOlsiYSIsImIiLCJub3QgYSBkYXRlIiwiMSJdfQ",  # a birth date that is not a date
        "x" * 1001,
    ],
)
def test_a_cursor_that_is_not_ours_is_a_400(api_client, front_desk, cursor):
    response = api_client(front_desk).get(f"/api/v1/patients/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_count_is_given_only_when_asked_for(api_client, front_desk, django_assert_num_queries):
    PatientFactory.create_batch(3)
    api = api_client(front_desk)
    assert "count" not in api.get("/api/v1/patients/").json()
    assert api.get("/api/v1/patients/?count=true").json()["count"] == 3
    assert api.get("/api/v1/patients/?count=maybe").status_code == 400


# --- Query plans on PostgreSQL ------------------------------------------------------------------


def _plan(queryset) -> str:
    return queryset.explain()


def _assert_index_order(plan: str, table: str, index: str) -> None:
    assert f"Seq Scan on {table}" not in plan, plan
    assert index in plan, plan
    assert not re.search(r"^\s*(->\s*)?Sort\b", plan, flags=re.M), plan  # read in order: no sort step


@pytest.fixture
def many_patients(front_desk):
    rows = [
        Patient(
            mrn=f"9{number:07d}",
            given_name=f"Given{number % 97}",
            family_name=f"Family{number % 1013:04d}",
            date_of_birth=datetime.date(1930, 1, 1) + datetime.timedelta(days=number % 20000),
            sex="female",
            registered_by=front_desk,
            updated_by=front_desk,
        )
        for number in range(6000)
    ]
    Patient.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patients_patient")
    return rows


@pytest.mark.postgresql
def test_the_patient_list_reads_its_index_in_order_at_the_first_and_a_deep_page(front_desk, many_patients):
    patients = list_patients(viewer=front_desk)
    first = keyset_queryset(patients, PATIENT_LIST_ORDER, None, 25)
    _assert_index_order(_plan(first), "patients_patient", "patient_active_order_idx")
    page = list(first)
    deep_row = patients.order_by(*PATIENT_LIST_ORDER)[4000]
    cursor = encode([deep_row.family_name, deep_row.given_name, deep_row.date_of_birth, deep_row.mrn], "n")
    deep = keyset_queryset(patients, PATIENT_LIST_ORDER, cursor, 25)
    _assert_index_order(_plan(deep), "patients_patient", "patient_active_order_idx")
    after = list(deep)
    assert len(page) == 26 and len(after) == 26
    assert after[0] == patients.order_by(*PATIENT_LIST_ORDER)[4001]  # the row after the cursor's


@pytest.mark.postgresql
def test_the_evaluation_lists_read_their_indexes_in_order(therapist, front_desk, many_patients):
    patients = many_patients[:300]
    start = datetime.date(2020, 1, 1)
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                patient=patients[number % 300],
                therapist=therapist,
                date_of_service=start + datetime.timedelta(days=number % 2000),
            )
            for number in range(6000)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluations_evaluation")
    listed = list_evaluations(viewer=front_desk)
    table = "evaluations_evaluation"
    _assert_index_order(
        _plan(keyset_queryset(listed, EVALUATION_LIST_ORDER, None, 25)), table, "evaluation_list_idx"
    )
    # One patient's twenty: found through their index (sorting twenty rows is the planner's cheaper way).
    one_patient = listed.filter(patient=patients[7])
    plan = _plan(keyset_queryset(one_patient, EVALUATION_LIST_ORDER, None, 25))
    assert f"Seq Scan on {table}" not in plan and "evaluation_patient_list_idx" in plan, plan
    drafts = listed.filter(status="draft")
    plan = _plan(keyset_queryset(drafts, EVALUATION_LIST_ORDER, None, 25))
    assert f"Seq Scan on {table}" not in plan, plan


def test_a_search_of_two_names_pages_by_cursor_without_loss(api_client, front_desk):
    born = datetime.date(1950, 3, 2)
    for family in ("Lee", "Smith-Lee", "Leeds", "Ng"):
        for given in ("Ann", "Anna", "Bob"):
            PatientFactory(family_name=family, given_name=given, date_of_birth=born)
    api = api_client(front_desk)
    seen, url = [], "/api/v1/patients/?q=ann+lee&page_size=2"
    while url:
        body = api.get(url).json()
        seen += [f"{row['given_name']} {row['family_name']}" for row in body["results"]]
        url = body["next"]
    assert seen == [
        "Ann Lee",
        "Anna Lee",
        "Ann Leeds",
        "Anna Leeds",
        "Ann Smith-Lee",
        "Anna Smith-Lee",
    ]


def test_a_search_of_one_name_finds_each_page_by_its_keys_and_pages_both_ways(
    api_client, front_desk, django_assert_num_queries
):
    born = datetime.date(1950, 3, 2)
    for family in ("Lee", "Smith-Lee", "Leeds", "Ng"):
        for given in ("Ann", "Bob"):
            PatientFactory(family_name=family, given_name=given, date_of_birth=born)
    PatientFactory(family_name="Ng", given_name="Lee", preferred_name="", date_of_birth=born)
    api = api_client(front_desk)
    forward = walk(api, "/api/v1/patients/?q=lee&page_size=2")
    # Lee Ann, Lee Bob, Leeds Ann, Leeds Bob, Ng Lee (the given name matches), Smith-Lee Ann and Bob
    expected = ["Lee", "Lee", "Leeds", "Leeds", "Ng", "Smith-Lee", "Smith-Lee"]
    assert [name for page in forward for name in page] == expected
    last = api.get("/api/v1/patients/?q=lee&page_size=2")
    while last.json()["next"]:
        last = api.get(last.json()["next"])
    backward = walk(api, last.json()["previous"], link="previous")
    assert [name for page in reversed(backward) for name in page] == expected[:-1]
    # The keys, then the rows: one query more than a plain page, whatever the page.
    with django_assert_num_queries(5 + AUDIT_EVENT):
        assert api.get("/api/v1/patients/?q=lee&page_size=2").status_code == 200


@pytest.mark.postgresql
def test_a_search_of_two_names_gathers_its_matches_through_the_name_index(front_desk, many_patients):
    from patients.selectors import for_paging

    query = "given5 family0012"
    paging = for_paging(list_patients(viewer=front_desk, query=query), query=query)
    query_set = keyset_queryset(paging.patients, paging.order, None, 25)
    # Never a walk of the name order past every other patient: the few matches are gathered and
    # sorted. At this size the planner may read them from the table itself; at a million rows it
    # finds them in one scan of the names' trigram index (bench/README.md). That the index serves
    # this query at all (its expression is the one the query writes) shows with table scans off.
    plan = _plan(query_set)
    assert "patient_active_order_idx" not in plan and "Sort Key" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = _plan(query_set)
    assert "Bitmap Index Scan on patient_search_name_trgm" in plan, plan
    assert "Seq Scan" not in plan and "patient_active_order_idx" not in plan, plan
    assert not paging.keys_first


FAMILIES = [
    "Smith",
    "Johnson",
    "Kowalski",
    "Nguyen",
    "Garcia",
    "Brown",
    "Lee",
    "Patel",
    "Miller",
    "Davis",
    "Lopez",
    "Wilson",
    "Moore",
    "Taylor",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Ramirez",
    "Campbell",
    "Mitchell",
]
GIVEN = [
    "Ann",
    "Joan",
    "Mary",
    "John",
    "Robert",
    "Linda",
    "James",
    "Maria",
    "David",
    "Susan",
    "Karen",
    "Paul",
    "Mark",
    "Nancy",
    "Lisa",
    "Steven",
    "Betty",
    "Helen",
    "Walter",
    "Rose",
]


@pytest.fixture
def common_names(front_desk):
    """6,000 patients whose names repeat as a register's do (the planner's statistics on the
    names then tell a common fragment from a rare one), committed and vacuumed as autovacuum
    leaves a register: the rows of earlier tests gone, the table's pages marked all-visible."""
    Patient.objects.bulk_create(
        [
            Patient(
                mrn=f"8{number:07d}",
                given_name=GIVEN[number % len(GIVEN)],
                family_name=FAMILIES[(number * 7) % len(FAMILIES)],
                date_of_birth=datetime.date(1930, 1, 1) + datetime.timedelta(days=number % 20000),
                sex="female",
                registered_by=front_desk,
                updated_by=front_desk,
            )
            for number in range(6000)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE patients_patient")


# Committed, so the table can be vacuumed (VACUUM refuses to run inside a transaction).
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_a_search_of_one_common_name_walks_the_list_index_alone(front_desk, common_names):
    from patients.selectors import for_paging

    query = "owal"  # Kowalski: one patient in thirty
    paging = for_paging(list_patients(viewer=front_desk, query=query), query=query)
    assert paging.order == PATIENT_LIST_ORDER and paging.keys_first
    # The page is found by its keys in the list's index, which holds every column the filter
    # reads (the names) and the primary key: the patients whose names do not match are skipped
    # without a read of the table, and nothing is sorted.
    plan = _plan(keyset_queryset(paging.patients, paging.order, None, 25, keys_first=True))
    assert "Index Only Scan using patient_active_order_idx" in plan, plan
    assert "Sort" not in plan and "Seq Scan" not in plan, plan
    page = keyset_page(paging.patients, paging.order, None, 25, keys_first=True)
    expected = list(paging.patients.order_by(*PATIENT_LIST_ORDER)[:25])
    assert len(page.rows) == 25 and page.rows == expected
    assert all(row.family_name == "Kowalski" and row.public_id for row in page.rows)  # whole rows


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_a_search_of_a_rare_name_gathers_its_few_matches_instead_of_walking_the_list(
    front_desk, common_names
):
    from patients.selectors import for_paging

    PatientFactory(family_name="Qzxwy", given_name="Ann")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE patients_patient")
    query = "zxw"
    paging = for_paging(list_patients(viewer=front_desk, query=query), query=query)
    plan = _plan(keyset_queryset(paging.patients, paging.order, None, 25, keys_first=True))
    # Statistics on the names (patients migration 0009) tell the planner the fragment is rare:
    # walking the whole list for it would read every patient.
    assert "patient_active_order_idx" not in plan, plan
    page = keyset_page(paging.patients, paging.order, None, 25, keys_first=True)
    assert [row.family_name for row in page.rows] == ["Qzxwy"]
