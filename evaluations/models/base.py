"""Shared parts of the evaluation's row models."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PINCH_MAX_KG = 40  # well above the published tip-pinch means (about 8 kg for men 20-24)
GRIP_MAX_KG = 120  # above any published adult grip (Mathiowetz 1985 men's mean + 5 SD is ~ 110 kg)


def known_values(field: str, choices: type[models.Choices], blank: bool = False) -> Q:
    """Choices alone do not constrain the database; this does (optionally allowing blank)."""
    return Q(**{f"{field}__in": [*choices.values, *([""] if blank else [])]})


def trial_field(number: int, maximum: int) -> models.DecimalField:
    """One dynamometer or pinch-gauge trial in kg; the first is required, the others optional."""
    optional = number != 1
    return models.DecimalField(
        _("trial %(number)s (kg)") % {"number": number},
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
        null=optional,
        blank=optional,
    )


class TrialsMixin:
    """The recorded trials of a dynamometer or pinch-gauge row (one to three, in kg)."""

    trial_1_kg: Decimal | None  # the model's fields (trial_field)
    trial_2_kg: Decimal | None
    trial_3_kg: Decimal | None

    @property
    def trials(self) -> list[Decimal]:
        return [t for t in (self.trial_1_kg, self.trial_2_kg, self.trial_3_kg) if t is not None]


class EvaluationRow(models.Model):
    """One recorded item of a section. Rows of a draft are replaced when the section is saved."""

    notes = models.CharField(_("notes"), max_length=500, blank=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} of evaluation {getattr(self, 'evaluation_id', None)}"
