"""``dondoc check --database default``: the agency registry has no name or alias claimed by two agencies.

Aliases saved before they were checked (or edited behind the actions) may clash; imports then ignore the
clashing spelling (see registry.registry_from_db), and this check names each one so the province
administrator can remove it on the agency's edit page."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def registry_has_no_clash(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    from .registry import registry_conflicts

    try:
        conflicts = registry_conflicts()
    except DatabaseError:  # not migrated yet
        return []
    return [Warning(f"Agency registry: the name {c} is claimed by two agencies; imports ignore it.",
                    hint="Remove the alias on the agency's edit page (province administrator).",
                    id="accounts.W001") for c in conflicts]
