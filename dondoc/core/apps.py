from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dondoc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 - registers the deploy checks

        connection_created.connect(_no_jit, dispatch_uid="dondoc-no-jit")


def _no_jit(sender, connection, **kwargs):
    """PostgreSQL: no JIT for dondoc's sessions. It compiled a page's province-wide sums on every request (100–500 ms
    of compiling for a 60 ms query); a page's queries are short. A SET, not a startup option, so that a pooler
    (pgbouncer) that refuses startup options still connects."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
