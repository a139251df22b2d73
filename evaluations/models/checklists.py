"""Sections 6 and 7: ADL and IADL checklists, and standardized functional scale totals."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    FUNCTIONAL_SCALE_MAXIMUM,
    AssistLevel,
    Priority,
)
from evaluations.choices import (
    FunctionalScale as FunctionalScaleChoices,
)
from evaluations.models.base import EvaluationRow, known_values
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


class FunctionalScaleScore(EvaluationRow):
    """ADL/IADL checklists: the total of a standardized scale (Lawton, Katz, Barthel)."""

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

    def clean(self):
        maximum = FUNCTIONAL_SCALE_MAXIMUM.get(self.instrument)
        if maximum is None or self.total_score is None:
            return
        if self.total_score > maximum:
            raise ValidationError(
                {
                    "total_score": _("%(scale)s totals run from 0 to %(max)s.")
                    % {"scale": self.get_instrument_display(), "max": maximum}
                }
            )
        if self.instrument == FunctionalScaleChoices.BARTHEL and self.total_score % 5:
            raise ValidationError({"total_score": _("Barthel totals go in steps of 5.")})
