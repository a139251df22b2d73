"""Reads of the episode app: one episode with what its page shows, its clock, and the caseload,
each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from episodes.choices import Attendance, CertificationState, EpisodeStatus
from episodes.clock import CertifiedPeriod, DueItem, DueState, EpisodeFacts, Rules, due_items
from episodes.models import Certification, Episode, Sending, Visit
from episodes.services import rules_for
from evaluations.choices import EvaluationKind
from evaluations.models import Evaluation

# Signed evaluations after the start that report progress toward the goals.
PROGRESS_KINDS = (EvaluationKind.PROGRESS_REPORT, EvaluationKind.RE_EVALUATION)
OLD_DRAFT_DAYS = 3


def _episodes() -> QuerySet[Episode]:
    return Episode.objects.select_related("patient", "therapist", "initial_evaluation").prefetch_related(
        Prefetch(
            "visits",
            queryset=Visit.objects.filter(voided_at__isnull=True)
            .select_related("clinician")
            .order_by("-visit_on", "-id"),
        ),
        Prefetch(
            "certifications",
            queryset=Certification.objects.select_related("evaluation").prefetch_related(
                Prefetch(
                    "sendings", queryset=Sending.objects.select_related("sent_by").order_by("-sent_at", "-id")
                )
            ),
        ),
    )


def list_episodes(*, viewer: User) -> QuerySet[Episode]:
    """Every episode (episodes show dates and states; content stays behind the evaluations' own
    rules), with what the clock and the certifications need, in a fixed number of queries."""
    return _episodes()


def get_episode(*, viewer: User, public_id: UUID | str) -> Episode:
    """Raises Episode.DoesNotExist (a 404)."""
    return _episodes().get(public_id=public_id)


def _progress_reports(episodes: list[Episode]) -> dict[int, list[date]]:
    patients = {episode.patient_id for episode in episodes}
    found: dict[int, list[date]] = {episode.pk: [] for episode in episodes}
    if not patients:
        return found
    reports = (
        Evaluation.objects.signed()
        .filter(patient_id__in=patients, kind__in=PROGRESS_KINDS)
        .values_list("patient_id", "date_of_service")
    )
    for patient_id, on in reports:
        for episode in episodes:
            if episode.patient_id == patient_id and on > episode.started_on:
                found[episode.pk].append(on)
    return found


def facts_of(episode: Episode, progress_reports: list[date]) -> EpisodeFacts:
    """The clock's facts from an episode read by _episodes() (no further queries)."""
    certifications = list(episode.certifications.all())
    return EpisodeFacts(
        evaluated_on=episode.started_on,
        plan_end=max([episode.plan_end_on, *(c.period_end for c in certifications if c.is_certified)]),
        treatment_days=tuple(
            sorted({v.visit_on for v in episode.visits.all() if v.attendance == Attendance.ATTENDED})
        ),
        progress_reports=tuple(progress_reports),
        certifications=tuple(
            CertifiedPeriod(c.period_start, c.period_end, c.signed_on if c.is_certified else None)
            for c in certifications
        ),
        verbal_order_on=episode.verbal_order_on,
        discharged_on=episode.discharged_on,
        sessions_per_week=episode.sessions_per_week,
    )


@dataclass(frozen=True)
class DueRow:
    item: DueItem
    state: DueState
    days_overdue: int


@dataclass(frozen=True)
class Clock:
    episode: Episode
    rules: Rules
    facts: EpisodeFacts
    items: list[DueItem]
    today: date

    def state(self, item: DueItem) -> DueState:
        return item.state(self.today, self.rules)

    @property
    def rows(self) -> list[DueRow]:
        return [DueRow(item, self.state(item), item.days_overdue(self.today)) for item in self.items]

    @property
    def waiting(self) -> Certification | None:
        """The certification sent and not answered yet (with how long it has waited)."""
        return next(
            (c for c in self.episode.certifications.all() if c.shown_state == CertificationState.SENT), None
        )

    def days_waiting(self) -> int:
        waiting = self.waiting
        if waiting is None:
            return 0
        sent = max((s.sent_at for s in waiting.sendings.all()), default=None)
        return (self.today - timezone.localtime(sent).date()).days if sent else 0

    @property
    def treatment_days(self) -> int:
        """Days treated so far, the evaluation (treatment day 1) included."""
        return len(set(self.facts.treatment_days) | {self.facts.evaluated_on})


def clocks(episodes: list[Episode], today: date | None = None) -> list[Clock]:
    today = today or timezone.localdate()
    reports = _progress_reports(episodes)
    result = []
    for episode in episodes:
        rules = rules_for(episode.payer_type)
        facts = facts_of(episode, reports[episode.pk])
        result.append(Clock(episode, rules, facts, due_items(facts, rules), today))
    return result


def clock_of(episode: Episode) -> Clock:
    return clocks([episode])[0]


def list_patient_episodes(*, patient_id: int) -> list[Episode]:
    return list(_episodes().filter(patient_id=patient_id))


@dataclass(frozen=True)
class CaseloadRow:
    clock: Clock
    item: DueItem
    state: DueState


def caseload(
    *, viewer: User, everyone: bool = False
) -> tuple[list[CaseloadRow], list[Clock], list[Evaluation]]:
    """What is due across the viewer's open episodes (every therapist's, for a clinic admin who
    asks): the due items by date, the plans waiting on a physician, and drafts older than 3 days."""
    return open_work(therapist=None if everyone and viewer.has_perm("episodes.view_all_episodes") else viewer)


def open_work(*, therapist: User | None) -> tuple[list[CaseloadRow], list[Clock], list[Evaluation]]:
    """The caseload of one therapist, or of the whole clinic (None): the daily clock reads it too."""
    episodes = _episodes().filter(status=EpisodeStatus.OPEN)
    drafts = Evaluation.objects.drafts().select_related("patient", "therapist")
    if therapist is not None:
        episodes = episodes.filter(therapist=therapist)
        drafts = drafts.filter(therapist=therapist)
    all_clocks = clocks(list(episodes))
    rows = [CaseloadRow(clock, item, clock.state(item)) for clock in all_clocks for item in clock.items]
    old = timezone.now() - timedelta(days=OLD_DRAFT_DAYS)
    return (
        rows,
        [clock for clock in all_clocks if clock.waiting is not None],
        list(drafts.filter(created_at__lt=old).order_by("created_at")),
    )


def later_evaluations(episode: Episode) -> list[Evaluation]:
    """The patient's signed evaluations after the episode's initial one, newest first. One query."""
    return list(
        Evaluation.objects.signed()
        .filter(patient_id=episode.patient_id, date_of_service__gte=episode.started_on)
        .exclude(pk=episode.initial_evaluation_id)
        .order_by("-date_of_service")
    )


def follow_ups(
    episode: Episode, later: list[Evaluation] | None = None
) -> tuple[list[Evaluation], list[Evaluation]]:
    """Signed evaluations of the episode's patient since it started that the page can act on: those
    that can be sent for recertification (a progress report or re-evaluation with no certification
    yet) and discharge evaluations that can close it."""
    later = later_evaluations(episode) if later is None else later
    certified = {c.evaluation_id for c in episode.certifications.all()}
    return (
        [e for e in later if e.kind in PROGRESS_KINDS and e.pk not in certified],
        [e for e in later if e.kind == EvaluationKind.DISCHARGE],
    )


def cosignature_queue(*, viewer: User) -> list[Evaluation]:
    """Supervised clinicians' drafts submitted to the viewer for co-signature, oldest first."""
    return list(
        Evaluation.objects.drafts()
        .filter(cosigner=viewer, submitted_at__isnull=False)
        .select_related("patient", "therapist")
        .order_by("submitted_at")
    )


@dataclass(frozen=True)
class Event:
    on: date
    what: str
    kind: str  # evaluation, certification, visit, discharge


def timeline(episode: Episode, evaluations: list[Evaluation]) -> list[Event]:
    """The episode's story, oldest first: its evaluations, each sending and answer of the plan,
    attended treatment days (counted), and the discharge. `evaluations` are the patient's signed
    ones since the start (follow_ups' read)."""
    events = [
        Event(
            episode.started_on,
            f"Initial evaluation by {episode.initial_evaluation.therapist.display_name}",
            "evaluation",
        )
    ]
    for evaluation in evaluations:
        events.append(
            Event(evaluation.date_of_service, f"{evaluation.get_kind_display()} signed", "evaluation")
        )
    for certification in episode.certifications.all():
        for sending in certification.sendings.all():
            events.append(
                Event(
                    timezone.localtime(sending.sent_at).date(),
                    f"{certification.get_kind_display()} sent: {sending.get_method_display().lower()} to {sending.recipient}",
                    "certification",
                )
            )
        if certification.is_certified and certification.signed_on:
            events.append(
                Event(
                    certification.signed_on,
                    f"{certification.get_kind_display()} signed by {certification.physician_name} ({certification.get_certified_by_display().lower()})",
                    "certification",
                )
            )
        elif certification.state == CertificationState.CHANGES_REQUESTED and certification.answered_at:
            events.append(
                Event(
                    timezone.localtime(certification.answered_at).date(),
                    f"Changes asked for by {certification.physician_name}",
                    "certification",
                )
            )
    attended = sorted(
        {
            v.visit_on
            for v in episode.visits.all()
            if v.attendance == Attendance.ATTENDED and v.visit_on != episode.started_on
        }
    )
    for number, day in enumerate(attended, start=2):
        events.append(Event(day, f"Treatment day {number}", "visit"))
    if episode.discharged_on:
        events.append(Event(episode.discharged_on, "Discharged", "discharge"))
    return sorted(events, key=lambda event: event.on)
