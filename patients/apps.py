from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from django.core.checks import register

        from patients.checks import check_clinic_settings

        register(check_clinic_settings)
