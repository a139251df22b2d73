"""Section 5: occupational inventory (roles, mobility, IADL inventory, other activities)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    DoneBy,
    Frequency,
    Importance,
    MobilityAbility,
    RoleStatus,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation
from occupations.models import (
    Activity,
    Destination,
    LifeRole,
    TransportMode,
)


class RoleEntry(EvaluationRow):
    """Section 5: a life role, when the person holds it, and how much it matters."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="role_entries")
    role = models.ForeignKey(LifeRole, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("when"), max_length=10, choices=RoleStatus)
    importance = models.CharField(_("importance"), max_length=10, choices=Importance)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("status", RoleStatus), name="role_status_known"),
            models.CheckConstraint(
                condition=known_values("importance", Importance), name="role_importance_known"
            ),
        ]


class MobilityEntry(EvaluationRow):
    """Section 5: a place the person needs to go, how, how often, and what stands in the way."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="mobility_entries")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency)
    transport_mode = models.ForeignKey(
        TransportMode,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("how they get there"),
    )
    ability = models.CharField(_("current ability"), max_length=20, choices=MobilityAbility)
    barriers = models.CharField(_("barriers"), max_length=500, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=known_values("frequency", Frequency), name="mobility_frequency_known"
            ),
            models.CheckConstraint(
                condition=known_values("ability", MobilityAbility), name="mobility_ability_known"
            ),
        ]


class IadlInventoryEntry(EvaluationRow):
    """Section 5: an IADL the person's independence requires, and who does it now."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="iadl_inventory_entries"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    is_required = models.BooleanField(_("required for independence"), default=True)
    done_by = models.CharField(_("who does it now"), max_length=20, choices=DoneBy)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=known_values("done_by", DoneBy), name="iadl_inventory_done_by_known"
            ),
        ]


class ImportantActivity(EvaluationRow):
    """Section 5: another activity that matters to the person."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="important_activities")
    name = models.CharField(_("activity"), max_length=200)


class PsfsActivity(EvaluationRow):
    """Section 5: an activity the person names for the Patient-Specific Functional Scale, rated
    0 (unable) to 10 (as before the problem); up to five (outcome-measures.json "psfs")."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="psfs_activities")
    activity = models.CharField(_("activity the person names"), max_length=200)
    rating = models.PositiveSmallIntegerField(
        _("rating (0 unable, 10 as before)"), validators=[MaxValueValidator(10)]
    )

    class Meta(EvaluationRow.Meta):
        verbose_name = _("PSFS activity")
        constraints = [models.CheckConstraint(condition=Q(rating__lte=10), name="psfs_rating_0_to_10")]
