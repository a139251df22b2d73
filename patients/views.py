from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.forms import TrailFilterForm
from audit.models import AuditEvent
from audit.selectors import list_patient_events
from common.exceptions import StaleVersion
from common.keyset import InvalidCursor, keyset_page
from patients.chart import panels_for
from patients.forms import ArchiveForm, PatientForm, PatientSearchForm
from patients.imports import MAX_BYTES, CsvProblem, check_file, summary
from patients.models import Patient, PatientImport
from patients.selectors import for_paging, get_patient, list_patients
from patients.services import (
    ArchivedPatient,
    PossibleDuplicate,
    archive_patient,
    record_audit_trail_read,
    record_patient_search,
    record_patient_viewed,
    register_patient,
    restore_patient,
    update_patient,
)
from patients.tasks import import_patients

PAGE_SIZE = 25
TRAIL_PAGE_SIZE = 50


def _patient_or_404(request, public_id) -> Patient:
    try:
        return get_patient(viewer=request.user, public_id=public_id)
    except Patient.DoesNotExist as missing:
        raise Http404("No such patient.") from missing


@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request):
    form = PatientSearchForm(request.GET or None)
    query, status = "", "active"
    if form.is_valid():
        query = form.cleaned_data["q"]
        status = form.cleaned_data["status"] or "active"
    if form.is_bound and not form.is_valid():
        patients = Patient.objects.none()  # a refused search shows nothing, not everyone
    else:
        patients = list_patients(viewer=request.user, query=query, status=status)
    # By cursor, never by offset: a page costs the same at the start of the register and deep in
    # it, and nothing is counted unless a search narrowed the list (then the count is of the matches).
    paged, order, keys_first = for_paging(patients, query=query)
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(paged, order, cursor, PAGE_SIZE, keys_first=keys_first)
    except InvalidCursor:  # a mangled link: from the start
        page = keyset_page(paged, order, None, PAGE_SIZE, keys_first=keys_first)
    matches = patients.count() if query else None
    if query:
        record_patient_search(by=request.user, query=query, status=status, result_count=matches or 0)
    querystring = request.GET.copy()
    querystring.pop("cursor", None)
    querystring.pop("page", None)
    return render(
        request,
        "patients/list.html",
        {
            "form": form,
            "page": page,
            "matches": matches,
            "query": query,
            "querystring": querystring.urlencode(),
        },
    )


@permission_required("patients.add_patient", raise_exception=True)
@require_http_methods(["GET", "POST"])
def patient_register(request):
    form = PatientForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = register_patient(by=request.user, **form.cleaned_data)
        except PossibleDuplicate as duplicate:
            matches = duplicate.matches
            form = PatientForm(request.POST, ask_duplicate_confirmation=True)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}.")
            return redirect("patients:detail", public_id=patient.public_id)
    return render(
        request, "patients/form.html", {"form": form, "matches": matches, "title": "Register a patient"}
    )


@permission_required("patients.view_patient", raise_exception=True)
def patient_detail(request, public_id):
    patient = _patient_or_404(request, public_id)
    record_patient_viewed(patient=patient, by=request.user)
    return render(
        request, "patients/detail.html", {"patient": patient, "panels": panels_for(request, patient)}
    )


def _posted_version(posted: str) -> int:
    """The version the form was loaded at; a missing or mangled one never matches."""
    return int(posted) if posted.isdigit() and len(posted) < 12 else -1


@permission_required("patients.change_patient", raise_exception=True)
@require_http_methods(["GET", "POST"])
def patient_edit(request, public_id):
    patient = _patient_or_404(request, public_id)
    if patient.is_archived:
        messages.error(request, "This patient is archived; restore the record before changing it.")
        return redirect("patients:detail", public_id=patient.public_id)
    # Unbound to the instance: the service, not the form, decides what is written. Only the
    # fields this clerk changed are sent, and a record changed meanwhile by someone else is
    # not silently overwritten.
    status = 200
    initial = {**model_to_dict(patient, PatientForm.Meta.fields), "loaded_version": patient.version}
    form = PatientForm(request.POST or None, initial=initial, track_version=True)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in PatientForm.Meta.fields
        }
        posted = form.cleaned_data["loaded_version"] or ""
        try:
            update_patient(
                patient=patient,
                by=request.user,
                expected_version=_posted_version(posted),
                **changes,
            )
        except StaleVersion as stale:
            # Compared under the row lock: of two people saving the same version, one wins and the
            # other lands here. What they typed stays in the form, rebased on the record as it is
            # now, so saving again applies their entries without undoing the other change.
            current = Patient.objects.select_related("updated_by").get(pk=patient.pk)
            loaded = patient.history.filter(version=_posted_version(posted)).order_by("-history_id").first()
            data, both_changed = form.rebase(loaded=loaded, current=current)
            data["loaded_version"] = str(stale.current_version)
            messages.warning(
                request,
                f"{current.updated_by.username} changed this record at "
                f"{timezone.localtime(current.updated_at):%I:%M %p} while you were editing, so nothing was "
                "saved yet. The form shows the record as it is now with your entries on top; check it "
                "and save again."
                + (
                    f" You both changed: {', '.join(both_changed)} (the form shows yours)."
                    if both_changed
                    else ""
                ),
            )
            form = PatientForm(data, initial=initial, track_version=True)
            form.is_valid()
            status = 409
        except (ValidationError, ArchivedPatient) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, "Changes saved.")
            return redirect("patients:detail", public_id=patient.public_id)
    elif request.method == "GET":
        record_patient_viewed(patient=patient, by=request.user)
    return render(
        request,
        "patients/form.html",
        {"form": form, "patient": patient, "title": f"Edit {patient.display_name}"},
        status=status,
    )


@permission_required("patients.archive_patient", raise_exception=True)
@require_http_methods(["GET", "POST"])
def patient_archive(request, public_id):
    patient = _patient_or_404(request, public_id)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            archive_patient(patient=patient, by=request.user, reason=form.cleaned_data["reason"])
        except ArchivedPatient as error:
            messages.error(request, str(error))
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "patients/archive.html", {"form": form, "patient": patient})
        else:
            messages.success(request, f"{patient.display_name} archived.")
        return redirect("patients:detail", public_id=patient.public_id)
    return render(request, "patients/archive.html", {"form": form, "patient": patient})


@permission_required("patients.archive_patient", raise_exception=True)
@require_http_methods(["POST"])
def patient_restore(request, public_id):
    patient = _patient_or_404(request, public_id)
    try:
        restore_patient(patient=patient, by=request.user)
    except ArchivedPatient as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{patient.display_name} restored to the active register.")
    return redirect("patients:detail", public_id=patient.public_id)


@permission_required("audit.view_auditevent", raise_exception=True)
def patient_audit_trail(request, public_id):
    """Who has seen or changed this patient's record: every audit event about the patient, and
    every list read that showed them, newest first, in the clinic's time zone."""
    patient = _patient_or_404(request, public_id)
    form = TrailFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        events = list_patient_events(
            patient_public_id=patient.public_id,
            since=filters.get("since"),
            until=filters.get("until"),
            action=filters.get("action", ""),
        )
    record_audit_trail_read(patient=patient, by=request.user)
    page = Paginator(events, TRAIL_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "patients/audit_trail.html",
        {"patient": patient, "form": form, "page": page, "querystring": querystring.urlencode()},
        status=400 if form.errors else 200,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One patient per row; a header row naming the columns (family name, given name, date of "
        "birth and sex are needed). Nobody is created until you have seen the check and started the import.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text: save it as CSV UTF-8.") from None


@permission_required("patients.add_patientimport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def patient_import(request):
    """Upload a CSV file: it is checked row by row (nothing is created yet)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            job = check_file(text=text, filename=name, by=request.user)
        except CsvProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("patients:import_detail", public_id=job.public_id)
    recent = PatientImport.objects.select_related("uploaded_by").defer("content", "report")[:10]
    return render(request, "patients/import.html", {"form": form, "recent": recent})


@permission_required("patients.add_patientimport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def patient_import_detail(request, public_id):
    """The check of each row; starting the import (in the background worker); its progress."""
    job = PatientImport.objects.defer("content").filter(public_id=public_id).first()
    if job is None:
        raise Http404("No such import.")
    if request.method == "POST":
        with transaction.atomic():
            started = PatientImport.objects.filter(pk=job.pk, started_at__isnull=True).update(
                started_at=timezone.now(), started_by=request.user
            )
            if started:
                public = str(job.public_id)
                transaction.on_commit(lambda: import_patients.enqueue(public))
        if started:
            messages.success(request, "The import has started: this page follows it.")
        return redirect("patients:import_detail", public_id=job.public_id)
    counts = summary(job.report)
    problems = [row for row in job.report if row["outcome"] not in ("create", "created")]
    fine = [row for row in job.report if row["outcome"] in ("create", "created")]
    return render(
        request,
        "patients/import_detail.html",
        {
            "job": job,
            "counts": counts,
            "to_create": counts.get("create", 0),
            "problems": problems,
            "fine": fine[:100],
            "more_fine": max(0, len(fine) - 100),
            "percent": round(100 * job.processed / job.rows) if job.rows else 100,
        },
    )
