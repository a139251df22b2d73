from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from common.exceptions import Conflict, StaleVersion
from evaluations.forms import AddendumForm, SectionEditor, SignForm, StartEvaluationForm
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.record import DEFICIT_SECTIONS
from evaluations.interpretation.trends import trend_series
from evaluations.models import Evaluation
from evaluations.pdf import render_pdf
from evaluations.presentation.pages import evaluation_context, report_context, trend_charts
from evaluations.sections import BILLING, SECTIONS, SECTIONS_BY_SLUG
from evaluations.selectors import (
    can_read_content,
    fetch_record,
    list_evaluations,
    list_signable_baselines,
    patient_history,
)
from evaluations.services import (
    add_addendum,
    record_evaluation_access_denied,
    record_evaluation_exported,
    record_evaluation_viewed,
    record_evaluations_listed,
    save_sections,
    sign_evaluation,
    start_evaluation,
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
        try:
            evaluation = start_evaluation(by=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
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
            "can_edit": is_owner_draft and request.user.has_perm("evaluations.change_evaluation"),
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
    """The same report as a PDF. Producing it is an export of health information, and audited."""
    record = _record_or_404(request, public_id, baseline=True, history=True)
    evaluation = record.evaluation
    html = render_to_string(
        "evaluations/report.html", _report(request, record, for_pdf=True), request=request
    )
    pdf = render_pdf(html)
    record_evaluation_exported(evaluation=evaluation, by=request.user)
    name = f"{evaluation.patient.mrn}-{evaluation.date_of_service:%Y%m%d}-{evaluation.kind}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("evaluations.change_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_section(request, public_id, section):
    spec = SECTIONS_BY_SLUG.get(section)
    if spec is None:
        raise Http404("No such section.")
    # Only this section's rows; the CPT section also reads every section a deficit can come from.
    loading = (spec, *DEFICIT_SECTIONS) if spec is BILLING else (spec,)
    record = _record_or_404(request, public_id, sections=loading, addenda=False, baseline=True)
    evaluation = record.evaluation
    closed = _closed_draft(
        request, evaluation, signed="This evaluation is signed and cannot change. Add an addendum instead."
    )
    if closed is not None:
        return closed
    version = evaluation.version
    status = 200
    editor = SectionEditor(spec, record, request.POST if request.method == "POST" else None)
    if request.method == "POST" and editor.is_valid():
        try:
            save_sections(
                record=record,
                by=request.user,
                contents={spec: editor.content()},
                expected_version=_posted_version(request),
            )
        except ValidationError as error:
            editor.add_errors(error)
        except StaleVersion as stale:
            # Saved meanwhile in another tab, window or by another writer: rows are replaced as a
            # list, so saving this older copy would silently undo that work. Nothing was saved;
            # what was typed stays in the form, and saving again replaces the saved version.
            messages.warning(
                request,
                "This evaluation was saved elsewhere (another tab or window?) after you opened this page, "
                "so nothing was saved. What you typed is still below. Open the saved version in another "
                "tab to compare; press Save again to replace this section with what is below.",
            )
            version, status = stale.current_version, 409
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        else:
            messages.success(request, f"{spec.title} saved.")
            following = SECTIONS[SECTIONS.index(spec) + 1] if spec is not SECTIONS[-1] else None
            if "save_next" in request.POST and following is not None:
                return redirect("evaluations:section", public_id=evaluation.public_id, section=following.slug)
            return redirect("evaluations:section", public_id=evaluation.public_id, section=spec.slug)
    elif request.method == "GET":
        record_evaluation_viewed(evaluation=evaluation, by=request.user)
    editor.describe_errors()
    return render(
        request,
        "evaluations/section_form.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "section": spec,
            "sections": SECTIONS,
            "editor": editor,
            "is_last": spec is SECTIONS[-1],
            "cpt": record.cpt if spec is BILLING else None,
            "loaded_version": version,
        },
        status=400 if request.method == "POST" and status == 200 else status,
    )


def _closed_draft(request, evaluation: Evaluation, *, signed: str) -> HttpResponse | None:
    """Back to the evaluation, saying why, when its draft pages no longer apply (signed, or the
    patient archived); 403 for anyone but its own therapist; None while the draft is open."""
    if evaluation.is_signed or evaluation.patient.is_archived:
        messages.error(request, signed if evaluation.is_signed else ARCHIVED_MESSAGE)
        return redirect("evaluations:detail", public_id=evaluation.public_id)
    if evaluation.therapist_id != request.user.pk:
        raise PermissionDenied("Only the evaluation's own therapist edits or signs this draft.")
    return None


def _posted_version(request) -> int:
    """The version the page was loaded at; a missing or mangled one never matches."""
    posted = request.POST.get("loaded_version", "")
    return int(posted) if posted.isdigit() and len(posted) < 12 else -1


@permission_required("evaluations.sign_evaluation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evaluation_sign(request, public_id):
    record = _record_or_404(request, public_id, addenda=False)
    evaluation = record.evaluation
    closed = _closed_draft(request, evaluation, signed="This evaluation is already signed.")
    if closed is not None:
        return closed
    form = SignForm(request.POST or None)
    requirements = record.checklist
    if request.method == "POST" and form.is_valid():
        try:
            sign_evaluation(
                record=record,
                by=request.user,
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
                    form.add_error("password" if field == "password" else None, message)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("evaluations:detail", public_id=evaluation.public_id)
        else:
            messages.success(request, "Signed. The evaluation is now part of the permanent record.")
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
        },
    )


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
