"""Section 9: goals and planned interventions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    GoalTerm,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation
from occupations.models import (
    Activity,
    Intervention,
)


class Goal(EvaluationRow):
    """A measurable, dated goal, tied where possible to the activity it is about."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("term"), max_length=12, choices=GoalTerm)
    description = models.CharField(
        _("goal"),
        max_length=1000,
        help_text=_("Measurable: who will do what, how well, under which conditions."),
    )
    target_on = models.DateField(_("target date"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("activity"),
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("term", GoalTerm), name="goal_term_known"),
        ]


class PlannedIntervention(EvaluationRow):
    """An intervention in the plan of care (catalogue: interventions), with how it applies to this patient."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="planned_interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
