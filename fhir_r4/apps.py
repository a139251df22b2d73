from django.apps import AppConfig


class FhirR4Config(AppConfig):
    """The FHIR R4 read API under /fhir/r4/. It reads patients (and, later, signed evaluations)
    through their apps' selectors; nothing imports it."""

    name = "fhir_r4"
    verbose_name = "FHIR R4"
