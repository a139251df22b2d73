"""Sections 6 and 7: ADL and IADL checklists, and standardized functional scale totals."""

from typing import Any

from django.core.validators import MaxValueValidator
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
from evaluations.instruments.assist import assist_level
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
    # What the helper does, when the level was worked out from it (or to give Section GG the share).
    helper_effort_pct = models.PositiveSmallIntegerField(
        _("helper's share of the effort (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of the effort the helper supplies; the level follows by the boundary rule."),
    )
    setup_only = models.BooleanField(
        _("set-up only"), default=False, help_text=_("The helper only sets up or cleans up (Section GG 05).")
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=known_values("priority", Priority, blank=True), name="activity_priority_known"
            ),
            models.CheckConstraint(
                condition=Q(helper_effort_pct__isnull=True) | Q(helper_effort_pct__lte=100),
                name="activity_helper_effort_in_range",
            ),
            models.UniqueConstraint(fields=["evaluation", "activity"], name="activity_rated_once"),
            models.CheckConstraint(
                condition=known_values("assist_level", AssistLevel), name="activity_assist_level_known"
            ),
        ]

    def derive(self) -> dict[str, list[Any]]:
        """From a description of the help (the helper's share of the effort, set-up only) the level
        follows by the reference's boundary rule; a level chosen as well must agree with it."""
        share, setup = self.helper_effort_pct, self.setup_only
        if share is None and not setup:
            return {}
        if share is not None and not 0 <= share <= 100:
            return {}  # the field's own range check names it
        if setup and share:
            return {
                "setup_only": [_("Set-up only means no physical help: clear the helper's share or this box.")]
            }
        if share == 0 and not setup:
            # No physical help: the share does not choose between I, Mod I, S and CGA; the level does.
            if self.assist_level in PHYSICAL_HELP:
                return {
                    "assist_level": [
                        _(
                            "%(level)s means the helper supplies part of the effort, but the share given is 0%%."
                        )
                        % {"level": AssistLevel(self.assist_level).label}
                    ]
                }
            if not self.assist_level:
                return {"assist_level": [_("With no physical help, choose the level (I, Mod I, S or CGA).")]}
            return {}
        derived = assist_level(helper_effort_pct=share or 0, setup_only=setup)
        if not self.assist_level:
            self.assist_level = derived.level
            return {}
        if self.assist_level == derived.level:
            return {}
        described = (
            _("A helper doing %(share)s%% of the effort") % {"share": share} if share else _("Set-up only")
        )
        return {
            "assist_level": [
                _("%(described)s is %(derived)s by the boundary rule, not %(chosen)s.")
                % {
                    "described": described,
                    "derived": derived.label.lower(),
                    "chosen": AssistLevel(self.assist_level).label.lower(),
                }
            ]
        }


PHYSICAL_HELP = frozenset(
    {AssistLevel.MINIMAL, AssistLevel.MODERATE, AssistLevel.MAXIMAL, AssistLevel.DEPENDENT}
)


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
