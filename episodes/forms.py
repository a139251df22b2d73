"""Shapes and types of the episode pages; the rules are in services."""

from django import forms
from django.utils import timezone

from accounts.models import User
from episodes.choices import Attendance, PayerType, SendingMethod
from occupations.models import Intervention


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OpenEpisodeForm(forms.Form):
    payer_type = forms.ChoiceField(label="Payer", choices=PayerType.choices, initial=PayerType.MEDICARE)
    referring_physician_name = forms.CharField(label="Referring physician", max_length=200)
    referring_physician_npi = forms.CharField(label="NPI", max_length=10, required=False)
    referring_physician_email = forms.EmailField(
        label="Physician's email (for the signing link)", required=False
    )
    referring_physician_fax = forms.CharField(label="Physician's fax", max_length=30, required=False)
    referral_ordered_on = forms.DateField(label="Referral order date", required=False, widget=DateInput())


class VisitForm(forms.Form):
    visit_on = forms.DateField(label="Date", widget=DateInput(), initial=timezone.localdate)
    attendance = forms.ChoiceField(choices=Attendance.choices, initial=Attendance.ATTENDED)
    clinician = forms.ModelChoiceField(label="Treating clinician", queryset=User.objects.none())
    timed_minutes = forms.IntegerField(label="Timed minutes", min_value=0, max_value=480, required=False)
    interventions = forms.ModelMultipleChoiceField(
        queryset=Intervention.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, clinicians, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clinicians


class SendForm(forms.Form):
    method = forms.ChoiceField(label="How", choices=SendingMethod.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(label="To (email address or fax number)", max_length=254)


class PaperForm(forms.Form):
    document = forms.FileField(label="Signed plan of care (PDF, PNG or JPEG)")
    signed_on = forms.DateField(label="Physician's signature date", widget=DateInput())
    physician_name = forms.CharField(label="Physician", max_length=200)
    physician_npi = forms.CharField(label="NPI", max_length=10, required=False)


class VerbalOrderForm(forms.Form):
    verbal_order_on = forms.DateField(label="Verbal order date", widget=DateInput())
    note = forms.CharField(label="Order (who, what)", max_length=300, required=False)


class AnswerForm(forms.Form):
    """The physician's answer on the signing page."""

    physician_name = forms.CharField(label="Your name", max_length=200)
    physician_npi = forms.CharField(label="Your NPI", max_length=10)
    attested = forms.BooleanField(required=False)
    changes = forms.CharField(
        label="Changes the plan needs", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
