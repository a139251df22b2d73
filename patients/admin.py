from django import forms
from django.contrib import admin

from common.admin import ReadOnlyHistoryAdmin
from patients.forms import FORM_FIELDS, DiagnosisCodesField
from patients.models import Patient
from patients.selectors import MAX_SEARCH_LENGTH, find_possible_duplicates
from patients.services import (
    record_patient_viewed,
    record_patients_listed,
    register_patient,
    update_patient,
)


class PatientAdminForm(forms.ModelForm):
    diagnosis_codes = DiagnosisCodesField(label="Diagnoses (ICD-10-CM)", required=False, max_length=200)
    confirmed_not_duplicate = forms.BooleanField(
        required=False, label="Checked possible duplicates: this is a different person"
    )

    class Meta:
        model = Patient
        fields = [*FORM_FIELDS, "diagnosis_codes"]

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk is None and not cleaned.get("confirmed_not_duplicate"):
            matches = find_possible_duplicates(
                given_name=cleaned.get("given_name", ""),
                family_name=cleaned.get("family_name", ""),
                date_of_birth=cleaned.get("date_of_birth"),
                phone=cleaned.get("phone"),
            )
            if matches:
                listed = "; ".join(f"{match} born {match.date_of_birth:%m/%d/%Y}" for match in matches)
                raise forms.ValidationError(
                    f"Possible duplicate of: {listed}. Tick the confirmation if this is a different person."
                )
        return cleaned


@admin.register(Patient)
class PatientAdmin(ReadOnlyHistoryAdmin):
    """Saves go through the patient services, so the audit trail sees admin changes too."""

    form = PatientAdminForm
    list_display = ["mrn", "family_name", "given_name", "date_of_birth", "sex", "phone", "archived_at"]
    list_filter = ["sex", "preferred_language", ("archived_at", admin.EmptyFieldListFilter), "registered_at"]
    search_fields = ["=mrn", "family_name", "given_name", "preferred_name", "phone"]
    list_select_related = ["registered_by"]
    readonly_fields = [
        "public_id",
        "mrn",
        "registered_by",
        "registered_at",
        "updated_by",
        "updated_at",
        "archived_at",
        "archived_by",
        "archive_reason",
    ]
    date_hierarchy = "registered_at"
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = [*FORM_FIELDS, "diagnosis_codes"]
        if obj is None:
            return [*fields, "confirmed_not_duplicate"]
        return [*fields, *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_archived:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            patient = self.get_object(request, object_id)
            if patient is not None:
                record_patient_viewed(patient=patient, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The page's rows, read once here and again from the same cache by the template.
            record_patients_listed(by=request.user, patients=changelist.result_list, query=changelist.query)
        return response

    def record_view(self, request, obj) -> None:
        record_patient_viewed(patient=obj, by=request.user)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(
            request, queryset, " ".join(search_term[:MAX_SEARCH_LENGTH].split()[:6])
        )

    def save_model(self, request, obj, form, change):
        if change:
            stored = Patient.objects.get(pk=obj.pk)
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in FORM_FIELDS or name == "diagnosis_codes"
            }
            saved = update_patient(patient=stored, by=request.user, **changes)
        else:
            details = {name: form.cleaned_data[name] for name in [*FORM_FIELDS, "diagnosis_codes"]}
            saved = register_patient(by=request.user, confirmed_not_duplicate=True, **details)
        obj.pk = saved.pk
        obj.mrn = saved.mrn
        obj.public_id = saved.public_id

    def save_related(self, request, form, formsets, change):
        # Patients have no inlines; skip the ModelForm m2m save on the unsaved instance.
        return None
