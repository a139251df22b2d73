"""Pages of the episode of care: the chart panel, the episode with its clock and timeline, the
caseload, and the physician's signing page (no account: the link is the key)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from audit.choices import Action
from audit.models import AuditEvent
from audit.services import record_event
from common.exceptions import Conflict
from episodes.choices import CertificationState, SendingMethod
from episodes.clock import DueState
from episodes.forms import AnswerForm, OpenEpisodeForm, PaperForm, SendForm, VerbalOrderForm, VisitForm
from episodes.imports import MAX_BYTES as MAX_IMPORT_BYTES
from episodes.imports import import_visits
from episodes.models import Certification, Episode
from episodes.selectors import (
    caseload,
    clock_of,
    clocks,
    cosignature_queue,
    follow_ups,
    get_episode,
    later_evaluations,
    list_patient_episodes,
    timeline,
)
from episodes.services import (
    ATTESTATION,
    LinkRefused,
    answer_by_link,
    discharge_episode,
    find_link,
    open_episode,
    record_paper_certification,
    record_verbal_order,
    record_visit,
    send_for_certification,
    start_recertification,
    void_visit,
)
from evaluations.choices import EvaluationKind
from evaluations.models import Evaluation
from evaluations.pdf import render_pdf
from evaluations.presentation.pages import report_context
from evaluations.selectors import fetch_record
from evaluations.services import verify_seal
from patients.models import Patient
from patients.validators import describe_icd10cm


def episode_chart_panel(request, patient: Patient) -> dict | None:
    """The chart's episodes: each with its clock; a signed initial evaluation without one offers to open it."""
    if not request.user.has_perm("episodes.view_episode"):
        return None
    episodes = list_patient_episodes(patient_id=patient.pk)
    can_open = request.user.has_perm("episodes.add_episode") and not patient.is_archived
    startable = (
        list(
            Evaluation.objects.signed()
            .filter(patient=patient, kind=EvaluationKind.INITIAL, episode__isnull=True)
            .order_by("-date_of_service")
        )
        if can_open and not any(episode.is_open for episode in episodes)
        else []
    )
    signed = (
        list(Evaluation.objects.signed().filter(patient=patient).order_by("date_of_service"))
        if episodes
        else []
    )
    stories = {
        episode.pk: timeline(
            episode,
            [
                e
                for e in signed
                if e.pk != episode.initial_evaluation_id
                and e.date_of_service >= episode.started_on
                and (episode.discharged_on is None or e.date_of_service <= episode.discharged_on)
            ],
        )
        for episode in episodes
    }
    return {
        "template": "episodes/_chart_panel.html",
        "context": {
            "patient": patient,
            "episodes": [(clock, stories[clock.episode.pk]) for clock in clocks(episodes)],
            "startable": startable,
        },
    }


def _episode_or_404(request, public_id) -> Episode:
    try:
        episode = get_episode(viewer=request.user, public_id=public_id)
    except (Episode.DoesNotExist, ValidationError):
        raise Http404("No such episode.") from None
    return episode


def _clinicians():
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename="view_evaluation")
            | Q(user_permissions__codename="view_evaluation")
        )
        .exclude(groups__name="Front desk")
        .distinct()
        .order_by("last_name", "first_name")
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@permission_required("episodes.add_episode", raise_exception=True)
def episode_open(request, evaluation_id):
    try:
        evaluation = Evaluation.objects.select_related("patient").get(public_id=evaluation_id)
    except (Evaluation.DoesNotExist, ValidationError):
        raise Http404("No such evaluation.") from None
    patient = evaluation.patient
    form = OpenEpisodeForm(
        request.POST or None,
        initial={
            "referring_physician_name": patient.referring_physician_name,
            "referring_physician_npi": patient.referring_physician_npi,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            episode = open_episode(by=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("patients:detail", public_id=patient.public_id)
        else:
            messages.success(
                request, "Episode of care opened. Next: send the plan of care for certification."
            )
            return redirect("episodes:detail", public_id=episode.public_id)
    return render(
        request,
        "episodes/open.html",
        {"form": form, "evaluation": evaluation, "patient": patient},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("episodes.view_episode", raise_exception=True)
def episode_detail(request, public_id, forms: dict | None = None, status: int = 200):
    episode = _episode_or_404(request, public_id)
    record_event(actor=request.user, action=Action.VIEW, record=episode)
    clock = clock_of(episode)
    certification = next(
        (c for c in reversed(episode.certifications.all()) if c.state != CertificationState.CERTIFIED), None
    )
    forms = forms or {}
    later = later_evaluations(episode)
    recertifiable, discharges = follow_ups(episode, later) if episode.is_open else ([], [])
    context = {
        "timeline": timeline(episode, later),
        "recertifiable": recertifiable,
        "discharges": discharges,
        "episode": episode,
        "patient": episode.patient,
        "clock": clock,
        "certification": certification,
        "visits": list(episode.visits.all()),
        "visit_form": forms.get("visit")
        or VisitForm(clinicians=_clinicians(), initial={"clinician": request.user}),
        "send_form": forms.get("send")
        or SendForm(
            initial={
                "method": SendingMethod.EMAIL_LINK
                if episode.referring_physician_email or not episode.referring_physician_fax
                else SendingMethod.FAX,
                "recipient": episode.referring_physician_email or episode.referring_physician_fax,
            }
        ),
        "paper_form": forms.get("paper")
        or PaperForm(
            initial={
                "physician_name": episode.referring_physician_name,
                "physician_npi": episode.referring_physician_npi,
            }
        ),
        "verbal_form": forms.get("verbal") or VerbalOrderForm(),
        "attestation": ATTESTATION,
    }
    return render(request, "episodes/detail.html", context, status=status)


def _act(request, public_id, form_name, form, action, success: str):
    """Post one of the episode page's forms: on success back to the page, else the page with errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as conflict:
            field = getattr(conflict, "field", None)
            if field is None:
                messages.error(request, str(conflict))
                return redirect("episodes:detail", public_id=public_id)
            form.add_error(field, str(conflict))
        else:
            messages.success(request, success)
            return redirect("episodes:detail", public_id=public_id)
    return episode_detail(request, public_id, forms={form_name: form}, status=400)


@require_POST
@permission_required("episodes.add_visit", raise_exception=True)
def visit_add(request, public_id):
    episode = _episode_or_404(request, public_id)
    form = VisitForm(request.POST, clinicians=_clinicians())
    return _act(
        request,
        public_id,
        "visit",
        form,
        lambda data: record_visit(by=request.user, episode=episode, **data),
        "Visit recorded.",
    )


@require_POST
@permission_required("episodes.change_visit", raise_exception=True)
def visit_void(request, public_id, visit_id):
    episode = _episode_or_404(request, public_id)
    visit = next((v for v in episode.visits.all() if str(v.public_id) == str(visit_id)), None)
    if visit is None:
        raise Http404("No such visit.")
    try:
        void_visit(by=request.user, visit=visit, reason=request.POST.get("reason", ""))
    except (ValidationError, Conflict) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"The visit of {visit.visit_on:%m/%d/%Y} was voided.")
    return redirect("episodes:detail", public_id=public_id)


def _certification(episode: Episode, certification_id) -> Certification:
    found = next((c for c in episode.certifications.all() if str(c.public_id) == str(certification_id)), None)
    if found is None:
        raise Http404("No such certification.")
    return found


@require_POST
@permission_required("episodes.send_certification", raise_exception=True)
def certification_send(request, public_id, certification_id):
    episode = _episode_or_404(request, public_id)
    certification = _certification(episode, certification_id)
    return _act(
        request,
        public_id,
        "send",
        SendForm(request.POST),
        lambda data: send_for_certification(by=request.user, certification=certification, **data),
        "Plan of care sent for certification."
        if request.POST.get("method") == SendingMethod.EMAIL_LINK
        else "Sending recorded: print the plan with its fax cover sheet.",
    )


@permission_required("episodes.send_certification", raise_exception=True)
def fax_cover(request, public_id, certification_id, sending_id):
    """The fax cover sheet of a fax sending, as a PDF to print with the plan (an export: audited)."""
    episode = _episode_or_404(request, public_id)
    certification = _certification(episode, certification_id)
    sending = next((s for s in certification.sendings.all() if str(s.public_id) == str(sending_id)), None)
    if sending is None or sending.method != SendingMethod.FAX:
        raise Http404("No such fax sending.")
    html = render_to_string(
        "episodes/fax_cover.html",
        {"episode": episode, "patient": episode.patient, "certification": certification, "sending": sending},
        request=request,
    )
    record_event(
        actor=request.user,
        action=Action.EXPORT,
        record=certification,
        record_label=f"Fax cover: {certification}",
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="fax-cover-{episode.patient.mrn}-{sending.sent_at:%Y%m%d}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("episodes.view_certification", raise_exception=True)
def certification_document(request, public_id, certification_id):
    """The signed scan of a paper certification, to the clinic's staff only (never a public URL);
    checked against its SHA-256 before it is served, and audited as an export."""
    episode = _episode_or_404(request, public_id)
    certification = _certification(episode, certification_id)
    if not certification.document:
        raise Http404("No document.")
    with certification.document.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != certification.document_sha256:
        record_event(actor=request.user, action=Action.INTEGRITY_FAILED, record=certification)
        return HttpResponse("This document does not match its recorded hash; it is not served.", status=409)
    record_event(
        actor=request.user,
        action=Action.EXPORT,
        record=certification,
        record_label=f"Signed scan: {certification}",
    )
    response = HttpResponse(content, content_type=certification.document_type or "application/octet-stream")
    response["Content-Disposition"] = (
        f'inline; filename="certification-{episode.patient.mrn}-{certification.signed_on:%Y%m%d}"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required("episodes.send_certification", raise_exception=True)
def certification_paper(request, public_id, certification_id):
    episode = _episode_or_404(request, public_id)
    certification = _certification(episode, certification_id)
    form = PaperForm(request.POST, request.FILES)
    return _act(
        request,
        public_id,
        "paper",
        form,
        lambda data: record_paper_certification(by=request.user, certification=certification, **data),
        "Signed certification recorded.",
    )


@require_POST
@permission_required("episodes.send_certification", raise_exception=True)
def verbal_order(request, public_id):
    episode = _episode_or_404(request, public_id)
    return _act(
        request,
        public_id,
        "verbal",
        VerbalOrderForm(request.POST),
        lambda data: record_verbal_order(
            by=request.user, episode=episode, ordered_on=data["verbal_order_on"], note=data["note"]
        ),
        "Verbal order recorded: a signature is due within 14 days.",
    )


def _evaluation_of(request, episode: Episode) -> Evaluation:
    try:
        return Evaluation.objects.get(public_id=request.POST.get("evaluation"), patient_id=episode.patient_id)
    except (Evaluation.DoesNotExist, ValidationError):
        raise Http404("No such evaluation of this patient.") from None


def _with_evaluation(request, public_id, action, success: str):
    """Post one of the episode page's buttons that names a later evaluation: do it, say how it went."""
    episode = _episode_or_404(request, public_id)
    try:
        action(episode, _evaluation_of(request, episode))
    except (ValidationError, Conflict) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, success)
    return redirect("episodes:detail", public_id=public_id)


@require_POST
@permission_required("episodes.send_certification", raise_exception=True)
def recertification_start(request, public_id):
    return _with_evaluation(
        request,
        public_id,
        lambda episode, evaluation: start_recertification(
            by=request.user, episode=episode, evaluation=evaluation
        ),
        "Recertification ready: send the plan to the physician.",
    )


@require_POST
@permission_required("episodes.change_episode", raise_exception=True)
def episode_discharge(request, public_id):
    return _with_evaluation(
        request,
        public_id,
        lambda episode, evaluation: discharge_episode(
            by=request.user, episode=episode, evaluation=evaluation
        ),
        "Episode discharged: its clock has stopped.",
    )


IMPORT_SESSION_KEY = "episodes.visit_import"


@permission_required("episodes.add_visit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def visits_import(request):
    """The scheduler's visits as a CSV file: a dry run first (nothing written), then the import of
    the same file, all rows or none."""
    result = None
    if request.method == "POST":
        if "import" in request.POST:
            checked = request.session.get(IMPORT_SESSION_KEY)
            if not checked or checked.get("digest") != request.POST.get("digest"):
                messages.error(request, "Check the file again before importing it.")
                return redirect("episodes:visits_import")
            content = checked["content"].encode()
            result = import_visits(by=request.user, content=content, commit=True)
            if result.committed:
                del request.session[IMPORT_SESSION_KEY]
                recorded = sum(row.outcome == "recorded" for row in result.rows)
                messages.success(request, f"{recorded} visit{'s' if recorded != 1 else ''} recorded.")
        else:
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, "Choose a CSV file.")
                return redirect("episodes:visits_import")
            content = upload.read(MAX_IMPORT_BYTES + 1)
            result = import_visits(by=request.user, content=content, commit=False)
            if result.ok:
                request.session[IMPORT_SESSION_KEY] = {
                    "digest": hashlib.sha256(content).hexdigest(),
                    "content": content.decode("utf-8-sig"),
                }
    checked = request.session.get(IMPORT_SESSION_KEY)
    return render(
        request,
        "episodes/visits_import.html",
        {
            "result": result,
            "digest": checked["digest"] if checked and result and result.ok and not result.committed else "",
        },
        status=400 if result is not None and not result.ok else 200,
    )


@permission_required("episodes.view_episode", raise_exception=True)
def caseload_page(request):
    everyone = request.GET.get("who") == "clinic" and request.user.has_perm("episodes.view_all_episodes")
    rows, waiting, drafts = caseload(viewer=request.user, everyone=everyone)
    to_cosign = cosignature_queue(viewer=request.user)
    show = request.GET.get("show", "")
    if show in {state.value for state in DueState}:
        rows = [row for row in rows if row.state == show]
    order = request.GET.get("sort", "due")
    if order == "patient":
        rows.sort(
            key=lambda row: (
                str(row.clock.episode.patient),
                row.item.due_on or row.item.projected_on or timezone.localdate(),
            )
        )
    patients = {row.clock.episode.patient.public_id for row in rows} | {
        d.patient.public_id for d in [*drafts, *to_cosign]
    }
    record_event(
        actor=request.user,
        action=Action.SEARCH,
        record_type="episodes.caseload",
        record_label="Caseload",
        listed_patient_ids=patients,
    )
    return render(
        request,
        "episodes/caseload.html",
        {
            "rows": rows,
            "waiting": waiting,
            "drafts": drafts,
            "to_cosign": to_cosign,
            "everyone": everyone,
            "show": show,
            "sort": order,
            "states": list(DueState),
            "can_see_clinic": request.user.has_perm("episodes.view_all_episodes"),
        },
    )


# The physician's signing page -------------------------------------------------------------


@login_not_required
def sign_plan_pdf(request, token: str):
    """The plan of care the link is for, as the clinic's report PDF (its first page is the summary
    with the certification block), while the link is good. An export, audited to the physician."""
    if _too_many_refusals(request):
        return render(request, "episodes/sign_refused.html", {"reason": "throttled"}, status=429)
    try:
        sending = find_link(token)
    except LinkRefused as refused:
        return _refused(request, str(refused))
    evaluation = sending.certification.evaluation
    author = evaluation.therapist  # reads as the plan's author, who sent it
    record = fetch_record(viewer=author, public_id=evaluation.public_id, baseline=True, history=True)
    context = {
        **report_context(record, verify_seal(record=record, by=author)),
        "for_pdf": True,
    }
    pdf = render_pdf(render_to_string("evaluations/report.html", context, request=request))
    record_event(
        actor=None,
        actor_username=f"physician: {sending.certification.episode.referring_physician_name}, signing link",
        action=Action.EXPORT,
        record=evaluation,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="plan-of-care.pdf"'
    response["Cache-Control"] = "no-store"
    return response


LINK_WINDOW = timedelta(minutes=15)


def _too_many_refusals(request) -> bool:
    """Brute force: refused links from this address in the last 15 minutes (counted in the audit
    trail, so every server process sees the same count)."""
    from django.conf import settings

    address = request.META.get("REMOTE_ADDR")
    recent = AuditEvent.objects.filter(
        action=Action.LINK_REFUSED, ip_address=address, occurred_at__gte=timezone.now() - LINK_WINDOW
    )
    return recent.count() >= settings.SIGNING_LINK_FAILURES


def _refused(request, reason: str) -> HttpResponse:
    record_event(
        actor=None,
        actor_username="signing link",
        action=Action.LINK_REFUSED,
        record_type="episodes.sending",
        record_label=f"link refused: {reason}",
    )
    return render(
        request, "episodes/sign_refused.html", {"reason": reason}, status=410 if reason != "unknown" else 404
    )


@login_not_required
def sign_page(request, token: str):
    """One plan of care and nothing else: no navigation into the clinic's application."""
    if _too_many_refusals(request):
        return render(request, "episodes/sign_refused.html", {"reason": "throttled"}, status=429)
    try:
        sending = find_link(token)
    except LinkRefused as refused:
        return _refused(request, str(refused))
    certification = sending.certification
    episode = certification.episode
    form = AnswerForm(
        request.POST or None,
        initial={
            "physician_name": episode.referring_physician_name,
            "physician_npi": episode.referring_physician_npi,
        },
    )
    if request.method == "POST" and form.is_valid():
        certifies = request.POST.get("decision") == "certify"
        try:
            answer_by_link(token=token, certifies=certifies, **form.cleaned_data)
        except LinkRefused as refused:
            return _refused(request, str(refused))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request, "episodes/sign_done.html", {"certifies": certifies, "certification": certification}
            )
    else:
        record_event(
            actor=None,
            actor_username=f"physician: {episode.referring_physician_name}, signing link",
            action=Action.VIEW,
            record=certification,
        )
    evaluation = certification.evaluation
    return render(
        request,
        "episodes/sign.html",
        {
            "form": form,
            "certification": certification,
            "episode": episode,
            "patient": episode.patient,
            "evaluation": evaluation,
            "goals": list(evaluation.goals.select_related("activity").order_by("id")),
            "interventions": [
                p.intervention.label
                for p in evaluation.planned_interventions.select_related("intervention").order_by("id")
            ],
            "attestation": ATTESTATION,
            "expires_at": sending.expires_at,
            "token": token,
            "diagnoses": [(code, describe_icd10cm(code)) for code in episode.diagnosis_codes],
        },
        status=400 if request.method == "POST" else 200,
    )
