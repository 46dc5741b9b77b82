from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "dondoc.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from dondoc.jobs import runner

        from .jobs import KINDS

        runner.register(KINDS)
