from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Evaluations"

    def ready(self) -> None:
        from django.core.checks import register

        from evaluations.checks import check_evaluation_settings
        from evaluations.signals import report_changed
        from evaluations.tasks import on_report_changed
        from evaluations.views import evaluations_chart_panel
        from patients.chart import register_panel

        register_panel(evaluations_chart_panel)
        register(check_evaluation_settings)
        report_changed.connect(on_report_changed, dispatch_uid="render_signed_report")
