from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_EPHEMERAL", False):
        return [Error("DONDOC_SECRET_KEY is not set.", hint="Set it to 50+ random characters (README, Production).",
                      id="dondoc.E001")]
    return []
