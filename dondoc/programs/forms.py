from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import DateField

from .services import ALLOWED_SUFFIXES


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Program document"),
                           help_text=_("Text, Word (.docx, .doc), web page (.html) or text PDF; at most 10 MB."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not any(f.name.lower().endswith(s) for s in ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("This kind of file cannot be read. Use .txt, .docx, .doc, .html or .pdf."))
        return f


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    completes = forms.BooleanField(label=_("The assignment is complete"), required=False)


class ExtensionRequestForm(forms.Form):
    proposed = DateField(label=_("Proposed deadline"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    agree = forms.TypedChoiceField(label=_("Opinion"), coerce=lambda v: v == "yes",
                                   choices=[("yes", _("Agree")), ("no", _("Do not agree"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
