"""What each integration-key scope allows: the routes (by URL name and method) and the model
permissions its account holds while it uses them. A route not listed here refuses every key
(403), whatever its scopes: keys are denied by default.

The permissions let the views' own checks pass; the route table is what keeps a key to its
scopes (a key with `evaluations.read` holds the content permission, but the FHIR routes ask for
`fhir.read`). Selectors give a key signed evaluations only."""

from __future__ import annotations

from accounts.models import IntegrationScope as Scope

READ = ("GET", "HEAD", "OPTIONS")

# Reference data (catalogues and the instrument registry): any key may read it, as it is what the
# other answers' codes mean. It holds no patient data.
REFERENCE = "reference"

ROUTES: dict[tuple[str, str], str] = {}


def _allow(scope: str, names: list[str], methods: tuple[str, ...] = READ) -> None:
    for name in names:
        for method in methods:
            ROUTES[(name, method)] = scope


_allow(Scope.PATIENTS_READ, ["api:patient-list", "api:patient-detail"])
_allow(Scope.PATIENTS_WRITE, ["api:patient-list"], ("POST",))
_allow(Scope.PATIENTS_WRITE, ["api:patient-detail"], ("PATCH", "PUT"))
_allow(Scope.EVALUATIONS_READ, ["api:evaluation-list", "api:evaluation-detail"])
_allow(Scope.REPORTS_READ, ["api:evaluation-report-pdf"])
_allow(Scope.VISITS_WRITE, ["api:episode-list", "api:episode-detail", "api:episode-visits"])
_allow(Scope.VISITS_WRITE, ["api:episode-visits"], ("POST",))
_allow(
    Scope.FHIR_READ,
    [
        f"fhir:{kind}-{interaction}"
        for kind in (
            "patient",
            "condition",
            "observation",
            "goal",
            "careplan",
            "documentreference",
            "composition",
            "questionnaire",
            "questionnaireresponse",
        )
        for interaction in ("search", "read")
    ]
    + ["fhir:practitioner-read"],
)
_allow(Scope.EXPORT, ["fhir:export", "fhir:patient-export", "fhir:export-status", "fhir:export-file"])
_allow(Scope.EXPORT, ["fhir:export-status"], ("DELETE",))
_allow(REFERENCE, ["api:instrument-list", "api:instrument-detail"])
CATALOGUES = (
    "activities",
    "life-roles",
    "destinations",
    "transport-modes",
    "imbalance-causes",
    "pain-regions",
    "signs-symptoms",
    "affected-occupations",
    "interventions",
    "muscle-groups",
    "joint-motions",
    "flexibility-tests",
    "neuromuscular-tests",
)
_allow(REFERENCE, [f"api:catalogue-{kind}-{view}" for kind in CATALOGUES for view in ("list", "detail")])

PERMISSIONS: dict[str, frozenset[str]] = {
    Scope.PATIENTS_READ: frozenset({"patients.view_patient"}),
    Scope.PATIENTS_WRITE: frozenset(
        {"patients.view_patient", "patients.add_patient", "patients.change_patient"}
    ),
    Scope.EVALUATIONS_READ: frozenset(
        {"patients.view_patient", "evaluations.view_evaluation", "patients.view_clinical"}
    ),
    Scope.REPORTS_READ: frozenset({"evaluations.view_evaluation", "patients.view_clinical"}),
    Scope.FHIR_READ: frozenset(
        {"patients.view_patient", "evaluations.view_evaluation", "patients.view_clinical"}
    ),
    Scope.EXPORT: frozenset(
        {
            "patients.view_patient",
            "evaluations.view_evaluation",
            "patients.view_clinical",
            "fhir_r4.run_bulk_export",
        }
    ),
    Scope.VISITS_WRITE: frozenset({"episodes.view_episode", "episodes.view_visit", "episodes.add_visit"}),
}


def scope_for(route: str, method: str) -> str | None:
    """The scope a route needs (REFERENCE: any key), or None: the route refuses keys."""
    return ROUTES.get((route, method.upper()))


def permissions(scopes: frozenset[str]) -> frozenset[str]:
    return frozenset(perm for scope in scopes for perm in PERMISSIONS.get(scope, ()))
