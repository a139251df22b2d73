"""Section 3: neuromuscular function (timed and counted tests)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    Side,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation
from occupations.choices import MeasurementUnit
from occupations.models import (
    NeuromuscularTest,
)


class NeuromuscularMeasurement(EvaluationRow):
    """Section 3: one timed or counted test result, in the test's unit."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="neuromuscular_measurements"
    )
    test = models.ForeignKey(NeuromuscularTest, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side, default=Side.NONE)
    value = models.DecimalField(
        _("result"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("side", Side), name="neuromuscular_side_known"),
            models.CheckConstraint(condition=Q(value__gte=0), name="neuromuscular_value_not_negative"),
        ]

    def clean(self):
        test = self.test if self.test_id else None
        if test is None:
            return
        errors = {}
        if self.value is not None and self.value > test.max_value:
            errors["value"] = _("%(value)s %(unit)s is more than %(test)s can measure (at most %(max)s).") % {
                "value": self.value,
                "unit": test.unit,
                "test": test.label,
                "max": test.max_value,
            }
        if self.value is not None and test.unit == MeasurementUnit.COUNT and self.value % 1:
            errors["value"] = _("%(test)s is a count: enter a whole number.") % {"test": test.label}
        if self.value is not None and test.unit != MeasurementUnit.COUNT and self.value <= 0:
            errors["value"] = _("%(test)s must be more than 0 %(unit)s.") % {
                "test": test.label,
                "unit": test.unit,
            }
        if test.is_sided and self.side not in (Side.LEFT, Side.RIGHT):
            errors["side"] = _("%(test)s is recorded per side: choose left or right.") % {"test": test.label}
        if not test.is_sided and self.side not in (Side.NONE, Side.BILATERAL):
            errors["side"] = _("%(test)s is not recorded per side.") % {"test": test.label}
        if errors:
            raise ValidationError(errors)

    @property
    def unit(self) -> str:
        return self.test.unit
