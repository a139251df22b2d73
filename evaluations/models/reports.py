"""A signed evaluation's report, rendered once and kept."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.evaluation import Evaluation


class SignedReport(models.Model):
    """The report PDF of a signed evaluation as it stood with a given number of addenda: rendered
    by the background worker at signing (and again when an addendum is added), stored with its
    SHA-256 and the content seal it was rendered from, and served from storage after that. Never
    deleted: a report superseded by an addendum stays what was sent before it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="signed_reports")
    addenda = models.PositiveIntegerField(_("addenda included"))
    content_sha256 = models.CharField(_("content seal it was rendered from"), max_length=64)
    file = models.FileField(upload_to="reports/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("bytes"))
    rendered_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "-addenda"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "addenda"], name="signed_report_once_per_addenda")
        ]

    def __str__(self) -> str:
        return f"Report of {self.evaluation} with {self.addenda} addenda"
