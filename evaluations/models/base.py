"""Shared parts of the evaluation's row models."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
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

    # Fields that follow from others (a total from its items, a level from a description of the
    # help) are set before the field checks ask for them; what went wrong doing it is raised by
    # clean() with the model's other errors.
    _derived_errors: dict[str, list[Any]] | None = None

    def derive(self) -> dict[str, list[Any]]:
        """Set the fields that follow from others; the errors found, by field."""
        return {}

    def clean_fields(self, exclude=None):
        self._derived_errors = self.derive()
        super().clean_fields(exclude)

    def clean(self):
        errors = self._derived_errors if self._derived_errors is not None else self.derive()
        self._derived_errors = None
        if errors:
            raise ValidationError(errors)


class InstrumentRow(EvaluationRow):
    """A standardized instrument's result: its total, and its item answers when they were entered
    item by item (then the total is scored from them; an empty `items` means the total was entered
    alone). The instrument's items, options and rules come from `instruments.registry`."""

    items = models.JSONField(
        _("item answers"),
        default=dict,
        blank=True,
        help_text=_(
            "Each item's answer as the instrument's form records it; empty when only the total is known."
        ),
    )

    instrument: str
    total_score: int | None

    class Meta(EvaluationRow.Meta):
        abstract = True

    @property
    def entered_by_item(self) -> bool:
        return bool(self.items)

    def derive(self) -> dict[str, list[Any]]:
        """The total from complete items (a typed total must agree); the total's own range."""
        from evaluations.instruments import InvalidInput, registry  # pure Python

        instrument = registry.instruments().get(self.instrument)
        if instrument is None:
            return {}  # the choices check names an unknown instrument
        errors: dict[str, list[Any]] = {}
        if self.items:
            if not isinstance(self.items, dict):
                return {"items": [_("Give the item answers as an object of item: answer.")]}
            try:
                total = instrument.total(self.items)
            except registry.InvalidItems as error:
                return {"items": list(error.errors.values())}
            if self.total_score is None:
                self.total_score = total
            elif self.total_score != total:
                errors["total_score"] = [
                    _("The items add up to %(total)s, not %(typed)s: correct the items or clear the total.")
                    % {"total": total, "typed": self.total_score}
                ]
        if self.total_score is None and not errors:
            errors["total_score"] = [_("Give the items or, when only the total is known, the total.")]
        elif self.total_score is not None and not errors:
            try:
                instrument.check_total(self.total_score)
            except InvalidInput as error:
                errors["total_score"] = [str(error)]
        return errors
