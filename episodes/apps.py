from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "episodes"
    verbose_name = "Episodes of care"

    def ready(self) -> None:
        from episodes.views import episode_chart_panel
        from patients.chart import register_panel

        register_panel(episode_chart_panel)
