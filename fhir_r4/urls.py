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
    path("Observation/<str:id>", clinical_views.ObservationRead.as_view(), name="observation-read"),
    path("Goal", clinical_views.GoalSearch.as_view(), name="goal-search"),
    path("Goal/<str:id>", clinical_views.GoalRead.as_view(), name="goal-read"),
    path("CarePlan", clinical_views.CarePlanSearch.as_view(), name="careplan-search"),
    path("CarePlan/<str:id>", clinical_views.CarePlanRead.as_view(), name="careplan-read"),
    path(
        "DocumentReference", clinical_views.DocumentReferenceSearch.as_view(), name="documentreference-search"
    ),
    path(
        "DocumentReference/<str:id>",
        clinical_views.DocumentReferenceRead.as_view(),
        name="documentreference-read",
    ),
    path("Composition", clinical_views.CompositionSearch.as_view(), name="composition-search"),
    path("Composition/<str:id>", clinical_views.CompositionRead.as_view(), name="composition-read"),
    path("Questionnaire", clinical_views.QuestionnaireSearch.as_view(), name="questionnaire-search"),
    path("Questionnaire/<str:id>", clinical_views.QuestionnaireRead.as_view(), name="questionnaire-read"),
    path(
        "QuestionnaireResponse",
        clinical_views.QuestionnaireResponseSearch.as_view(),
        name="questionnaireresponse-search",
    ),
    path(
        "QuestionnaireResponse/<str:id>",
        clinical_views.QuestionnaireResponseRead.as_view(),
        name="questionnaireresponse-read",
    ),
]
