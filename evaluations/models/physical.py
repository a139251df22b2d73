"""Section 2: physical function (strength, range of motion, flexibility, pinch and grip)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    FlexibilityFinding,
    Hand,
    MmtGrade,
    RomMode,
    Side,
)
from evaluations.choices import (
    PinchType as PinchTypeChoices,
)
from evaluations.models.base import (
    GRIP_MAX_KG,
    PINCH_MAX_KG,
    EvaluationRow,
    TrialsMixin,
    known_values,
    trial_field,
)
from evaluations.models.evaluation import Evaluation
from occupations.models import (
    FlexibilityTest,
    JointMotion,
    MuscleGroup,
)


class StrengthMeasurement(EvaluationRow):
    """A manual muscle test grade for one muscle group on one side (0-5 with +/- on the Kendall scale, whole grades on MRC)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="strength_measurements")
    muscle_group = models.ForeignKey(MuscleGroup, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    grade = models.CharField(_("MMT grade"), max_length=2, choices=MmtGrade)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("grade", MmtGrade), name="strength_grade_known"),
            models.CheckConstraint(condition=known_values("side", Side), name="strength_side_known"),
        ]


class RangeOfMotionMeasurement(EvaluationRow):
    """Goniometric range of one joint motion on one side, active or passive, in degrees, and whether it hurt."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="range_of_motion_measurements"
    )
    joint_motion = models.ForeignKey(JointMotion, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    mode = models.CharField(_("active or passive"), max_length=10, choices=RomMode, default=RomMode.ACTIVE)
    degrees = models.SmallIntegerField(_("degrees"))
    is_painful = models.BooleanField(_("painful"), default=False)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("mode", RomMode), name="rom_mode_known"),
            models.CheckConstraint(condition=known_values("side", Side), name="rom_side_known"),
            models.CheckConstraint(
                condition=Q(degrees__gte=-180, degrees__lte=360), name="rom_degrees_in_circle"
            ),
        ]

    def clean(self):
        motion = self.joint_motion if self.joint_motion_id else None
        if (
            motion is not None
            and self.degrees is not None
            and not motion.min_degrees <= self.degrees <= motion.max_degrees
        ):
            raise ValidationError(
                {
                    "degrees": _(
                        "%(degrees)s° is outside what %(motion)s can measure (%(low)s° to %(high)s°)."
                    )
                    % {
                        "degrees": self.degrees,
                        "motion": motion.label.lower(),
                        "low": motion.min_degrees,
                        "high": motion.max_degrees,
                    }
                }
            )


class FlexibilityMeasurement(EvaluationRow):
    """A named flexibility test on one side with its finding (within normal limits or limited)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="flexibility_measurements"
    )
    test = models.ForeignKey(FlexibilityTest, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    finding = models.CharField(_("finding"), max_length=25, choices=FlexibilityFinding)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("side", Side), name="flexibility_side_known"),
            models.CheckConstraint(
                condition=known_values("finding", FlexibilityFinding), name="flexibility_finding_known"
            ),
        ]


class GripMeasurement(TrialsMixin, EvaluationRow):
    """Grip strength of one hand: up to three dynamometer trials in kilograms."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grip_measurements")
    hand = models.CharField(_("hand"), max_length=5, choices=Hand)
    trial_1_kg = trial_field(1, GRIP_MAX_KG)
    trial_2_kg = trial_field(2, GRIP_MAX_KG)
    trial_3_kg = trial_field(3, GRIP_MAX_KG)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("hand", Hand), name="grip_hand_known"),
            models.CheckConstraint(
                condition=Q(trial_1_kg__gte=0)
                & (Q(trial_2_kg__isnull=True) | Q(trial_2_kg__gte=0))
                & (Q(trial_3_kg__isnull=True) | Q(trial_3_kg__gte=0)),
                name="grip_trials_not_negative",
            ),
        ]


class PinchMeasurement(TrialsMixin, EvaluationRow):
    """Pinch strength of one hand and grip type: up to three pinch-gauge trials in kilograms."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="pinch_measurements")
    pinch = models.CharField(_("pinch"), max_length=10, choices=PinchTypeChoices)
    hand = models.CharField(_("hand"), max_length=5, choices=Hand)
    trial_1_kg = trial_field(1, PINCH_MAX_KG)
    trial_2_kg = trial_field(2, PINCH_MAX_KG)
    trial_3_kg = trial_field(3, PINCH_MAX_KG)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=known_values("pinch", PinchTypeChoices), name="pinch_type_known"
            ),
            models.CheckConstraint(condition=known_values("hand", Hand), name="pinch_hand_known"),
            models.CheckConstraint(condition=Q(trial_1_kg__gte=0), name="pinch_trial_not_negative"),
        ]
