import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.domain.formats import format_date
from dondoc.domain.text import search_key, sort_key


class AgencyKind(models.TextChoices):
    PPC = "ppc", _("Provincial People's Committee")
    PPC_OFFICE = "ppc_office", _("PPC office")
    DEPARTMENT = "department", _("Department")
    CENTRAL = "central", _("Central agency in the province")
    DISTRICT = "district", _("District People's Committee")
    PARTY = "party", _("Party body")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator (DPI)")
    LEADER = "leader", _("Leader (PPC)")
    AGENCY_HEAD = "agency_head", _("Agency head")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


def name_sort_key(name: str) -> str:
    """``domain.text.sort_key`` as a string of digits that sorts the same byte by byte in every database and
    collation: each letter "2" + its rank in the Vietnamese alphabet, any other character "1" + its code point,
    then "0" and the tone of each character (so "Sở A" < "Sở Á" < "Sở B")."""
    primary, tones = sort_key(name)
    letters = "".join(f"2{v:02d}" if cls else f"1{ord(v):07d}" for cls, v in primary)
    return f"{letters}0{''.join(str(t) for t in tones)}"


def rebuild_name_keys(model=None) -> int:
    """Recompute ``search_name`` and ``sort_name`` of every agency (the migration, and loaders that bulk-create
    agencies); ``model`` is the historical model in a migration. Returns the number of rows changed."""
    model = model or Agency
    changed = []
    for agency in model.objects.only("pk", "name", "search_name", "sort_name"):
        keys = search_key(agency.name), name_sort_key(agency.name)
        if (agency.search_name, agency.sort_name) != keys:
            agency.search_name, agency.sort_name = keys
            changed.append(agency)
    model.objects.bulk_update(changed, ["search_name", "sort_name"], batch_size=500)
    return len(changed)


class Agency(models.Model):
    """An agency of the registry. Renames keep former names; a merge closes it and names its successor."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sort_name = models.TextField(editable=False, blank=True, default="")  # name_sort_key(name): ORDER BY in SQL
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors",
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # bumped by each saved edit (optimistic lock)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)  # derived fields, not business logic
        self.sort_name = name_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def sort_key(self):
        return sort_key(self.name)

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def name_on(self, day: dt.date) -> str:
        """The name the agency bore on ``day`` (documents of 2020 keep 2020 names)."""
        for former in self.former_names.all():
            if (former.valid_from is None or former.valid_from <= day) and former.valid_to >= day:
                return former.name
        return self.name


class AgencyName(models.Model):
    """A former name of an agency, with the period it was used and the decision that changed it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("name"), max_length=255)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"))
    reference = models.CharField(_("legal reference"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency", "-valid_to"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self) -> str:
        return self.name


class AgencyGroup(models.Model):
    """A collective addressee of directives ("các sở, ban, ngành" = @SBN) and the agencies it stands for."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    phrases = models.JSONField(_("wordings"), default=list, blank=True)
    members = models.ManyToManyField(Agency, verbose_name=_("members"), blank=True, related_name="groups")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency group")
        verbose_name_plural = _("agency groups")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["agency__code", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency.code} — {self.get_role_display()}"


class Organisation(models.Model):
    """Who issues the documents and how they are headed. Data, not code: a new row per reorganisation."""

    province_name = models.CharField(_("province"), max_length=100)
    place_name = models.CharField(_("place name in date lines"), max_length=100)
    parent_body = models.CharField(_("parent body"), max_length=255)
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    issuer_agency = models.ForeignKey(
        Agency, verbose_name=_("issuing agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_abbreviation = models.CharField(_("issuer abbreviation in numbers"), max_length=32)
    signer_authority = models.CharField(_("signing authority"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer name"), max_length=100, blank=True)
    default_recipients = models.JSONField(_("default recipients"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    version = models.PositiveIntegerField(default=1, editable=False)  # bumped by each saved edit (optimistic lock)

    class Meta:
        ordering = ["-valid_from"]
        get_latest_by = "valid_from"
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="organisation_one_per_date")]

    def __str__(self) -> str:
        return f"{self.issuing_body} — {self.province_name} ({format_date(self.valid_from)})"

    @classmethod
    def on(cls, day: dt.date) -> "Organisation | None":
        return cls.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


class AliasProposal(models.Model):
    """An agency head proposes a spelling of his agency's name; the province administrator decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE,
                               related_name="alias_proposals")
    alias = models.CharField(_("alias"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING,
                             db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("alias proposal")
        verbose_name_plural = _("alias proposals")
        constraints = [models.UniqueConstraint(fields=["agency", "alias"], condition=Q(state="pending"),
                                               name="aliasproposal_one_pending")]

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.alias}"
