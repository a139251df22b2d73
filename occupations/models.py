"""Catalogues the evaluation draws on.

Each is a table clinic admins maintain in the admin: rows have a stable `code`
(never renamed once used), the clinic's wording as `label`, and are retired with
`is_active`, never deleted. Evaluation rows reference them with PROTECT.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from occupations.choices import ActivityCategory, BodyRegion, MeasurementUnit, NeuromuscularDomain


class CatalogueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CatalogueEntry(models.Model):
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stable identifier; never renamed once in use.")
    )
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired entries stay on old records but cannot be chosen.")
    )

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["display_order", "label"]

    def __str__(self) -> str:
        return self.label


class Activity(CatalogueEntry):
    """An occupation rated on the ADL and IADL checklists (OTPF-4 categories)."""

    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory)
    is_core_iadl = models.BooleanField(
        _("core IADL"),
        default=False,
        help_text=_("One of the eight core IADLs for independence (the Lawton–Brody items)."),
    )
    lawton_item = models.CharField(
        _("Lawton IADL item"), max_length=30, blank=True, help_text=_("Item id in the Lawton–Brody scale.")
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ActivityCategory.values), name="activity_category_known"
            ),
            models.CheckConstraint(
                condition=Q(is_core_iadl=False) | Q(category=ActivityCategory.IADL),
                name="activity_core_iadl_is_iadl",
            ),
        ]


class LifeRole(CatalogueEntry):
    """A role the person plays or wants to play: caregiver, spouse, worker, …"""


class Destination(CatalogueEntry):
    """A place the person needs to get to (mobility inventory)."""


class TransportMode(CatalogueEntry):
    """How the person gets somewhere."""


class ImbalanceCause(CatalogueEntry):
    """A cause of muscle imbalance the clinic names."""


class PainRegion(CatalogueEntry):
    """A body region where pain is reported."""


class SignSymptom(CatalogueEntry):
    """A sign or symptom of muscle imbalance."""


class AffectedOccupation(CatalogueEntry):
    """An occupation that muscle imbalance commonly limits."""


class Intervention(CatalogueEntry):
    """A treatment the plan of care can include."""


class MuscleGroup(CatalogueEntry):
    """A muscle group graded by manual muscle testing."""

    region = models.CharField(_("region"), max_length=10, choices=BodyRegion)


class JointMotion(CatalogueEntry):
    """A joint motion measured by goniometry, with the bounds a measurement must fall in.

    The bounds catch typing errors; they are not norms. They are the largest normal
    value published for the motion (Norkin & White Table A.1, Merck Manual, AAOS)
    plus 30 degrees, and for extension deficits a negative floor.
    """

    region = models.CharField(_("region"), max_length=10, choices=BodyRegion)
    min_degrees = models.SmallIntegerField(_("lowest plausible value (degrees)"), default=0)
    max_degrees = models.SmallIntegerField(_("highest plausible value (degrees)"))

    class Meta(CatalogueEntry.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(max_degrees__gt=F("min_degrees")), name="joint_motion_bounds_ordered"
            )
        ]


class FlexibilityTest(CatalogueEntry):
    """A muscle-length or flexibility test."""


class NeuromuscularTest(CatalogueEntry):
    """A timed or counted test of coordination, speed, agility or reaction time."""

    domain = models.CharField(_("domain"), max_length=20, choices=NeuromuscularDomain)
    unit = models.CharField(_("unit"), max_length=10, choices=MeasurementUnit)
    is_sided = models.BooleanField(_("tested per side"), default=False)
    lower_is_better = models.BooleanField(_("lower is better"), default=True)
    max_value = models.DecimalField(
        _("highest plausible value"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
        help_text=_("Values above this are refused as typing errors."),
    )


CATALOGUES: dict[str, type[CatalogueEntry]] = {
    "activities": Activity,
    "life-roles": LifeRole,
    "destinations": Destination,
    "transport-modes": TransportMode,
    "imbalance-causes": ImbalanceCause,
    "pain-regions": PainRegion,
    "signs-symptoms": SignSymptom,
    "affected-occupations": AffectedOccupation,
    "interventions": Intervention,
    "muscle-groups": MuscleGroup,
    "joint-motions": JointMotion,
    "flexibility-tests": FlexibilityTest,
    "neuromuscular-tests": NeuromuscularTest,
}
