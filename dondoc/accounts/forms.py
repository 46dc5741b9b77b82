from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agency, Organisation


class AgencyContactForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("Aliases"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: short forms used in documents."),
    )

    class Meta:
        model = Agency
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aliases_text"].initial = "\n".join(self.instance.aliases or [])

    def changes(self) -> dict:
        aliases = [line.strip() for line in self.cleaned_data["aliases_text"].splitlines() if line.strip()]
        return {"email": self.cleaned_data["email"], "aliases": aliases}


class OrganisationForm(forms.ModelForm):
    recipients_text = forms.CharField(
        label=_("Default recipients"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, as printed under \"Nơi nhận\"."),
    )

    class Meta:
        model = Organisation
        fields = ["province_name", "place_name", "parent_body", "issuing_body", "issuer_agency",
                  "issuer_abbreviation", "signer_authority", "signer_title", "signer_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients_text"].initial = "\n".join(self.instance.default_recipients or [])

    def changes(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["default_recipients"] = [
            line.strip() for line in self.cleaned_data["recipients_text"].splitlines() if line.strip()
        ]
        return data
