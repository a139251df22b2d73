import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from patients.models import DEMOGRAPHIC_FIELDS, Patient
from patients.validators import normalize_icd10cm_code, validate_icd10cm_code

# The demographics as typed on the form; diagnosis codes have their own text field.
FORM_FIELDS = [name for name in DEMOGRAPHIC_FIELDS if name != "diagnosis_codes"]


class DiagnosisCodesField(forms.CharField):
    """ICD-10-CM codes typed as text, separated by commas, semicolons or spaces."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [normalize_icd10cm_code(code) for code in re.split(r"[,;\s]+", text) if code]

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def validate(self, value):
        errors = []
        for code in value:
            try:
                validate_icd10cm_code(code)
            except ValidationError as error:
                errors.extend(error.messages)
        if len(set(value)) != len(value):
            errors.append("Each diagnosis may be listed only once.")
        if errors:
            raise ValidationError(errors)


class PatientForm(forms.ModelForm):
    diagnosis_codes = DiagnosisCodesField(
        label="Diagnoses (ICD-10-CM)",
        required=False,
        max_length=200,
        help_text="Billable codes from the referral, primary first, e.g. M25.551, Z96.641.",
    )
    confirmed_not_duplicate = forms.BooleanField(
        required=False,
        label="I have checked the possible matches above: this is a different person.",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Patient
        fields = [*FORM_FIELDS, "diagnosis_codes"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "placeholder": "716-555-0142"}),
            "emergency_contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, ask_duplicate_confirmation: bool = False, track_version: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not track_version:
            del self.fields["loaded_version"]
        self.fields["date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["given_name"].widget.attrs["autofocus"] = True
        self.fields["state"].initial = settings.CLINIC_STATE
        if ask_duplicate_confirmation:
            self.fields["confirmed_not_duplicate"].widget = forms.CheckboxInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Patient",
                Row(Column("given_name"), Column("family_name"), Column("preferred_name")),
                Row(
                    Column("date_of_birth"),
                    Column("sex"),
                    Column("preferred_language"),
                    Column("needs_interpreter", css_class="pt-4"),
                ),
            ),
            Fieldset(
                "Contact",
                Row(Column("phone"), Column("email")),
                Row(Column("address_line1"), Column("address_line2")),
                Row(Column("city"), Column("state"), Column("postal_code")),
            ),
            Fieldset(
                "Emergency contact",
                Row(
                    Column("emergency_contact_name"),
                    Column("emergency_contact_relationship"),
                    Column("emergency_contact_phone"),
                ),
            ),
            Fieldset(
                "Referral and coverage",
                Row(Column("referring_physician_name"), Column("referring_physician_npi")),
                "diagnosis_codes",
                Row(Column("insurance_payer"), Column("insurance_member_id")),
            ),
            "confirmed_not_duplicate",
            *(["loaded_version"] if track_version else []),
            HTML("<hr>"),
        )
        self.helper.add_input(Submit("save", "Save patient"))

    def rebase(self, *, loaded, current) -> tuple[QueryDict, list[str]]:
        """After a conflict: the clerk's entries carried onto the record as it is now.

        `loaded` is the record as the clerk opened it (None if unknown), `current` as saved since.
        A field the clerk left alone takes the current value, so saving again cannot undo the
        other person's change; a field the clerk changed keeps what they typed. Returns the new
        form data and the labels of fields both changed (the clerk's entry wins on the next save)."""
        data = self.data.copy()  # type: ignore[attr-defined]  # bound to request.POST, a QueryDict
        both_changed = []
        for name in self._meta.fields or ():
            field = self.fields[name]
            typed = self[name].data
            current_value = getattr(current, name)
            if loaded is not None and not field.has_changed(getattr(loaded, name), typed):
                shown = field.prepare_value(current_value)
                if isinstance(field, forms.BooleanField):
                    data.setlist(name, ["on"] if shown else [])
                else:
                    data[name] = "" if shown is None else str(shown)
            elif (
                loaded is not None
                and getattr(loaded, name) != current_value
                and field.has_changed(current_value, typed)
            ):
                both_changed.append(str(field.label))
        return data, both_changed


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label="Why is this patient archived?",
        help_text="For example: registered in error, duplicate of MRN 10000013, moved away.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("archive", "Archive patient", css_class="btn-danger"))


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=forms.TextInput(
            attrs={
                "placeholder": "Name, MRN, date of birth or phone",
                "autofocus": True,
                "type": "search",
                "class": "form-control",
            }
        ),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("active", "Active"), ("archived", "Archived"), ("all", "All")],
    )
