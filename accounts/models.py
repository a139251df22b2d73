import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import actor_field


class User(AbstractUser):
    """A person or integration that signs in: front-desk staff, therapists, clinic admins."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    credentials = models.CharField(
        _("professional credentials"),
        max_length=60,
        blank=True,
        help_text=_("Shown after the name on signed records, e.g. “MS, OTR/L”."),
    )

    is_integration = models.BooleanField(
        _("integration"),
        default=False,
        editable=False,
        help_text=_("The account of an integration key: acts through its key's scopes, never signs in."),
    )

    password_changed_at = models.DateTimeField(
        _("password changed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("API tokens issued before this moment no longer work."),
    )

    # An integration account's scopes, kept for the request by the key's authentication.
    _integration_scopes: frozenset[str] | None = None

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.get_full_name() or self.get_username()
        return f"{name}, {self.credentials}" if self.credentials else name


def hash_token(raw: str) -> str:
    """Tokens are stored as their SHA-256 digest: a leaked table holds no usable token."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that still authenticate: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """An expiring bearer token issued to a user for the API. Only its digest is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text=_("First characters, to tell tokens apart.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate_raw() -> str:
        return secrets.token_urlsafe(32)


class IntegrationScope(models.TextChoices):
    """What an integration key may do; every API and FHIR route names the scope it needs
    (accounts.scopes), and a route that names none refuses keys."""

    PATIENTS_READ = "patients.read", _("Read patients (demographics)")
    PATIENTS_WRITE = "patients.write", _("Register and update patients")
    EVALUATIONS_READ = "evaluations.read", _("Read signed evaluations")
    REPORTS_READ = "reports.read", _("Download signed reports (PDF)")
    FHIR_READ = "fhir.read", _("Read the FHIR R4 API (signed content)")
    EXPORT = "export", _("Run bulk exports")
    VISITS_WRITE = "visits.write", _("Record visits")


class IntegrationKeyQuerySet(models.QuerySet["IntegrationKey"]):
    def usable(self) -> "IntegrationKeyQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


INTEGRATION_KEY_PREFIX = "bok_"  # tells a key from a person's API token at a glance (and in code)


class IntegrationKey(models.Model):
    """A key an integration (an intake system, a hospital's FHIR client) authenticates with:
    scoped, expiring, optionally limited to some addresses, rate-limited and revocable. Only its
    digest is kept; the key itself is shown once, when it is created. It acts through its own
    account (`User.is_integration`), so the audit trail names the integration, not a person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, e.g. “Hospital HIE”.")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration_key", editable=False
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    allowed_ips = models.JSONField(
        _("allowed addresses"),
        default=list,
        blank=True,
        help_text=_("IP addresses or networks (CIDR) the key may be used from; empty: any."),
    )
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=120, help_text=_("More within a minute are answered 429.")
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = actor_field()
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True, editable=False)
    # The rate limit's current window (one minute from its first request) and its count.
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    objects = IntegrationKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("integration key")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_per_minute__gte=1, rate_per_minute__lte=6000),
                name="integration_key_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def generate_raw() -> str:
        return INTEGRATION_KEY_PREFIX + secrets.token_urlsafe(32)
