import secrets
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from common.exceptions import Conflict, StaleVersion
from evaluations.forms import (
    AddendumForm,
    DateOfServiceForm,
    DiscardForm,
    ReturnForm,
    SectionEditor,
    SignForm,
    StartEvaluationForm,
    SubmitForCosignatureForm,
)
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.record import DEFICIT_SECTIONS
from evaluations.interpretation.trends import trend_series
from evaluations.models import Evaluation
from evaluations.presentation.conflicts import as_content, differences, resolve
from evaluations.presentation.menu import section_menu
from evaluations.presentation.pages import evaluation_context, report_context, trend_charts
from evaluations.reports import deliver_report, report_filename
from evaluations.sections import (
    ADL_CHECKLIST,
    ASSESSMENT_AND_PLAN,
    BILLING,
    IADL_CHECKLIST,
    SECTIONS,
    SECTIONS_BY_SLUG,
)
from evaluations.selectors import (
    can_read_content,
    fetch_record,
    kept_section_drafts,
    list_evaluations,
    list_signable_baselines,
    patient_history,
    row_presence,
)
from evaluations.services import (
    add_addendum,
    correct_date_of_service,
    discard_evaluation,
    discard_section_draft,
    forget_section_draft,
    keep_section_draft,
    record_evaluation_access_denied,
    record_evaluation_viewed,
    record_evaluations_listed,
    return_for_changes,
    save_sections,
    sign_evaluation,
    start_evaluation,
    submit_for_cosignature,
    verify_seal,
)
from patients.models import Patient
from patients.selectors import get_patient


def evaluations_chart_panel(request, patient: Patient) -> dict | None:
    """The patient chart's evaluation list: date, kind, status, therapist, for every role that may see it."""
    if not request.user.has_perm("evaluations.view_evaluation"):
        return None
    evaluations = (
        list_evaluations(viewer=request.user)
        .filter(patient=patient)
        .order_by("-date_of_service", "-created_at")
    )
    record_evaluations_listed(
        by=request.user, evaluations=[], patient_public_id=patient.public_id, label="Evaluations on the chart"
    )
    history = patient_history(viewer=request.user, patient=patient)
    return {
        "template": "evaluations/_chart_panel.html",
        "context": {
            "patient": patient,
            "evaluations": evaluations,
            "can_read": can_read_content(request.user),
            "can_start": request.user.has_perm("evaluations.add_evaluation") and not patient.is_archived,
            "trends": trend_charts(trend_series(history)),
        },
    }


ARCHIVED_MESSAGE = "This patient is archived: their evaluations cannot change until the record is restored."


def _record_or_404(request, public_id, **loading) -> EvaluationRecord:
    """The evaluation with what the page shows loaded (selectors.fetch_record); refusals are audited."""
    try:
        return fetch_record(viewer=request.user, public_id=public_id, **loading)
    except Evaluation.DoesNotExist as missing:
        raise Http404("No such evaluation.") from missing
    except PermissionDenied:
        record_evaluation_access_denied(public_id=public_id, by=request.user)
        raise


@permission_required("evaluations.add_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_start(request, patient_id):
    try:
        patient = get_patient(viewer=request.user, public_id=patient_id)
    except Patient.DoesNotExist as missing:
        raise Http404("No such patient.") from missing
    form = StartEvaluationForm(
        request.POST or None, baselines=list_signable_baselines(viewer=request.user, patient=patient)
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        confirmed = data.pop("confirm_date")
        try:
            evaluation = start_evaluation(by=request.user, patient=patient, date_confirmed=confirmed, **data)
        except ValidationError as error:
            form.ask_to_confirm_date(error)
            form.add_error(None, error)  # keys are this form's fields
        except Conflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(
                request, "Draft started. Work through the sections in any order; sign when complete."
            )
            return redirect("evaluations:section", public_id=evaluation.public_id, section=SECTIONS[0].slug)
    return render(request, "evaluations/start.html", {"form": form, "patient": patient})


@permission_required("evaluations.view_evaluation", raise_exception=True)
def evaluation_detail(request, public_id):
    """The evaluation laid out as a clinical report; a draft's owner also sees what is left to do."""
    record = _record_or_404(request, public_id, baseline=True)
    evaluation = record.evaluation
    record_evaluation_viewed(evaluation=evaluation, by=request.user)
    seal = verify_seal(record=record, by=request.user)
    is_archived = evaluation.patient.is_archived
    is_owner_draft = (
        not evaluation.is_signed and evaluation.therapist_id == request.user.pk and not is_archived
    )
    return render(
        request,
        "evaluations/detail.html",
        {
            **evaluation_context(record, seal),
            "can_edit": is_owner_draft
            and evaluation.submitted_at is None
            and request.user.has_perm("evaluations.change_evaluation"),
            "signs_alone": request.user.has_perm("evaluations.sign_evaluation"),
            "can_cosign": not evaluation.is_signed
            and evaluation.submitted_at is not None
            and evaluation.cosigner_id == request.user.pk,
            "can_addend": evaluation.is_signed
            and not is_archived
            and request.user.has_perm("evaluations.add_addendum"),
            "is_archived": is_archived,
            "addendum_form": AddendumForm(),
        },
    )


def _report(request, record: EvaluationRecord, *, for_pdf: bool) -> dict:
    seal = verify_seal(record=record, by=request.user)
    return {**report_context(record, seal), "for_pdf": for_pdf}


@permission_required("evaluations.view_evaluation", raise_exception=True)
def evaluation_report(request, public_id):
    """The report as a page, for reading and printing."""
    record = _record_or_404(request, public_id, baseline=True, history=True)
    record_evaluation_viewed(evaluation=record.evaluation, by=request.user)
    return render(request, "evaluations/report.html", _report(request, record, for_pdf=False))


@permission_required("evaluations.view_evaluation", raise_exception=True)
def evaluation_report_pdf(request, public_id):
    """The same report as a PDF (evaluations.reports: kept for a signed one, rendered for a draft)."""
    evaluation, pdf = deliver_report(
        public_id=public_id,
        by=request.user,
        fetch=lambda **loading: _record_or_404(request, public_id, **loading),
        request=request,
    )
    name = report_filename(evaluation)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


UNSAVED_SESSION_KEY = "evaluations.unsaved_section"
NOT_TYPED = frozenset({"csrfmiddlewaretoken", "save", "save_next"})


def _page_id(request, kept=None) -> str:
    """Which page load posted (a random id in the form): kept entries belong to the page that
    typed them. A page restoring kept entries takes them over."""
    if kept is not None:
        return kept.page
    posted = request.POST.get("page_id", "")
    return posted if posted.isalnum() and len(posted) <= 32 else ""


def _typed(request) -> dict[str, list[str]]:
    """The posted section page as typed (what a SectionDraft keeps)."""
    return {key: values for key, values in request.POST.lists() if key not in NOT_TYPED}


def _as_post(data: dict[str, list[str]]) -> QueryDict:
    posted = QueryDict(mutable=True)
    for key, values in data.items():
        posted.setlist(key, values)
    return posted


def _keeps_typing_when_signed_out(*, answers_json: bool = False):
    """A section page posted after the session ended (idle or at its time limit) keeps what was
    typed: it is held in the new, anonymous session, and comes back on the section page after
    logging in again as the evaluation's therapist (the page, not the log-in, decides who may see it)."""

    def decorate(view):
        @login_not_required
        @wraps(view)
        def wrapper(request, public_id, section):
            if request.user.is_authenticated:
                return view(request, public_id, section)
            page = reverse("evaluations:section", args=[public_id, section])
            if request.method == "POST" and section in SECTIONS_BY_SLUG:
                request.session[UNSAVED_SESSION_KEY] = {"path": page, "data": _typed(request)}
                message = (
                    "Your session ended before this was saved. Log in again: what you typed is kept "
                    "and comes back on the page."
                )
                if answers_json:
                    login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
                    return JsonResponse(
                        {"state": "signed_out", "message": message, "login": login}, status=401
                    )
                messages.warning(request, message)
            return redirect_to_login(page)

        return wrapper

    return decorate


def _restore_after_log_in(request, spec, evaluation: Evaluation) -> None:
    """What was posted to this page when the session ended becomes its kept entries."""
    unsaved = request.session.get(UNSAVED_SESSION_KEY)
    if not isinstance(unsaved, dict) or unsaved.get("path") != request.path:
        return
    del request.session[UNSAVED_SESSION_KEY]
    data = unsaved.get("data")
    posted = data.get("loaded_version", [""])[0] if isinstance(data, dict) else ""
    if isinstance(data, dict) and isinstance(posted, str):
        keep_section_draft(
            evaluation=evaluation,
            by=request.user,
            section=spec,
            data=data,
            loaded_version=int(posted) if posted.isdigit() and len(posted) < 12 else 0,
            reason="signed_out",
            page=secrets.token_hex(16),  # the page that restores it takes it over
        )


def _section_or_404(section: str):
    spec = SECTIONS_BY_SLUG.get(section)
    if spec is None:
        raise Http404("No such section.")
    return spec


def _section_record(request, public_id, spec) -> EvaluationRecord:
    # Only this section's rows; the CPT section also reads every section a deficit can come from,
    # the plan the checklists its goals' suggested status comes from.
    loading = (
        (spec, *DEFICIT_SECTIONS)
        if spec is BILLING
        else (spec, ADL_CHECKLIST, IADL_CHECKLIST)
        if spec is ASSESSMENT_AND_PLAN
        else (spec,)
    )
    return _record_or_404(request, public_id, sections=loading, addenda=False, baseline=True)


def _resolved(request, spec, record: EvaluationRecord, typed: dict) -> dict:
    """After a conflict: the parts the therapist chose to keep as saved replace what was typed."""
    return resolve(spec, as_content(spec, record.content(spec)), typed, request.POST)


@_keeps_typing_when_signed_out()
@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_section(request, public_id, section):
    spec = _section_or_404(section)
    record = _section_record(request, public_id, spec)
    evaluation = record.evaluation
    closed = _closed_draft(
        request, evaluation, signed="This evaluation is signed and cannot change. Add an addendum instead."
    )
    if closed is not None:
        return closed
    version = evaluation.version
    status = 200
    conflict: list = []
    kept = None
    data = request.POST if request.method == "POST" else None
    if request.method == "GET":
        _restore_after_log_in(request, spec, evaluation)
        record_evaluation_viewed(evaluation=evaluation, by=request.user)
    drafts = kept_section_drafts(viewer=request.user, evaluation=evaluation)
    if request.method == "GET" and spec.slug in drafts:
        kept = drafts[spec.slug]
        data, version = _as_post(kept.data), kept.loaded_version
    editor = SectionEditor(spec, record, data)
    adding = request.method == "POST" and request.POST.get("add_region")
    if adding:
        # Without script, "Add region" posts the page: it comes back with the lines, nothing saved.
        part = next((part for part in editor.parts if part.key == adding), None)
        if part is not None:
            data = part.with_region(request.POST, request.POST.get(f"add_region-{part.key}", ""))
            editor = SectionEditor(spec, record, data)
        version = _posted_version(request)
    elif request.method == "POST":
        typed = _typed(request)
        posted_version = _posted_version(request)
        if not editor.is_valid():
            drafts[spec.slug] = keep_section_draft(
                evaluation=evaluation,
                by=request.user,
                section=spec,
                data=typed,
                loaded_version=posted_version,
                reason="errors",
                page=_page_id(request),
            )
        else:
            content = _resolved(request, spec, record, editor.content())
            try:
                save_sections(
                    record=record, by=request.user, contents={spec: content}, expected_version=posted_version
                )
            except ValidationError as error:
                editor.add_errors(error)
                drafts[spec.slug] = keep_section_draft(
                    evaluation=evaluation,
                    by=request.user,
                    section=spec,
                    data=typed,
                    loaded_version=posted_version,
                    reason="errors",
                    page=_page_id(request),
                )
            except StaleVersion as stale:
                # Saved meanwhile in another tab, window or by another writer: rows are replaced as a
                # list, so saving this older copy would silently undo that work. Nothing was saved;
                # what was typed stays in the form (and is kept), and both versions are shown side by
                # side for the therapist to keep either, part by part.
                drafts[spec.slug] = keep_section_draft(
                    evaluation=evaluation,
                    by=request.user,
                    section=spec,
                    data=typed,
                    loaded_version=posted_version,
                    reason="conflict",
                    page=_page_id(request),
                )
                conflict = differences(spec, as_content(spec, record.content(spec)), content)
                version, status = stale.current_version, 409
            except Conflict as conflict_error:
                messages.error(request, str(conflict_error))
                return redirect("evaluations:detail", public_id=evaluation.public_id)
            else:
                forget_section_draft(
                    evaluation=evaluation, by=request.user, section=spec, page=_page_id(request)
                )
                messages.success(request, f"{spec.title} saved.")
                following = SECTIONS[SECTIONS.index(spec) + 1] if spec is not SECTIONS[-1] else None
                if "save_next" in request.POST and following is not None:
                    return redirect(
                        "evaluations:section", public_id=evaluation.public_id, section=following.slug
                    )
                return redirect("evaluations:section", public_id=evaluation.public_id, section=spec.slug)
    elif kept is not None and editor.is_valid() and kept.loaded_version != evaluation.version:
        # Kept entries typed against an older version: show what changed since, side by side.
        conflict = differences(spec, as_content(spec, record.content(spec)), editor.content())
        version = evaluation.version
    editor.describe_errors()
    return render(
        request,
        "evaluations/section_form.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "section": spec,
            "menu": section_menu(row_presence(evaluation), record, spec, drafts),
            "editor": editor,
            "is_last": spec is SECTIONS[-1],
            "cpt": record.cpt if spec is BILLING else None,
            "loaded_version": version,
            "page_id": _page_id(request, kept) or secrets.token_hex(16),
            "kept": kept,
            "conflict": conflict,
        },
        status=400 if request.method == "POST" and status == 200 and not adding else status,
    )


@_keeps_typing_when_signed_out(answers_json=True)
@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_POST
def evaluation_section_autosave(request, public_id, section):
    """The section page saving itself while the therapist types: valid entries are saved to the
    draft evaluation; entries with errors are kept (not saved) with their messages; a newer save
    elsewhere stops autosaving until the therapist compares the two. Answers JSON."""
    spec = _section_or_404(section)
    record = _section_record(request, public_id, spec)
    evaluation = record.evaluation
    if evaluation.is_signed or evaluation.patient.is_archived:
        message = "This evaluation is signed and cannot change." if evaluation.is_signed else ARCHIVED_MESSAGE
        return JsonResponse({"state": "closed", "message": message}, status=409)
    if evaluation.therapist_id != request.user.pk:
        raise PermissionDenied("Only the evaluation's own therapist edits this draft.")
    editor = SectionEditor(spec, record, request.POST)
    posted_version = _posted_version(request)
    at = f"{timezone.localtime():%H:%M}"

    def keep(reason: str) -> None:
        keep_section_draft(
            evaluation=evaluation,
            by=request.user,
            section=spec,
            data=_typed(request),
            loaded_version=posted_version,
            reason=reason,
            page=_page_id(request),
        )

    if editor.is_valid():
        try:
            save_sections(
                record=record,
                by=request.user,
                contents={spec: editor.content()},
                expected_version=posted_version,
            )
        except ValidationError as error:
            editor.add_errors(error)
        except StaleVersion:
            keep("conflict")
            return JsonResponse(
                {
                    "state": "conflict",
                    "at": at,
                    "message": "Saved elsewhere meanwhile (another tab or window?). What you typed is kept: "
                    "press Save to compare both versions and keep either.",
                },
                status=409,
            )
        except Conflict as conflict:
            return JsonResponse({"state": "closed", "message": str(conflict)}, status=409)
        else:
            forget_section_draft(evaluation=evaluation, by=request.user, section=spec, page=_page_id(request))
            return JsonResponse({"state": "saved", "at": at, "version": record.evaluation.version})
    keep("errors")
    errors = editor.error_map()
    return JsonResponse(
        {"state": "kept", "at": at, "errors": errors, "count": sum(map(len, errors.values()))}
    )


@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_POST
def evaluation_section_discard(request, public_id, section):
    """Drop the entries kept for a section; the page shows the saved section again."""
    spec = _section_or_404(section)
    evaluation = _record_or_404(request, public_id, sections=(), addenda=False).evaluation
    closed = _closed_draft(request, evaluation, signed="This evaluation is signed and cannot change.")
    if closed is not None:
        return closed
    if discard_section_draft(evaluation=evaluation, by=request.user, section=spec):
        messages.info(request, "The unsaved entries were discarded. This is the section as saved.")
    return redirect("evaluations:section", public_id=evaluation.public_id, section=spec.slug)


def _closed_draft(
    request, evaluation: Evaluation, *, signed: str, cosigner_too: bool = False
) -> HttpResponse | None:
    """Back to the evaluation, saying why, when its draft pages no longer apply (signed, or the
    patient archived); 403 for anyone but its own therapist (and, `cosigner_too`, the therapist
    asked to co-sign it); None while the draft is open."""
    if evaluation.is_signed or evaluation.patient.is_archived:
        messages.error(request, signed if evaluation.is_signed else ARCHIVED_MESSAGE)
        return redirect("evaluations:detail", public_id=evaluation.public_id)
    asked = cosigner_too and evaluation.submitted_at is not None and evaluation.cosigner_id == request.user.pk
    if evaluation.therapist_id != request.user.pk and not asked:
        raise PermissionDenied("Only the evaluation's own therapist edits or signs this draft.")
    return None


def _posted_version(request) -> int:
    """The version the page was loaded at; a missing or mangled one never matches."""
    posted = request.POST.get("loaded_version", "")
    return int(posted) if posted.isdigit() and len(posted) < 12 else -1


@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_sign(request, public_id):
    """Sign a draft: its own therapist alone; a supervised clinician submits it to a supervising
    therapist, who co-signs it here or returns it with a note."""
    record = _record_or_404(request, public_id, addenda=False, baseline=True)
    evaluation = record.evaluation
    closed = _closed_draft(
        request, evaluation, signed="This evaluation is already signed.", cosigner_too=True
    )
    if closed is not None:
        return closed
    user = request.user
    is_author = evaluation.therapist_id == user.pk
    cosigning = not is_author and evaluation.submitted_at is not None and evaluation.cosigner_id == user.pk
    submitting = is_author and not user.has_perm("evaluations.sign_evaluation")
    if not (is_author or cosigning):
        raise PermissionDenied(
            "Only the evaluation's own therapist signs it, or the therapist asked to co-sign it."
        )
    if submitting and evaluation.submitted_at is not None:
        messages.info(request, f"Submitted to {evaluation.cosigner.display_name} for co-signature.")
        return redirect("evaluations:detail", public_id=evaluation.public_id)
    form: forms.Form = (
        SubmitForCosignatureForm(request.POST or None, cosigners=_cosigners(user))
        if submitting
        else SignForm(request.POST or None)
    )
    requirements = record.checklist
    if request.method == "POST" and form.is_valid():
        try:
            if submitting:
                submit_for_cosignature(
                    record=record,
                    by=user,
                    cosigner=form.cleaned_data["cosigner"],
                    password=form.cleaned_data["password"],
                    expected_version=_posted_version(request),
                )
            else:
                sign_evaluation(
                    record=record,
                    by=user,
                    password=form.cleaned_data["password"],
                    expected_version=_posted_version(request),  # sign what this page showed
                )
        except StaleVersion:
            messages.warning(
                request,
                "This evaluation was saved elsewhere after you opened this page, so it was not signed. "
                "Review the evaluation as it is now, then sign again.",
            )
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        else:
            messages.success(
                request,
                f"Submitted to {form.cleaned_data['cosigner'].display_name} for co-signature."
                if submitting
                else "Co-signed. The evaluation is now part of the permanent record."
                if cosigning
                else "Signed. The evaluation is now part of the permanent record.",
            )
            return redirect("evaluations:detail", public_id=evaluation.public_id)
    return render(
        request,
        "evaluations/sign.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "form": form,
            "requirements": requirements,
            "is_complete": all(requirement.is_met for requirement in requirements),
            "submitting": submitting,
            "cosigning": cosigning,
            "return_form": ReturnForm() if cosigning else None,
        },
    )


def _cosigners(user):
    """Active therapists who co-sign, by name."""
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="cosign_evaluation")
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )


@require_POST
@permission_required("evaluations.cosign_evaluation", raise_exception=True)
def evaluation_return(request, public_id):
    """The co-signer sends a submitted draft back to its author with what to change."""
    record = _record_or_404(request, public_id, sections=(), addenda=False)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            return_for_changes(evaluation=record.evaluation, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, Conflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, f"Returned to {record.evaluation.therapist.display_name} with your note."
            )
    else:
        messages.error(request, "Say what to change before returning the draft.")
    return redirect("evaluations:detail", public_id=public_id)


@permission_required("evaluations.add_addendum", raise_exception=True)
@require_POST
def evaluation_addendum(request, public_id):
    evaluation = _record_or_404(request, public_id, sections=(), addenda=False).evaluation
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            add_addendum(evaluation=evaluation, by=request.user, text=form.cleaned_data["text"])
        except (ValidationError, Conflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Addendum added.")
    else:
        messages.error(request, "Write the addendum before adding it.")
    return redirect("evaluations:detail", public_id=evaluation.public_id)


@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_date(request, public_id):
    """Correct a draft's date of service (signed evaluations keep theirs)."""
    record = _record_or_404(request, public_id, sections=(), addenda=False)
    evaluation = record.evaluation
    closed = _closed_draft(
        request, evaluation, signed="This evaluation is signed; its date of service stays."
    )
    if closed is not None:
        return closed
    form = DateOfServiceForm(request.POST or None, initial={"date_of_service": evaluation.date_of_service})
    if request.method == "POST" and form.is_valid():
        try:
            correct_date_of_service(
                record=record,
                by=request.user,
                date_of_service=form.cleaned_data["date_of_service"],
                confirmed=form.cleaned_data["confirm_date"],
                expected_version=_posted_version(request),
            )
        except ValidationError as error:
            form.ask_to_confirm_date(error)
            form.add_error(None, error)
        except StaleVersion:
            messages.warning(request, "This evaluation was saved elsewhere meanwhile: check the date again.")
            return redirect("evaluations:date", public_id=evaluation.public_id)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        else:
            messages.success(request, "Date of service corrected.")
            return redirect("evaluations:detail", public_id=evaluation.public_id)
    return render(
        request,
        "evaluations/date.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "form": form,
            "loaded_version": evaluation.version,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_discard(request, public_id):
    """Discard a mistaken draft: asks first; the draft leaves the lists and is kept in the history."""
    record = _record_or_404(request, public_id, sections=(), addenda=False)
    evaluation = record.evaluation
    closed = _closed_draft(
        request, evaluation, signed="A signed evaluation is never discarded; add an addendum."
    )
    if closed is not None:
        return closed
    form = DiscardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discard_evaluation(
                record=record,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=_posted_version(request),
            )
        except StaleVersion:
            messages.warning(
                request, "This draft was saved elsewhere after you opened this page: look at it again first."
            )
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        messages.success(
            request,
            f"The draft {evaluation.get_kind_display().lower()} of {evaluation.date_of_service:%m/%d/%Y} was discarded.",
        )
        return redirect("patients:detail", public_id=evaluation.patient.public_id)
    return render(
        request,
        "evaluations/discard.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "form": form,
            "loaded_version": evaluation.version,
        },
        status=400 if request.method == "POST" else 200,
    )
