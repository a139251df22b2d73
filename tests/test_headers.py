"""Headers on every response: no caching of PHI, a strict Content-Security-Policy, Permissions-Policy."""

import pytest

from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_for_signed_in_users_and_all_api_responses_are_not_stored(
    page_client, api_client, therapist, patient
):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    client = page_client(therapist)
    responses = [
        client.get("/"),
        client.get(f"/patients/{patient.public_id}/"),
        client.get(f"/evaluations/{evaluation.public_id}/report/"),
        client.get(f"/evaluations/{evaluation.public_id}/report.pdf"),
        api_client(therapist).get(f"/api/v1/patients/{patient.public_id}/"),
        api_client().get("/api/v1/patients/"),  # 401: still an API answer
    ]
    for response in responses:
        assert "no-store" in response["Cache-Control"].split(", "), response


def test_static_files_stay_cacheable(client):
    response = client.get("/static/buffalo_ot/site.css")
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_and_the_report_carry_a_strict_content_security_policy(page_client, therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    client = page_client(therapist)
    for path in ("/", f"/evaluations/{evaluation.public_id}/report/", "/accounts/login/"):
        policy = directives(client.get(path))
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_only_the_api_docs_allow_inline_styles_and_still_no_inline_script(page_client, therapist):
    response = page_client(therapist).get("/api/v1/docs/")
    policy = directives(response)
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]
    assert "<script>" not in response.content.decode()  # the init script is a separate file


def test_permissions_policy_denies_devices(client):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
