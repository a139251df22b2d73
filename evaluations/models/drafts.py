"""What a therapist typed on a section page that is not in the record yet."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.evaluation import Evaluation


class SectionDraft(models.Model):
    """A section page's typed entries kept server side until they can be saved: entries with errors
    (an autosave or Save that did not validate), a save refused because the evaluation changed
    elsewhere, or a page posted after the session ended. One per therapist, evaluation and section;
    it goes when the section is saved or the therapist discards it. Not part of the record: the
    evaluation's content changes only through its services."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="section_drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    section = models.SlugField(_("section"), max_length=40)
    data = models.JSONField(
        _("typed entries"), help_text=_("The page's fields by name, each a list of values.")
    )
    loaded_version = models.PositiveIntegerField(
        _("version typed against"), help_text=_("The evaluation's version when the page was opened.")
    )
    reason = models.CharField(
        _("why it is kept"),
        max_length=12,
        choices=[
            ("errors", _("Entries with errors")),
            ("conflict", _("Saved elsewhere meanwhile")),
            ("signed_out", _("Posted after the session ended")),
        ],
    )
    page = models.CharField(
        _("page that typed it"),
        max_length=32,
        blank=True,
        help_text=_("The page load the entries came from: only its own save clears them, not another tab's."),
    )
    kept_at = models.DateTimeField(_("kept at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "author", "section"], name="section_draft_one_per_author"
            ),
        ]

    def __str__(self) -> str:
        return f"Unsaved {self.section} of evaluation {self.evaluation_id} by {self.author_id}"
