"""Visits from the clinic's scheduler as a CSV file: a dry run says what each row would do; the
import records all rows or none.

Columns (a header row, in any order): `mrn`, `date` (YYYY-MM-DD or MM/DD/YYYY), `clinician`
(username), and optionally `attendance` (attended, cancelled, no_show; attended when empty),
`minutes` and `interventions` (catalogue codes separated by `;`). Each row goes to the patient's
open episode through the same service as the page, with its rules; a row the episode already has
(same clinician and day) is reported, not recorded twice."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from common.exceptions import Conflict
from episodes.choices import Attendance, EpisodeStatus
from episodes.models import Episode
from episodes.services import DuplicateVisit, record_visit
from occupations.models import Intervention

REQUIRED = ("mrn", "date", "clinician")
OPTIONAL = ("attendance", "minutes", "interventions")
MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024


@dataclass
class RowResult:
    line: int
    mrn: str
    visit_on: str
    outcome: str  # "recorded", "would record", "already recorded", "error"
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    errors: list[str]  # about the file itself
    committed: bool

    @property
    def failed(self) -> int:
        return sum(row.outcome == "error" for row in self.rows)

    @property
    def ok(self) -> bool:
        return not self.errors and self.failed == 0


class _RollBack(Exception):
    pass


def _date(text: str) -> date:
    for layout in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    raise ValidationError({"date": "Not a date (YYYY-MM-DD or MM/DD/YYYY)."})


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


def import_visits(*, by: User, content: bytes, commit: bool) -> ImportResult:
    """Run every row through record_visit in one transaction; keep it only when `commit` and no
    row failed."""
    if len(content) > MAX_BYTES:
        return ImportResult([], [f"The file is larger than {MAX_BYTES // 1024} KB."], False)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult([], ["The file is not UTF-8 text (save it as CSV UTF-8)."], False)
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in (*REQUIRED, *OPTIONAL)]
    if missing or unknown:
        errors = []
        if missing:
            errors.append(f"Missing column(s): {', '.join(missing)}.")
        if unknown:
            errors.append(
                f"Unknown column(s): {', '.join(unknown)} (expected {', '.join((*REQUIRED, *OPTIONAL))})."
            )
        return ImportResult([], errors, False)
    reader.fieldnames = header
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        return ImportResult([], [f"At most {MAX_ROWS} rows per file."], False)
    if not rows:
        return ImportResult([], ["The file has no rows."], False)
    episodes = {
        episode.patient.mrn: episode
        for episode in Episode.objects.filter(
            status=EpisodeStatus.OPEN, patient__mrn__in={row.get("mrn", "").strip() for row in rows}
        ).select_related("patient")
    }
    clinicians = {
        user.username: user
        for user in User.objects.filter(username__in={row.get("clinician", "").strip() for row in rows})
    }
    interventions = {item.code: item for item in Intervention.objects.filter(is_active=True)}
    results: list[RowResult] = []
    try:
        with transaction.atomic():
            for line, row in enumerate(rows, start=2):
                results.append(_one(by, line, row, episodes, clinicians, interventions, commit))
            if not commit or any(result.outcome == "error" for result in results):
                raise _RollBack
    except _RollBack:
        for result in results:
            if result.outcome == "recorded":
                result.outcome = "would record"
        return ImportResult(results, [], False)
    return ImportResult(results, [], True)


def _one(by, line, row, episodes, clinicians, interventions, commit) -> RowResult:
    mrn, when = (row.get("mrn") or "").strip(), (row.get("date") or "").strip()
    result = RowResult(line, mrn, when, "error")
    problems = []
    episode = episodes.get(mrn)
    if episode is None:
        problems.append("No open episode of care for this MRN.")
    clinician = clinicians.get((row.get("clinician") or "").strip())
    if clinician is None:
        problems.append("clinician: no such username.")
    attendance = (row.get("attendance") or "").strip().lower() or Attendance.ATTENDED
    if attendance not in Attendance.values:
        problems.append(f"attendance: one of {', '.join(Attendance.values)}.")
    minutes_text = (row.get("minutes") or "").strip()
    minutes = int(minutes_text) if minutes_text.isdigit() else None
    if minutes_text and minutes is None:
        problems.append("minutes: a whole number.")
    codes = [code.strip() for code in (row.get("interventions") or "").split(";") if code.strip()]
    unknown = [code for code in codes if code not in interventions]
    if unknown:
        problems.append(f"interventions: unknown code(s) {', '.join(unknown)}.")
    try:
        visit_on = _date(when)
    except ValidationError as error:
        problems.extend(_messages(error))
    if problems:
        result.messages = problems
        return result
    try:
        with transaction.atomic():
            record_visit(
                by=by,
                episode=episode,
                visit_on=visit_on,
                clinician=clinician,
                attendance=attendance,
                timed_minutes=minutes,
                interventions=[interventions[code] for code in codes],
            )
    except DuplicateVisit:
        result.outcome = "already recorded"
        return result
    except ValidationError as error:
        result.messages = _messages(error)
        return result
    except Conflict as conflict:
        result.messages = [str(conflict)]
        return result
    result.outcome = "recorded"
    return result
