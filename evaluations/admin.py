from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from evaluations.models import Addendum, Evaluation
from evaluations.services import record_evaluation_viewed


class AddendumInline(admin.TabularInline):
    model = Addendum
    fields = ("created_at", "author", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, ReadOnlyHistoryAdmin):
    """For finding and auditing evaluations. Content is recorded and signed in the clinic's pages,
    which enforce the draft rules; here every evaluation is read-only and nothing is deleted."""

    list_display = ["date_of_service", "patient", "kind", "status", "therapist", "signed_at", "open_link"]
    list_filter = ["status", "kind", "date_of_service", "therapist"]
    search_fields = [
        "patient__family_name",
        "patient__given_name",
        "=patient__mrn",
        "therapist__username",
        "therapist__last_name",
    ]
    date_hierarchy = "date_of_service"
    list_select_related = ["patient", "therapist"]

    def get_queryset(self, request):
        # Discarded drafts are gone from the clinic's pages, not from the audit's view.
        return Evaluation.all_objects.select_related("patient", "therapist")

    readonly_fields = [
        "public_id",
        "patient",
        "therapist",
        "kind",
        "date_of_service",
        "previous_evaluation",
        "status",
        "signed_by",
        "signed_at",
        "discarded_by",
        "discarded_at",
        "discard_reason",
        "mmt_scale",
        "assessment_summary",
        "sessions_per_week",
        "duration_weeks",
        "home_program",
        "created_at",
        "updated_at",
        "open_link",
    ]
    fields = readonly_fields
    inlines = [AddendumInline]
    show_full_result_count = False

    @admin.display(description="Evaluation page")
    def open_link(self, evaluation):
        return format_html(
            '<a href="{}">Open</a>', reverse("evaluations:detail", args=[evaluation.public_id])
        )

    def record_view(self, request, obj) -> None:
        record_evaluation_viewed(evaluation=obj, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        evaluation = self.get_object(request, object_id) if request.method == "GET" else None
        if evaluation is not None:
            record_evaluation_viewed(evaluation=evaluation, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)
