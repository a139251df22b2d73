"""Section 4: cognitive and mind health (areas and standardized screens)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    CognitiveDomain,
    CognitiveInstrument,
    CognitiveRating,
)
from evaluations.models.base import EvaluationRow, InstrumentRow, known_values
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


class CognitiveScreen(InstrumentRow):
    """Section 4: a standardized cognitive screen, item by item (domain subscores) or its total."""

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
