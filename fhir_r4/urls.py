from django.urls import path

from fhir_r4 import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.Metadata.as_view(), name="metadata"),
    path("Patient", views.PatientSearch.as_view(), name="patient-search"),
    path("Patient/<str:id>", views.PatientRead.as_view(), name="patient-read"),
]
