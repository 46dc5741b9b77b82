from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dondoc.accounts"
    label = "accounts"
    verbose_name = _("Agencies and accounts")

    def ready(self):
        from . import checks, security  # noqa: F401 - registers the registry check and the sign-in audit
