"""Integration keys: created by a clinic admin and shown once, stored as a digest, scoped on every
route (the matrix below walks every API and FHIR route), signed content only, limited to their
addresses and rate, revocable, and every request attributed to the integration."""

import re
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.authentication import _count_request
from accounts.models import IntegrationKey, IntegrationScope, User
from accounts.scopes import REFERENCE, scope_for
from accounts.services import create_integration_key
from audit.models import AuditEvent
from episodes.models import Certification, Episode, Visit
from evaluations.models import Evaluation
from patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")


@pytest.fixture
def admin_user(demo):
    return User.objects.get(username="clinicadmin")


@pytest.fixture
def make_key(admin_user):
    def make(*scopes, **options):
        options.setdefault("expires_at", timezone.now() + timedelta(days=30))
        return create_integration_key(by=admin_user, name="Test HIE", scopes=list(scopes), **options)

    return make


def bearer(raw, **extra):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", **extra}


def routes():
    """Every route of the API and the FHIR API: (name, path pattern, methods its view answers)."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in ("api", "fhir"):
                view = pattern.callback
                actions = getattr(view, "actions", None)
                methods = (
                    sorted(m.upper() for m in actions)
                    if actions
                    else sorted(
                        m.upper() for m in ("get", "post", "patch", "put", "delete") if hasattr(view.cls, m)
                    )
                )
                found.append((f"{namespace}:{pattern.name}", prefix + str(pattern.pattern), methods))

    walk(get_resolver().url_patterns, "", "")
    return found


# Served to anyone (no credentials read): the schema, its docs, the CapabilityStatement, and the
# log-in that exchanges a person's password for a token.
PUBLIC = {"api:schema", "api:docs", "fhir:metadata", ("api:token", "POST")}


def path_of(pattern: str, ids: dict) -> str:
    def fill(match):
        return ids[match.group(2)]

    return "/" + re.sub(r"<(\w+:)?(\w+)>", fill, pattern)


@pytest.fixture
def ids(demo):
    signed = Evaluation.objects.signed().select_related("patient").first()
    episode = Episode.objects.first()
    return {
        "id": None,  # per route, below
        "visit_id": str(Visit.objects.first().public_id)
        if Visit.objects.exists()
        else "00000000-0000-0000-0000-000000000000",
        "key": "moca",
        "name": "Patient.ndjson",
        "code": "x",
        "signed": str(signed.public_id),
        "patient": str(signed.patient.public_id),
        "episode": str(episode.public_id),
        "certification": str(Certification.objects.first().public_id),
    }


def route_id(name: str, ids: dict) -> str:
    if name.startswith("api:patient"):
        return ids["patient"]
    if name.startswith("api:episode"):
        return ids["episode"]
    if name.startswith("api:certification"):
        return ids["certification"]
    if name.startswith("fhir:patient"):
        return ids["patient"]
    if name.startswith("fhir:condition"):
        return f"{ids['patient']}.M25.551"
    if name.startswith("fhir:practitioner"):
        return str(Evaluation.objects.signed().first().therapist.public_id)
    if name.startswith("fhir:careplan"):
        return f"{ids['signed']}.plan"
    if name.startswith("fhir:documentreference"):
        return f"{ids['signed']}.report"
    return ids["signed"]


def test_every_scope_on_every_route_is_allowed_or_refused_as_the_table_says(client, make_key, ids):
    table = routes()
    assert len(table) > 60
    keys = {scope: make_key(scope, rate_per_minute=6000)[1] for scope in IntegrationScope.values}
    checked = {"allowed": 0, "refused": 0}
    for name, pattern, methods in table:
        if name in PUBLIC:
            continue
        values = {**ids, "id": route_id(name, ids)}
        if name.startswith("api:catalogue"):
            values["code"] = "dressing" if "activities" in name else "x"
        path = path_of(pattern, values)
        query = (
            {"patient": ids["patient"]}
            if name.endswith("-search") and not name.startswith("fhir:patient")
            else {}
        )
        for method in methods:
            if (name, method) in PUBLIC:
                continue
            for scope, raw in keys.items():
                needed = scope_for(name, method)
                allowed = needed is not None and needed in (REFERENCE, scope)
                call = getattr(client, method.lower())
                if method == "GET":
                    response = call(path, query, **bearer(raw))
                else:
                    response = call(path, {}, content_type="application/json", **bearer(raw))
                if allowed:
                    assert response.status_code not in (401, 403), (
                        name,
                        method,
                        scope,
                        response.content[:300],
                    )
                    checked["allowed"] += 1
                else:
                    assert response.status_code in (401, 403), (name, method, scope, response.status_code)
                    checked["refused"] += 1
    assert checked["allowed"] > 150 and checked["refused"] > 250, checked
    # Nothing was written by a refused request: the demo's patients are as they were.
    assert not Patient.objects.filter(registered_by__is_integration=True).exists()


@pytest.mark.parametrize(
    "route,method,scope",
    [
        ("api:patient-list", "GET", "patients.read"),
        ("api:patient-list", "POST", "patients.write"),
        ("api:evaluation-detail", "GET", "evaluations.read"),
        ("api:evaluation-detail", "PATCH", None),  # no key writes an evaluation
        ("api:evaluation-sign", "POST", None),
        ("api:evaluation-addenda", "POST", None),
        ("api:patient-archive", "POST", None),
        ("api:evaluation-report-pdf", "GET", "reports.read"),
        ("fhir:observation-search", "GET", "fhir.read"),
        ("api:episode-visits", "POST", "visits.write"),
        ("api:caseload", "GET", None),
        ("api:certification-send", "POST", None),
        ("api:catalogue-activities-list", "GET", REFERENCE),
    ],
)
def test_the_scope_table_reads_as_the_architecture_says(route, method, scope):
    assert scope_for(route, method) == scope


def test_a_clinic_admin_creates_a_key_that_is_shown_once_and_stored_as_a_digest(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/accounts/integrationkey/add/")
    assert page.status_code == 200
    response = client.post(
        "/admin/accounts/integrationkey/add/",
        {
            "name": "Hospital HIE",
            "scopes": ["fhir.read", "reports.read"],
            "expires_at_0": (timezone.now() + timedelta(days=90)).strftime("%Y-%m-%d"),
            "expires_at_1": "12:00:00",
            "expires_at": (timezone.now() + timedelta(days=90)).strftime("%Y-%m-%d %H:%M:%S"),
            "allowed_ips": "127.0.0.1\n10.20.0.0/16",
            "rate_per_minute": "120",
        },
    )
    assert response.status_code == 200, response.content[:2000]
    raw = re.search(rb'value="(bok_[^"]+)"', response.content).group(1).decode()
    assert "no-store" in response["Cache-Control"]
    key = IntegrationKey.objects.get()
    assert key.digest != raw and raw not in str(list(IntegrationKey.objects.values()))
    assert (key.scopes, key.allowed_ips) == (["fhir.read", "reports.read"], ["127.0.0.1/32", "10.20.0.0/16"])
    assert key.account.is_integration and not key.account.has_usable_password()
    assert raw.encode() not in client.get(f"/admin/accounts/integrationkey/{key.pk}/change/").content
    assert client.get(f"/admin/accounts/integrationkey/{key.pk}/delete/").status_code == 403
    event = AuditEvent.objects.filter(record_type="accounts.integrationkey").get()
    assert (event.actor, event.action) == (admin_user, "token_issued")
    # bad input: the form says why and nothing is created
    bad = client.post(
        "/admin/accounts/integrationkey/add/",
        {
            "name": "x",
            "scopes": [],
            "expires_at": "2020-01-01 00:00",
            "allowed_ips": "nope",
            "rate_per_minute": "0",
        },
    )
    assert bad.status_code == 200 and IntegrationKey.objects.count() == 1
    assert b"not an IP address" in bad.content and b"in the future" in bad.content


def test_the_front_desk_and_therapists_may_not_manage_keys(client, demo):
    for username in ("frontdesk", "therapist"):
        client.force_login(User.objects.get(username=username))
        assert client.get("/admin/accounts/integrationkey/add/").status_code in (302, 403)


def test_a_key_is_used_as_its_integration_audited_and_revoked(client, make_key, admin_user):
    key, raw = make_key("patients.read", "patients.write")
    before = AuditEvent.objects.count()
    response = client.get("/api/v1/patients/", **bearer(raw))
    assert response.status_code == 200 and response.json()["results"]
    event = AuditEvent.objects.filter(pk__gt=0).order_by("-id").first()
    assert AuditEvent.objects.count() > before
    assert (event.actor, event.channel) == (key.account, "integration")
    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_ip == "127.0.0.1"
    created = client.post(
        "/api/v1/patients/",
        {
            "given_name": "Ida",
            "family_name": "Intake",
            "date_of_birth": "1950-02-03",
            "sex": "female",
            "confirmed_not_duplicate": True,
        },
        content_type="application/json",
        **bearer(raw),
    )
    assert created.status_code == 201, created.json()
    patient = Patient.objects.get(public_id=created.json()["id"])
    assert patient.registered_by == key.account
    assert AuditEvent.objects.filter(actor=key.account, action="create", channel="integration").exists()
    client.force_login(admin_user)
    client.post(
        "/admin/accounts/integrationkey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    client.logout()
    key.refresh_from_db()
    assert key.revoked_by == admin_user
    refused = client.get("/api/v1/patients/", **bearer(raw))
    assert refused.status_code == 401
    assert client.get(f"/fhir/r4/Patient/{patient.public_id}", **bearer(raw)).status_code == 401


def test_an_expired_or_unknown_key_is_401(client, make_key):
    key, raw = make_key("patients.read")
    IntegrationKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/patients/", **bearer(raw)).status_code == 401
    assert client.get("/api/v1/patients/", **bearer("bok_" + "x" * 43)).status_code == 401


def test_a_key_is_refused_outside_its_addresses_and_the_refusal_is_audited(client, make_key):
    key, raw = make_key("patients.read", allowed_ips=["10.20.0.0/16"])
    refused = client.get("/api/v1/patients/", **bearer(raw))
    assert refused.status_code == 403
    event = AuditEvent.objects.filter(actor=key.account, action="denied").get()
    assert event.channel == "integration" and "allow-list" in event.changed_fields[0]
    assert client.get("/api/v1/patients/", **bearer(raw, REMOTE_ADDR="10.20.3.4")).status_code == 200


def test_a_key_never_sees_a_draft(client, make_key):
    _key, raw = make_key("evaluations.read", "reports.read", "fhir.read")
    listed = client.get("/api/v1/evaluations/", **bearer(raw)).json()["results"]
    assert listed and {row["status"] for row in listed} == {"signed"}
    draft = Evaluation.objects.drafts().first()
    assert client.get(f"/api/v1/evaluations/{draft.public_id}/", **bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/evaluations/{draft.public_id}/report.pdf", **bearer(raw)).status_code == 404
    signed = Evaluation.objects.signed().first()
    assert client.get(f"/api/v1/evaluations/{signed.public_id}/", **bearer(raw)).status_code == 200
    report = client.get(f"/api/v1/evaluations/{signed.public_id}/report.pdf", **bearer(raw))
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def test_requests_over_the_rate_are_429_with_retry_after(client, make_key):
    _key, raw = make_key("patients.read", "fhir.read", rate_per_minute=3)
    statuses = [client.get("/api/v1/patients/", **bearer(raw)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    over = client.get("/api/v1/patients/", **bearer(raw))
    assert over.status_code == 429 and 1 <= int(over["Retry-After"]) <= 60
    fhir = client.get("/fhir/r4/Patient", **bearer(raw))
    assert fhir.status_code == 429 and fhir.json()["issue"][0]["code"] == "throttled"


def test_the_command_creates_a_key_and_refuses_bad_input(admin_user, capsys):
    call_command(
        "create_integration_key", "--name", "Intake", "--scope", "patients.write", "--by", "clinicadmin"
    )
    raw = capsys.readouterr().out.splitlines()[-1]
    assert raw.startswith("bok_") and IntegrationKey.objects.get().scopes == ["patients.write"]
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="who may create integration keys"):
        call_command("create_integration_key", "--name", "x", "--scope", "export", "--by", "therapist")
    with pytest.raises(CommandError, match="not an IP address"):
        call_command(
            "create_integration_key",
            "--name",
            "x",
            "--scope",
            "export",
            "--by",
            "clinicadmin",
            "--allow",
            "nope",
        )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live_db")
def test_the_rate_limit_holds_under_concurrent_requests(settings):
    """Twelve requests at once from four threads against a limit of five: exactly five counted."""
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo", "--patients", "1")
    key, _raw = create_integration_key(
        by=User.objects.get(username="clinicadmin"),
        name="Burst",
        scopes=["patients.read"],
        expires_at=timezone.now() + timedelta(days=1),
        rate_per_minute=5,
    )
    barrier = threading.Barrier(4)
    results = []

    def burst():
        try:
            barrier.wait()
            for _ in range(3):
                results.append(_count_request(key, "127.0.0.1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=burst) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r is None for r in results) == [False] * 7 + [True] * 5
    key.refresh_from_db()
    assert key.window_count == 5


def test_an_integration_account_reached_without_its_key_has_no_permission(client, make_key):
    key, _raw = make_key("patients.read", "evaluations.read")
    account = User.objects.get(pk=key.account_id)
    assert not account.has_perm("patients.view_patient")
    client.force_login(account)  # a session can only come from outside the application
    assert client.get("/patients/").status_code == 403
    assert client.get("/api/v1/patients/").status_code == 403
