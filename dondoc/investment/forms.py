from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.core import clock
from dondoc.core.concurrency import VersionedForm
from dondoc.importers.tables import SUFFIXES

from .jobs import MAX_UPLOAD_BYTES
from .models import Assigner


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), choices=[
        ("disbursements", _("Disbursements (Treasury payments or cumulative amounts)")),
        ("plans", _("Capital plans"))])
    file = forms.FileField(label=_("File (.xlsx, .xls, .ods, .csv)"))
    unit = forms.ChoiceField(label=_("Unit, if the file states none"), required=False, choices=[
        ("", "—"), ("dong", _("đồng")), ("trieu", _("million đồng")), ("ty", _("billion đồng"))])
    as_of = forms.CharField(label=_("As of (cumulative amounts; effective date of a revised plan)"), required=False,
                            help_text=_("dd/mm/yyyy"))
    year = forms.IntegerField(label=_("Plan year, if the file does not say"), required=False, min_value=2000,
                              max_value=2100)
    assigner = forms.ChoiceField(label=_("Plan assigned by"), choices=Assigner.choices, initial=Assigner.TINH)
    decision = forms.CharField(label=_("Decision reference"), required=False, max_length=255)
    revised = forms.BooleanField(label=_("A revised plan"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if Path(f.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Use a .xlsx, .xls, .ods or .csv file."))
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return f

    def clean_as_of(self):
        value = self.cleaned_data["as_of"].strip()
        if not value:
            return ""
        try:
            return clock.parse_date(value).isoformat()
        except ValueError:
            raise forms.ValidationError(_("Enter a date as dd/mm/yyyy.")) from None

    def job_options(self, today) -> dict:
        """A revised plan without a date takes effect on the day of the upload, not of the import that runs later."""
        d = self.cleaned_data
        as_of = d["as_of"] or (today.isoformat() if d["revised"] else None)
        return {"unit": d["unit"] or None, "as_of": as_of, "year": d["year"],
                "assigner": d["assigner"], "decision": d["decision"], "revised": d["revised"]}


class ScheduleForm(VersionedForm):
    """Twelve monthly amounts in triệu đồng, and the project's version the form was opened with."""

    def __init__(self, *args, initial_months: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            value = (initial_months or {}).get(month)
            self.fields[f"m{month}"] = forms.DecimalField(
                label=_("Month %(month)s") % {"month": month}, required=False, min_value=0, decimal_places=3,
                initial=(value / 1_000_000) if value else None, localize=True)

    def months(self) -> dict[int, int]:
        return {m: int(round((self.cleaned_data.get(f"m{m}") or 0) * 1_000_000)) for m in range(1, 13)}
