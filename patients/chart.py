"""Panels other apps add to the patient chart, without this app importing them.

An app registers a function `panel(request, patient) -> dict | None` in its AppConfig.ready();
the dict has a `template` and its `context`. Evaluations use it to list the patient's evaluations.
"""

from collections.abc import Callable

PANELS: list[Callable] = []


def register_panel(panel: Callable) -> Callable:
    PANELS.append(panel)
    return panel


def panels_for(request, patient) -> list[dict]:
    return [panel for panel in (make(request, patient) for make in PANELS) if panel]
