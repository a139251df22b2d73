from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityCategory(models.TextChoices):
    """OTPF-4 occupation categories used by the checklists (AOTA 2020)."""

    ADL = "adl", _("Activity of daily living")
    IADL = "iadl", _("Instrumental activity of daily living")
    HEALTH_MANAGEMENT = "health_management", _("Health management")


class BodyRegion(models.TextChoices):
    UPPER = "upper", _("Upper body")
    LOWER = "lower", _("Lower body")
    TRUNK = "trunk", _("Neck and trunk")


class NeuromuscularDomain(models.TextChoices):
    """The clinic's neuromuscular function areas."""

    COORDINATION = "coordination", _("Coordination")
    SPEED = "speed", _("Speed")
    AGILITY = "agility", _("Agility")
    REACTION_TIME = "reaction_time", _("Reaction time")


class MeasurementUnit(models.TextChoices):
    """UCUM codes, so values map to FHIR Quantity without translation."""

    SECONDS = "s", _("seconds")
    CENTIMETERS = "cm", _("centimeters")
    COUNT = "{count}", _("count")
    METERS_PER_SECOND = "m/s", _("meters per second")
