"""Section 1: personal history and occupational profile, and the COPM problems."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import (
    CopmArea,
    HandDominance,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation


class OccupationalProfile(models.Model):
    """Section 1: personal history and the AOTA occupational profile."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="profile")
    reason_for_therapy = models.TextField(
        _("why the person is seeking therapy"),
        blank=True,
        max_length=5000,
        help_text=_("Reason for referral and current concerns about engaging in occupations."),
    )
    who_they_are = models.TextField(_("who the person is"), blank=True, max_length=5000)
    what_they_do = models.TextField(_("what the person does"), blank=True, max_length=5000)
    what_makes_them_tick = models.TextField(_("what makes them tick"), blank=True, max_length=5000)
    successful_occupations = models.TextField(
        _("occupations where they feel successful"), blank=True, max_length=5000
    )
    barriers = models.TextField(_("barriers to success"), blank=True, max_length=5000)
    occupational_history = models.TextField(_("occupational history"), blank=True, max_length=5000)
    interests_values = models.TextField(_("interests and values"), blank=True, max_length=5000)
    supporting_contexts = models.TextField(
        _("contexts that support engagement"),
        blank=True,
        max_length=5000,
        help_text=_("Environment (home, technology, people, services) and personal factors."),
    )
    inhibiting_contexts = models.TextField(_("contexts that inhibit engagement"), blank=True, max_length=5000)
    performance_patterns = models.TextField(
        _("performance patterns"),
        blank=True,
        max_length=5000,
        help_text=_("Habits, routines, roles and rituals."),
    )
    priorities = models.TextField(
        _("priorities and desired outcomes"),
        blank=True,
        max_length=5000,
        help_text=_("The client's own goals."),
    )
    medical_history = models.TextField(_("relevant medical history"), blank=True, max_length=5000)
    precautions = models.TextField(_("precautions"), blank=True, max_length=2000)
    living_situation = models.TextField(_("living situation"), blank=True, max_length=2000)
    prior_level_of_function = models.TextField(_("prior level of function"), blank=True, max_length=5000)
    hand_dominance = models.CharField(_("hand dominance"), max_length=15, choices=HandDominance, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=known_values("hand_dominance", HandDominance, blank=True),
                name="profile_hand_dominance_known",
            )
        ]

    def __str__(self) -> str:
        return f"Occupational profile ({self.evaluation_id})"


class CopmProblem(EvaluationRow):
    """An occupational performance problem the client names and rates (COPM, Law et al. 1990)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="copm_problems")
    area = models.CharField(_("area"), max_length=15, choices=CopmArea)
    problem = models.CharField(_("problem"), max_length=300)
    importance = models.PositiveSmallIntegerField(
        _("importance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    performance = models.PositiveSmallIntegerField(
        _("performance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("area", CopmArea), name="copm_area_known"),
            models.CheckConstraint(
                condition=Q(
                    importance__gte=1,
                    importance__lte=10,
                    performance__gte=1,
                    performance__lte=10,
                    satisfaction__gte=1,
                    satisfaction__lte=10,
                ),
                name="copm_ratings_1_to_10",
            ),
        ]
