"""Section 4: cognitive and mind health (areas and standardized screens)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    COGNITIVE_SCREEN_MAXIMUM,
    CognitiveDomain,
    CognitiveInstrument,
    CognitiveRating,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation


class CognitiveFinding(EvaluationRow):
    """Section 4: the therapist's rating of one cognitive or mind-health area."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cognitive_findings")
    domain = models.CharField(_("area"), max_length=30, choices=CognitiveDomain)
    rating = models.CharField(_("rating"), max_length=25, choices=CognitiveRating)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "domain"], name="cognitive_finding_once_per_domain"
            ),
            models.CheckConstraint(
                condition=known_values("domain", CognitiveDomain), name="cognitive_domain_known"
            ),
            models.CheckConstraint(
                condition=known_values("rating", CognitiveRating), name="cognitive_rating_known"
            ),
        ]


class CognitiveScreen(EvaluationRow):
    """Section 4: the total of a standardized cognitive screen."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cognitive_screens")
    instrument = models.CharField(_("screen"), max_length=10, choices=CognitiveInstrument)
    total_score = models.PositiveSmallIntegerField(_("total score"))
    education_years = models.PositiveSmallIntegerField(
        _("years of education"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(30)],
        help_text=_("MoCA and SLUMS adjust for education."),
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "instrument"], name="cognitive_screen_once_per_instrument"
            ),
            models.CheckConstraint(
                condition=known_values("instrument", CognitiveInstrument), name="cognitive_screen_known"
            ),
            models.CheckConstraint(condition=Q(total_score__lte=30), name="cognitive_screen_score_in_range"),
        ]

    def clean(self):
        maximum = COGNITIVE_SCREEN_MAXIMUM.get(self.instrument)
        if maximum is not None and self.total_score is not None and self.total_score > maximum:
            raise ValidationError(
                {
                    "total_score": _("%(screen)s scores run from 0 to %(max)s.")
                    % {"screen": self.get_instrument_display(), "max": maximum}
                }
            )
