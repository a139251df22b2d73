from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrativeSex(models.TextChoices):
    """HL7 FHIR administrative-gender: http://hl7.org/fhir/R4/valueset-administrative-gender.html"""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Language(models.TextChoices):
    """Preferred language as a BCP-47 tag (FHIR Patient.communication.language).

    The languages most often met in the clinic's catchment; "other" plus the
    interpreter flag covers the rest.
    """

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    BENGALI = "bn", _("Bengali")
    BURMESE = "my", _("Burmese")
    KAREN = "kar", _("Karen")
    NEPALI = "ne", _("Nepali")
    SOMALI = "so", _("Somali")
    SWAHILI = "sw", _("Swahili")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    POLISH = "pl", _("Polish")
    ITALIAN = "it", _("Italian")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    FRENCH = "fr", _("French")
    AMERICAN_SIGN_LANGUAGE = "ase", _("American Sign Language")
    OTHER = "other", _("Other")


class PatientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")
