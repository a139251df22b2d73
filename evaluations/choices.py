"""Closed lists of the evaluation. Codes are stable and stored; labels may be reworded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationKind(models.TextChoices):
    INITIAL = "initial", _("Initial evaluation")
    RE_EVALUATION = "re_evaluation", _("Re-evaluation")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    DISCHARGE = "discharge", _("Discharge evaluation")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    DISCARDED = "discarded", _("Discarded")


class Side(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    BILATERAL = "bilateral", _("Bilateral")
    MIDLINE = "midline", _("Midline / central")
    NONE = "none", _("Not sided")


class Hand(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")


class HandDominance(models.TextChoices):
    RIGHT = "right", _("Right-handed")
    LEFT = "left", _("Left-handed")
    AMBIDEXTROUS = "ambidextrous", _("Ambidextrous")


class MmtScale(models.TextChoices):
    """Which manual-muscle-testing tradition the grades follow (instruments.md §1)."""

    KENDALL = "kendall", _("Kendall (0–5 with − and + modifiers)")
    DANIELS_WORTHINGHAM = "daniels_worthingham", _("Daniels & Worthingham")
    MRC = "mrc", _("MRC / Oxford (whole grades 0–5 only)")


class MmtGrade(models.TextChoices):
    """Manual muscle test grades in ordinal order (Kendall 2005; MRC 1976)."""

    ZERO = "0", _("0 — Zero")
    TRACE = "1", _("1 — Trace")
    POOR_MINUS = "2-", _("2− — Poor minus")
    POOR = "2", _("2 — Poor")
    POOR_PLUS = "2+", _("2+ — Poor plus")
    FAIR_MINUS = "3-", _("3− — Fair minus")
    FAIR = "3", _("3 — Fair")
    FAIR_PLUS = "3+", _("3+ — Fair plus")
    GOOD_MINUS = "4-", _("4− — Good minus")
    GOOD = "4", _("4 — Good")
    GOOD_PLUS = "4+", _("4+ — Good plus")
    NORMAL = "5", _("5 — Normal")


MRC_WHOLE_GRADES = {"0", "1", "2", "3", "4", "5"}


class RomMode(models.TextChoices):
    ACTIVE = "active", _("Active")
    PASSIVE = "passive", _("Passive")


class FlexibilityFinding(models.TextChoices):
    WITHIN_NORMAL_LIMITS = "within_normal_limits", _("Within normal limits")
    MILDLY_LIMITED = "mildly_limited", _("Mildly limited")
    MODERATELY_LIMITED = "moderately_limited", _("Moderately limited")
    SEVERELY_LIMITED = "severely_limited", _("Severely limited")


class CognitiveDomain(models.TextChoices):
    """The clinic's cognitive and mind-health areas."""

    SHORT_TERM_MEMORY = "short_term_memory", _("Short-term memory")
    RECALL = "recall", _("Recall")
    INFORMATION_PROCESSING = "information_processing", _("Information processing")
    PERCEPTION_OF_ILLNESS = "perception_of_illness", _("Perception of illness")


class CognitiveRating(models.TextChoices):
    INTACT = "intact", _("Intact / no concern")
    MILDLY_IMPAIRED = "mildly_impaired", _("Mildly impaired")
    MODERATELY_IMPAIRED = "moderately_impaired", _("Moderately impaired")
    SEVERELY_IMPAIRED = "severely_impaired", _("Severely impaired")


class CognitiveInstrument(models.TextChoices):
    MOCA = "moca", _("MoCA (0–30)")
    SLUMS = "slums", _("SLUMS (0–30)")
    MINI_COG = "mini_cog", _("Mini-Cog (0–5)")


class RoleStatus(models.TextChoices):
    """Role Checklist time frames: past, present, future (Oakley et al. 1986)."""

    CURRENT = "current", _("Current")
    PAST = "past", _("Past")
    WANTED = "wanted", _("Wants in the future")


class Importance(models.TextChoices):
    VERY = "very", _("Very important")
    SOMEWHAT = "somewhat", _("Somewhat important")
    NOT = "not", _("Not important")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    SEVERAL_WEEKLY = "several_weekly", _("Several times a week")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    RARELY = "rarely", _("Less than monthly")


class MobilityAbility(models.TextChoices):
    INDEPENDENT = "independent", _("Gets there independently")
    WITH_DIFFICULTY = "with_difficulty", _("Independently, with difficulty or pain")
    WITH_HELP = "with_help", _("Needs help to get there")
    UNABLE = "unable", _("Cannot get there now")


class DoneBy(models.TextChoices):
    SELF = "self", _("The person")
    SHARED = "shared", _("Shared with others")
    SPOUSE_PARTNER = "spouse_partner", _("Spouse or partner")
    FAMILY = "family", _("Other family or friends")
    PAID_HELP = "paid_help", _("Paid help or services")
    NOT_DONE = "not_done", _("Nobody / not done")


class AssistLevel(models.TextChoices):
    """Levels of assistance, most to least independent (instruments.json `assist_levels`)."""

    INDEPENDENT = "independent", _("Independent")
    MODIFIED_INDEPENDENT = "modified_independent", _("Modified independent")
    SUPERVISION = "supervision", _("Supervision / standby")
    CONTACT_GUARD = "contact_guard", _("Contact guard assist")
    MINIMAL = "minimal_assist", _("Minimal assist")
    MODERATE = "moderate_assist", _("Moderate assist")
    MAXIMAL = "maximal_assist", _("Maximal assist")
    DEPENDENT = "dependent", _("Dependent / total assist")

    @classmethod
    def is_independent(cls, level: str) -> bool:
        """Done without a helper: independent or modified independent (a device, extra time or a
        safety concern, but nobody else), FIM levels 7 and 6 (instruments.md §12). The one
        definition used by deficits, progress, goal status and trends."""
        return level in INDEPENDENT_LEVELS


INDEPENDENT_LEVELS = frozenset({AssistLevel.INDEPENDENT, AssistLevel.MODIFIED_INDEPENDENT})


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class GoalStatus(models.TextChoices):
    """Where a goal stands at a re-evaluation or discharge, as the therapist judges it."""

    MET = "met", _("Met")
    PARTIALLY_MET = "partially_met", _("Partially met")
    NOT_MET = "not_met", _("Not met")
    CONTINUED = "continued", _("Continued")
    MODIFIED = "modified", _("Modified")
    DISCONTINUED = "discontinued", _("Discontinued")

    @classmethod
    def closes(cls, status: str) -> bool:
        """A goal judged and closed: its target date may have passed."""
        return status in (cls.MET, cls.PARTIALLY_MET, cls.NOT_MET, cls.DISCONTINUED)


class GoalTerm(models.TextChoices):
    SHORT = "short_term", _("Short-term")
    LONG = "long_term", _("Long-term")


class HistoryDepth(models.TextChoices):
    """CPT 97165-97167 profile and history component."""

    BRIEF = "brief", _("Brief history, records of the presenting problem")
    EXPANDED = "expanded", _("Expanded review: physical, cognitive or psychosocial history")
    EXTENSIVE = "extensive", _("Extensive additional review of history")


class Comorbidities(models.TextChoices):
    NONE = "none", _("None affecting occupational performance")
    MAY_BE_PRESENT = "may_be_present", _("May be present")
    PRESENT = "present", _("Present")


class EvaluationAssistance(models.TextChoices):
    """Task modification or assistance the person needed to complete the evaluation."""

    NONE = "none", _("None")
    MINIMAL_TO_MODERATE = "minimal_to_moderate", _("Minimal to moderate")
    SIGNIFICANT = "significant", _("Significant")


class CptCode(models.TextChoices):
    LOW = "97165", _("97165 OT evaluation, low complexity")
    MODERATE = "97166", _("97166 OT evaluation, moderate complexity")
    HIGH = "97167", _("97167 OT evaluation, high complexity")
    RE_EVALUATION = "97168", _("97168 OT re-evaluation")


class FunctionalScale(models.TextChoices):
    """Standardized function scales (their items and rules: instruments.registry)."""

    LAWTON = "lawton_iadl", _("Lawton IADL (0–8)")
    LAWTON_FIVE = "lawton_iadl_5", _("Lawton IADL, historical 5 domains (0–5)")
    KATZ = "katz_adl", _("Katz ADL (0–6)")
    BARTHEL = "barthel_index", _("Barthel Index (0–100)")
    LEFS = "lefs", _("Lower Extremity Functional Scale, LEFS (0–80)")


class CopmArea(models.TextChoices):
    """COPM occupational performance areas (Law et al. 1990)."""

    SELF_CARE = "self_care", _("Self-care")
    PRODUCTIVITY = "productivity", _("Productivity")
    LEISURE = "leisure", _("Leisure")


class PinchType(models.TextChoices):
    TIP = "tip", _("Tip (thumb tip to index tip)")
    KEY = "key", _("Key / lateral")
    PALMAR = "palmar", _("Palmar / three-jaw chuck")
