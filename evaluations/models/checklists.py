"""Sections 6 and 7: ADL and IADL checklists, and standardized functional scale totals."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    AssistLevel,
    Priority,
)
from evaluations.choices import (
    FunctionalScale as FunctionalScaleChoices,
)
from evaluations.models.base import EvaluationRow, InstrumentRow, known_values
from evaluations.models.evaluation import Evaluation
from occupations.models import (
    Activity,
)


class ActivityRating(EvaluationRow):
    """ADL/IADL checklist: the person's independence in one activity."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="activity_ratings")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    assist_level = models.CharField(_("assist level"), max_length=25, choices=AssistLevel)
    limited_by_pain = models.BooleanField(_("limited by pain"), default=False)
    limited_by_imbalance = models.BooleanField(_("limited by muscle imbalance"), default=False)
    priority = models.CharField(_("priority for the client"), max_length=10, choices=Priority, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=known_values("priority", Priority, blank=True), name="activity_priority_known"
            ),
            models.UniqueConstraint(fields=["evaluation", "activity"], name="activity_rated_once"),
            models.CheckConstraint(
                condition=known_values("assist_level", AssistLevel), name="activity_assist_level_known"
            ),
        ]


class FunctionalScaleScore(InstrumentRow):
    """ADL/IADL checklists: a standardized scale (Lawton, Katz, Barthel, LEFS), item by item or its total."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="functional_scale_scores"
    )
    instrument = models.CharField(_("scale"), max_length=15, choices=FunctionalScaleChoices)
    total_score = models.PositiveSmallIntegerField(_("total score"))

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "instrument"], name="functional_scale_once"),
            models.CheckConstraint(
                condition=known_values("instrument", FunctionalScaleChoices), name="functional_scale_known"
            ),
            models.CheckConstraint(condition=Q(total_score__lte=100), name="functional_scale_total_in_range"),
        ]
