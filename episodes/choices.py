"""Closed lists of the episode of care. Codes are stable and stored; labels may be reworded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PayerType(models.TextChoices):
    """Whose documentation rules the clock follows (settings.EPISODE_RULES, one entry per code)."""

    MEDICARE = "medicare", _("Medicare")
    OTHER = "other", _("Other payer")


class EpisodeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISCHARGED = "discharged", _("Discharged")


class Attendance(models.TextChoices):
    """A scheduled treatment day's outcome; only attended days are treatment days."""

    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class CertificationKind(models.TextChoices):
    INITIAL = "initial", _("Initial certification")
    RECERTIFICATION = "recertification", _("Recertification")


class CertificationState(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    SENT = "sent", _("Sent, waiting for the physician")
    CERTIFIED = "certified", _("Certified")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    EXPIRED = "expired", _("Link expired unsigned")


class CertifiedBy(models.TextChoices):
    """How the physician's signature reached the clinic."""

    LINK = "link", _("Signed through the secure link")
    PAPER = "paper", _("Signed on paper (uploaded)")


class SendingMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("Secure signing link by email")
    FAX = "fax", _("Printed with a fax cover sheet")
