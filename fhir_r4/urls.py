from django.urls import path

from fhir_r4 import capabilities, clinical_views, export_views, views

app_name = "fhir"

urlpatterns = [
    path("metadata", capabilities.Metadata.as_view(), name="metadata"),
    path("$export", export_views.ExportKickOff.as_view(), name="export"),
    path("Patient/$export", export_views.PatientExportKickOff.as_view(), name="patient-export"),
    path("$export-status/<uuid:id>", export_views.ExportStatus.as_view(), name="export-status"),
    path("$export-file/<uuid:id>/<str:name>", export_views.ExportFile.as_view(), name="export-file"),
    path("Patient", views.PatientSearch.as_view(), name="patient-search"),
    path("Patient/<str:id>", views.PatientRead.as_view(), name="patient-read"),
    path("Practitioner/<str:id>", clinical_views.PractitionerRead.as_view(), name="practitioner-read"),
    path("Condition", clinical_views.ConditionSearch.as_view(), name="condition-search"),
    path("Condition/<str:id>", clinical_views.ConditionRead.as_view(), name="condition-read"),
    path("Observation", clinical_views.ObservationSearch.as_view(), name="observation-search"),
    path("Questionnaire", clinical_views.QuestionnaireSearch.as_view(), name="questionnaire-search"),
    path("Questionnaire/<str:id>", clinical_views.QuestionnaireRead.as_view(), name="questionnaire-read"),
]

# The types each signed evaluation yields: searched by patient, read by id (the views take the type).
EVALUATION_TYPES = (
    "Observation",
    "Goal",
    "CarePlan",
    "DocumentReference",
    "Composition",
    "QuestionnaireResponse",
)
urlpatterns += [
    path(kind, clinical_views.ClinicalSearch.as_view(resource_type=kind), name=f"{kind.lower()}-search")
    for kind in EVALUATION_TYPES
    if kind != "Observation"  # searched with more parameters, above
]
urlpatterns += [
    path(
        f"{kind}/<str:id>",
        clinical_views.ClinicalRead.as_view(resource_type=kind),
        name=f"{kind.lower()}-read",
    )
    for kind in EVALUATION_TYPES
]
