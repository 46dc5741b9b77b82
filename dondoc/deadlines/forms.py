from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Agency
from dondoc.core.fields import DateField
from dondoc.core.models import OverrideKind

from .models import DossierType


class DossierForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Dossier type"), queryset=DossierType.objects.all())
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=Agency.objects.none())
    reference = forms.CharField(label=_("Dossier number"), max_length=100)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    received_on = DateField(label=_("Received on"), help_text=_("dd/mm/yyyy — the day the clock starts from"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda a: f"{a.code} — {a.name}"
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class EventForm(forms.Form):
    on = DateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class OverrideForm(forms.Form):
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=OverrideKind.choices)
    name = forms.CharField(label=_("Name"), max_length=255)
    reference = forms.CharField(label=_("Legal reference"), max_length=255)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False, initial=True)
