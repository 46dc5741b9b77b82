from django import forms
from django.utils.translation import gettext_lazy as _

from dondoc.core.concurrency import VersionedForm

from .models import Agency, Organisation


class AgencyContactForm(VersionedForm, forms.ModelForm):
    aliases_text = forms.CharField(
        label=_("Aliases"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: short forms used in documents."),
    )

    class Meta:
        model = Agency
        fields = ["email"]

    def __init__(self, *args, edit_aliases: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if edit_aliases:  # the province administrator only: aliases steer every import
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases or [])
        else:
            del self.fields["aliases_text"]

    def changes(self) -> dict:
        data = {"email": self.cleaned_data["email"]}
        if "aliases_text" in self.fields:
            data["aliases"] = [line.strip() for line in self.cleaned_data["aliases_text"].splitlines() if line.strip()]
        return data


class AliasProposalForm(forms.Form):
    alias = forms.CharField(label=_("Alias"), max_length=255,
                            help_text=_("A short form of your agency's name used in documents."))


class OrganisationForm(VersionedForm, forms.ModelForm):
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
