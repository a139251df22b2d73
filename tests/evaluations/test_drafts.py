"""Nothing typed is lost: autosave, entries with errors kept per therapist and section, a page
posted after the session ended, and a save that meets newer work elsewhere."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from evaluations.interpretation.checklist import signing_checklist, signing_requirements
from evaluations.models import Evaluation, SectionDraft
from evaluations.sections import ASSESSMENT_AND_PLAN, PHYSICAL, SECTIONS
from evaluations.selectors import row_presence
from evaluations.services import save_sections, sign_evaluation
from tests.conftest import PASSWORD
from tests.evaluations.records import record_of
from tests.evaluations.test_services import completed
from tests.evaluations.test_views import page_data
from tests.factories import EvaluationFactory, TherapistFactory

PLAN = "assessment-and-plan"


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def page(client, evaluation, slug=PLAN):
    response = client.get(f"/evaluations/{evaluation.public_id}/{slug}/")
    assert response.status_code == 200
    return response


def typed(response, **changes) -> dict:
    return {
        **page_data(response.context["editor"]),
        "loaded_version": response.context["loaded_version"],
        **changes,
    }


def autosave(client, evaluation, data, slug=PLAN):
    return client.post(f"/evaluations/{evaluation.public_id}/{slug}/autosave/", data)


def test_autosave_saves_valid_entries_and_answers_the_new_version(page_client, therapist, draft):
    client = page_client(therapist)
    data = typed(page(client, draft), **{"section-assessment_summary": "Limited by hip pain."})

    response = autosave(client, draft, data)

    assert response.status_code == 200
    answer = response.json()
    draft.refresh_from_db()
    assert answer["state"] == "saved"
    assert answer["version"] == draft.version == data["loaded_version"] + 1
    assert answer["at"] == f"{timezone.localtime():%H:%M}"
    assert draft.assessment_summary == "Limited by hip pain."
    assert not SectionDraft.objects.exists()
    event = AuditEvent.objects.filter(action="update").latest("id")
    assert (event.actor, event.changed_fields) == (therapist, ["assessment_and_plan.assessment_summary"])


def test_entries_with_errors_are_kept_not_saved_and_come_back_with_their_messages(
    page_client, therapist, draft
):
    client = page_client(therapist)
    data = typed(
        page(client, draft),
        **{"section-assessment_summary": "Typed before the error.", "section-sessions_per_week": "9"},
    )

    answer = autosave(client, draft, data).json()

    assert answer["state"] == "kept"
    assert answer["count"] == 1
    assert list(answer["errors"]) == ["section-sessions_per_week"]  # by the input's name
    draft.refresh_from_db()
    assert (draft.assessment_summary, draft.sessions_per_week) == ("", None)  # nothing half-saved
    kept = SectionDraft.objects.get()
    assert (kept.author, kept.section, kept.reason) == (therapist, PLAN, "errors")
    assert kept.data["section-assessment_summary"] == ["Typed before the error."]
    assert "csrfmiddlewaretoken" not in kept.data
    assert AuditEvent.objects.filter(
        action="update", changed_fields=["unsaved_entries.assessment_and_plan"]
    ).exists()

    # A reload (or coming back tomorrow) shows what was typed, with its message, marked unsaved.
    response = page(client, draft)
    html = response.content.decode()
    assert "is restored below. It is not saved yet: correct the entries marked" in html
    editor = response.context["editor"]
    assert editor.fields_form["assessment_summary"].value() == "Typed before the error."
    assert editor.fields_form.errors["sessions_per_week"]
    menu = {item.section.slug: item.state for item in response.context["menu"].items}
    assert menu[PLAN] == "has errors"

    # Fixed and saved: the section is saved and nothing is kept any more.
    saved = client.post(
        f"/evaluations/{draft.public_id}/{PLAN}/",
        typed(response, **{"section-sessions_per_week": "2"}),
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.assessment_summary, draft.sessions_per_week) == ("Typed before the error.", 2)
    assert not SectionDraft.objects.exists()


def test_kept_entries_are_per_therapist_and_discarded_only_by_their_owner(page_client, therapist, draft):
    client = page_client(therapist)
    autosave(client, draft, typed(page(client, draft), **{"section-sessions_per_week": "0"}))
    assert SectionDraft.objects.count() == 1

    other = TherapistFactory()
    response = page_client(other).post(f"/evaluations/{draft.public_id}/{PLAN}/unsaved/discard/")
    assert response.status_code == 403
    assert SectionDraft.objects.count() == 1

    client = page_client(therapist)
    response = client.post(f"/evaluations/{draft.public_id}/{PLAN}/unsaved/discard/")
    assert response.status_code == 302
    assert not SectionDraft.objects.exists()
    assert AuditEvent.objects.filter(
        actor=therapist, changed_fields=["unsaved_entries.assessment_and_plan.discarded"]
    ).exists()
    assert page(client, draft).context["kept"] is None


def test_a_failed_save_keeps_what_was_typed(page_client, therapist, draft):
    client = page_client(therapist)
    response = client.post(
        f"/evaluations/{draft.public_id}/{PLAN}/",
        typed(page(client, draft), **{"section-duration_weeks": "99", "section-home_program": "Walks."}),
    )
    assert response.status_code == 400
    assert "What you typed is kept until you save or discard it." in response.content.decode()
    assert SectionDraft.objects.get().data["section-home_program"] == ["Walks."]


def test_signing_waits_for_kept_entries(therapist, patient):
    evaluation = completed(EvaluationFactory(therapist=therapist, patient=patient), therapist)
    SectionDraft.objects.create(
        evaluation=evaluation, author=therapist, section=PLAN, data={}, loaded_version=1, reason="errors"
    )
    with pytest.raises(ValidationError, match="kept for Assessment, goals and plan of care"):
        sign_evaluation(record=record_of(evaluation, therapist), by=therapist, password=PASSWORD)
    assert not Evaluation.objects.get(pk=evaluation.pk).is_signed


def test_autosave_refuses_other_therapists_signed_evaluations_and_stale_pages(page_client, therapist, draft):
    client = page_client(therapist)
    opened = page(client, draft)
    data = typed(opened, **{"section-assessment_summary": "Mine."})
    assert autosave(page_client(TherapistFactory()), draft, data).status_code == 403

    client = page_client(therapist)
    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents={ASSESSMENT_AND_PLAN: {"home_program": "Saved in another tab."}},
    )
    response = autosave(client, draft, data)
    assert response.status_code == 409
    assert response.json()["state"] == "conflict"
    draft.refresh_from_db()
    assert draft.assessment_summary == ""  # the older page saved nothing
    assert SectionDraft.objects.get().reason == "conflict"

    Evaluation.objects.filter(pk=draft.pk).update(
        status="signed", signed_at=timezone.now(), signed_by=therapist
    )
    response = autosave(client, draft, data)
    assert (response.status_code, response.json()["state"]) == (409, "closed")


def test_a_conflict_shows_both_versions_and_keeps_the_parts_chosen(page_client, therapist, draft):
    client = page_client(therapist)
    stale = page(client, draft)
    save_sections(  # another tab saves the plan's frequency and home program meanwhile
        record=record_of(draft, therapist),
        by=therapist,
        contents={ASSESSMENT_AND_PLAN: {"sessions_per_week": 3, "home_program": "Theirs."}},
    )
    mine = typed(
        stale,
        **{
            "section-assessment_summary": "Mine.",
            "section-sessions_per_week": "2",
            "section-home_program": "Mine too.",
        },
    )

    response = client.post(f"/evaluations/{draft.public_id}/{PLAN}/", mine)

    assert response.status_code == 409
    differences = {d.key: (d.saved, d.typed) for d in response.context["conflict"]}
    assert differences == {
        "assessment_summary": ("—", "Mine."),
        "sessions_per_week": ("3", "2"),
        "home_program": ("Theirs.", "Mine too."),
    }
    html = response.content.decode()
    assert 'name="resolve-home_program" value="saved"' in html
    # Keep the saved home program, and mine for the rest, with the version the conflict page shows.
    resolved = {**mine, "loaded_version": response.context["loaded_version"], "resolve-home_program": "saved"}
    assert client.post(f"/evaluations/{draft.public_id}/{PLAN}/", resolved).status_code == 302
    draft.refresh_from_db()
    assert (draft.assessment_summary, draft.sessions_per_week, draft.home_program) == ("Mine.", 2, "Theirs.")
    assert not SectionDraft.objects.exists()


def test_a_conflict_in_a_list_is_resolved_row_by_row(page_client, therapist, draft):
    client = page_client(therapist)
    stale = page(client, draft)
    later = timezone.localdate() + timezone.timedelta(weeks=6)
    save_sections(  # another tab saves two goals meanwhile
        record=record_of(draft, therapist),
        by=therapist,
        contents={
            ASSESSMENT_AND_PLAN: {
                "goals": [
                    {"term": "long_term", "description": "Cooks a simple meal", "target_on": later},
                    {"term": "long_term", "description": "Showers alone", "target_on": later},
                ]
            }
        },
    )
    prefix = next(part.formset.prefix for part in stale.context["editor"].parts if part.spec.key == "goals")
    mine = typed(
        stale,
        **{
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-term": "long_term",
            f"{prefix}-0-description": "Showers alone",
            f"{prefix}-0-target_on": later.isoformat(),
            f"{prefix}-1-term": "short_term",
            f"{prefix}-1-description": "Dresses with a reacher",
            f"{prefix}-1-target_on": later.isoformat(),
        },
    )

    response = client.post(f"/evaluations/{draft.public_id}/{PLAN}/", mine)

    assert response.status_code == 409
    (goals,) = [d for d in response.context["conflict"] if d.key == "goals"]
    assert [text for _, text in goals.saved_only] == [f"Long-term · Cooks a simple meal · {later:%m/%d/%Y}"]
    assert goals.typed_only == (f"Short-term · Dresses with a reacher · {later:%m/%d/%Y}",)
    assert goals.in_both == (f"Long-term · Showers alone · {later:%m/%d/%Y}",)
    assert f'name="resolve-goals" value="{goals.saved_only[0][0]}"' in response.content.decode()
    # Add the other tab's meal goal to mine; the shared row is saved once.
    resolved = {
        **mine,
        "loaded_version": response.context["loaded_version"],
        "resolve-goals": [str(goals.saved_only[0][0])],
    }
    assert client.post(f"/evaluations/{draft.public_id}/{PLAN}/", resolved).status_code == 302
    assert [goal.description for goal in draft.goals.order_by("id")] == [
        "Showers alone",
        "Dresses with a reacher",
        "Cooks a simple meal",
    ]


def test_a_page_posted_after_the_session_ended_comes_back_after_logging_in(client, therapist, draft):
    client.force_login(therapist)
    data = typed(page(client, draft), **{"section-assessment_summary": "A long assessment typed slowly."})
    client.logout()  # the session ended (idle or at its time limit) while typing

    response = client.post(f"/evaluations/{draft.public_id}/{PLAN}/", data)

    page_url = f"/evaluations/{draft.public_id}/{PLAN}/"
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login = client.get(response["Location"])
    assert "what you typed is kept" in login.content.decode()
    assert not SectionDraft.objects.exists()  # nobody is known yet: held in this browser's session only
    logged_in = client.post(response["Location"], {"username": therapist.username, "password": PASSWORD})
    assert logged_in["Location"] == page_url
    restored = client.get(page_url)
    assert restored.context["editor"].fields_form["assessment_summary"].value() == (
        "A long assessment typed slowly."
    )
    assert "Your session ended before this was saved" in restored.content.decode()
    assert SectionDraft.objects.get().reason == "signed_out"
    draft.refresh_from_db()
    assert draft.assessment_summary == ""  # restored for review, saved only with Save


def test_someone_else_logging_in_on_that_browser_does_not_get_the_typed_text(client, therapist, draft):
    client.force_login(therapist)
    data = typed(page(client, draft), **{"section-assessment_summary": "Private."})
    client.logout()
    client.post(f"/evaluations/{draft.public_id}/{PLAN}/", data)
    other = TherapistFactory()
    client.post("/accounts/login/", {"username": other.username, "password": PASSWORD})
    response = client.get(f"/evaluations/{draft.public_id}/{PLAN}/")
    assert response.status_code == 403
    assert b"Private." not in response.content
    assert not SectionDraft.objects.exists()


def test_autosave_after_the_session_ended_answers_401_and_keeps_the_text(client, therapist, draft):
    client.force_login(therapist)
    data = typed(page(client, draft), **{"section-assessment_summary": "Kept."})
    client.logout()
    response = autosave(client, draft, data)
    assert response.status_code == 401
    answer = response.json()
    assert answer["state"] == "signed_out"
    assert answer["login"] == f"/accounts/login/?next=%2Fevaluations%2F{draft.public_id}%2F{PLAN}%2F"
    client.post("/accounts/login/", {"username": therapist.username, "password": PASSWORD})
    restored = client.get(f"/evaluations/{draft.public_id}/{PLAN}/")
    assert restored.context["editor"].fields_form["assessment_summary"].value() == "Kept."


def test_the_section_menu_shows_each_sections_state_and_what_signing_misses(
    page_client, therapist, patient, draft
):
    client = page_client(therapist)
    empty = page(client, draft).context["menu"]
    assert {item.state for item in empty.items} == {"not started"}
    assert len(empty.missing) == 8  # the content rules and the CPT code
    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents={ASSESSMENT_AND_PLAN: {"assessment_summary": "Started."}},
    )
    started = page(client, draft).context["menu"]
    states = {item.section.slug: item.state for item in started.items}
    assert states[PLAN] == "in progress"
    assert "✓" not in page(client, draft).content.decode()

    complete = completed(EvaluationFactory(therapist=therapist, patient=patient), therapist)
    menu = page(client, complete).context["menu"]
    assert menu.missing == []
    assert {item.state for item in menu.items} == {"complete"}
    assert "Ready to sign" in page(client, complete).content.decode()


@pytest.mark.parametrize("complete", [True, False])
def test_row_presence_judges_the_content_rules_as_the_loaded_record_does(therapist, patient, complete):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    if complete:
        evaluation = completed(evaluation, therapist)
    record = record_of(evaluation, therapist)
    presence = row_presence(evaluation)
    assert [r.is_met for r in signing_requirements(presence)] == [
        r.is_met for r in signing_checklist(record)[:-1]
    ]
    for section in SECTIONS:
        for spec in section.rows:
            assert presence.any_rows(spec) == bool(record.rows(spec)), spec.key
    assert presence.any_rows(PHYSICAL.rows[0]) is complete
