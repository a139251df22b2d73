"""Section 9: goals and planned interventions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.choices import AssistLevel, GoalStatus, GoalTerm
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
    target_level = models.CharField(
        _("target level"),
        max_length=20,
        choices=AssistLevel,
        blank=True,
        help_text=_("The assist level the activity should reach: what 'met' is judged by."),
    )
    baseline_goal = models.PositiveSmallIntegerField(
        _("goal of the previous evaluation"),
        null=True,
        blank=True,
        help_text=_(
            "On a re-evaluation or discharge: which goal of the baseline (1 = its first) this continues."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus, blank=True)
    status_note = models.CharField(_("status note"), max_length=500, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("term", GoalTerm), name="goal_term_known"),
            models.CheckConstraint(
                condition=known_values("target_level", AssistLevel, blank=True),
                name="goal_target_level_known",
            ),
            models.CheckConstraint(
                condition=known_values("status", GoalStatus, blank=True), name="goal_status_known"
            ),
        ]

    def clean(self):
        super().clean()
        if self.status in (GoalStatus.MODIFIED, GoalStatus.DISCONTINUED) and not self.status_note.strip():
            raise ValidationError({"status_note": _("Say how the goal changed, or why it was discontinued.")})


class PlannedIntervention(EvaluationRow):
    """An intervention in the plan of care (catalogue: interventions), with how it applies to this patient."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="planned_interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
