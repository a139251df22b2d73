import uuid
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from localflavor.us.models import USStateField, USZipCodeField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from common.models import actor_field, version_field
from patients.choices import AdministrativeSex, Language
from patients.validators import describe_icd10cm, validate_birth_date, validate_icd10cm_codes, validate_npi

# Who the person is: what a list or search shows to pick the right person.
IDENTITY_FIELDS = ("given_name", "family_name", "preferred_name", "date_of_birth", "sex", "phone")
# Demographic fields staff may set when registering or correcting a patient (every door reads
# this list: the form, the admin, the API serializer and the service).
DEMOGRAPHIC_FIELDS = (
    *IDENTITY_FIELDS,
    "email",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "preferred_language",
    "needs_interpreter",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
    "referring_physician_name",
    "referring_physician_npi",
    "diagnosis_codes",
    "insurance_payer",
    "insurance_member_id",
)


class PatientQuerySet(models.QuerySet["Patient"]):
    def active(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=False)


class Patient(models.Model):
    """A person registered with the clinic for occupational therapy.

    Never deleted: a patient who leaves the clinic's care, or a record made in
    error, is archived.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mrn = models.CharField(
        _("medical record number"),
        max_length=12,
        unique=True,
        editable=False,
        help_text=_("Assigned by the clinic; the last digit is a Luhn check digit."),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_birth_date])
    sex = models.CharField(
        _("administrative sex"),
        max_length=16,
        choices=AdministrativeSex,
        default=AdministrativeSex.UNKNOWN,
    )
    phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = USStateField(_("state"), blank=True)
    postal_code = USZipCodeField(
        _("ZIP code"),
        blank=True,
        validators=[RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a ZIP code as 12345 or 12345-6789."))],
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(
        _("relationship to patient"), max_length=100, blank=True
    )
    emergency_contact_phone = PhoneNumberField(_("emergency contact phone"), blank=True)
    referring_physician_name = models.CharField(_("referring physician"), max_length=200, blank=True)
    referring_physician_npi = models.CharField(
        _("referring physician NPI"), max_length=10, blank=True, validators=[validate_npi]
    )
    diagnosis_codes = models.JSONField(
        _("diagnoses (ICD-10-CM)"),
        default=list,
        blank=True,
        validators=[validate_icd10cm_codes],
        help_text=_("Billable ICD-10-CM codes from the referral, primary first."),
    )
    insurance_payer = models.CharField(_("insurance payer"), max_length=200, blank=True)
    insurance_member_id = models.CharField(_("insurance member ID"), max_length=60, blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = version_field()
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = actor_field()
    archive_reason = models.CharField(_("reason archived"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])  # versions kept: edits merge against them
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "date_of_birth", "mrn"]  # mrn: a stable page order
        permissions = [
            ("archive_patient", "Can archive and restore a patient"),
            ("view_clinical", "Can read clinical content of a patient's record"),
        ]
        indexes = [
            models.Index(
                Lower("family_name"), Lower("given_name"), "date_of_birth", name="patient_name_dob_idx"
            ),
            # The lists' order over active patients (patients.selectors.PATIENT_LIST_ORDER): a page
            # is read from here in order, from its cursor, with no sort and no scan of the table.
            # It also holds the preferred name and the primary key, so a name search walking it
            # reads nothing else until it has its page (PostgreSQL; see selectors.for_paging).
            models.Index(
                fields=["family_name", "given_name", "date_of_birth", "mrn"],
                include=["id", "preferred_name"],
                condition=Q(archived_at__isnull=True),
                name="patient_active_order_idx",
            ),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["registered_at"], name="patient_registered_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=AdministrativeSex.values), name="patient_sex_known_code"
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=Language.values),
                name="patient_language_known_code",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(archived_by__isnull=False),
                name="patient_archive_attributed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} (MRN {self.mrn})"

    @property
    def audit_patient_public_id(self):
        return self.public_id

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day: date) -> int:
        """Age in whole years on the given day."""
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def display_name(self) -> str:
        preferred = f" “{self.preferred_name}”" if self.preferred_name else ""
        return f"{self.family_name}, {self.given_name}{preferred}"

    @property
    def diagnoses(self) -> list[dict[str, str]]:
        return [{"code": code, "description": describe_icd10cm(code)} for code in self.diagnosis_codes]


class MedicalRecordNumberSequence(models.Model):
    """The last MRN number handed out. One row; registrations lock it briefly."""

    last_value = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return str(self.last_value)


class PatientImport(models.Model):
    """A CSV file of patients from another system, as uploaded, with the check of each row (the
    dry run) and, once a clinic admin has started it, how far the import got and what each row
    became. Kept as the record of where imported patients came from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(_("file"), max_length=200)
    content = models.TextField(_("content"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"))
    report = models.JSONField(_("row by row"), default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    started_at = models.DateTimeField(_("import started at"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    finished_at = models.DateTimeField(_("import finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("patient import")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def state(self) -> str:
        if self.finished_at is not None:
            return "finished"
        return "running" if self.started_at is not None else "checked"
