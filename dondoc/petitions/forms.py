from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.core.concurrency import VersionedForm
from dondoc.core.fields import DateField

from .models import Channel, PetitionCategory

DATE = {"placeholder": "dd/mm/yyyy", "size": 10}


def _agencies():
    return Agency.objects.active_on(clock.today()).order_by("code")


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class AgencyMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 90 else obj.text[:90] + "…"
        return f"{obj.version.program.number} · {obj.key} — {text}"


class IntakeForm(forms.Form):
    received_on = DateField(label=_("Received on"), widget=forms.DateInput(attrs=DATE))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=PetitionCategory.objects.all())
    source_label = forms.CharField(label=pgettext_lazy("petition", "Source"), required=False,
                                   help_text=_("E.g. the meeting, the letter's number or the agency's report."))
    business_name = forms.CharField(label=_("Business"), max_length=255)
    tax_code = forms.CharField(label=_("Tax code"), required=False, max_length=20)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=255)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_address = forms.CharField(label=_("Address"), required=False, max_length=255)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    text = forms.CharField(label=_("Text of the petition"), widget=forms.Textarea(attrs={"rows": 6}))
    task = TaskChoice(label=_("Program task it concerns"), required=False, queryset=None)
    project_code = forms.CharField(label=_("Investment project it concerns"), required=False, max_length=64,
                                   help_text=_("Code or name of the project (e.g. one blocked by site clearance)."))
    notes = forms.CharField(label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Seen by the agencies handling the petition, never on the public page."))
    attachment = forms.FileField(label=_("Attachment"), required=False,
                                 help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG; at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from dondoc.programs.models import Task
        from dondoc.programs.queries import current_versions

        self.fields["task"].queryset = Task.objects.filter(version__in=current_versions()).select_related(
            "version__program").defer("version__parsed").order_by("version__program", "position")


class RouteForm(forms.Form):
    lead = AgencyChoice(label=_("Lead agency"), queryset=Agency.objects.none())
    coordinators = AgencyMultipleChoice(label=_("Coordinating agencies"), required=False,
                                        queryset=Agency.objects.none(),
                                        widget=forms.SelectMultiple(attrs={"size": 6}))
    days = forms.IntegerField(label=_("Answer within (working days)"), required=False, min_value=1, max_value=250,
                              help_text=_("Empty: the category's default."))
    on = DateField(label=_("Routed on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label=_("Reason (required when re-routing)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _agencies()
        self.fields["coordinators"].queryset = _agencies()


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the petitioner"), widget=forms.Textarea(attrs={"rows": 5}))
    on = DateField(label=_("Answered on"), widget=forms.DateInput(attrs=DATE))


class DateForm(forms.Form):
    on = DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("Note"), required=False)


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Why the PPC must decide"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    agree = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                   choices=[("yes", _("Escalate to the PPC")), ("no", _("Leave with the agencies"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into petition number"), max_length=32)
    reason = forms.CharField(label=_("Reason"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG; at most 10 MB."))


class CategoryForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = PetitionCategory
        fields = ["answer_days", "due_soon_days", "basis"]
