import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after the application set settings up

if settings.SECRET_KEY_EPHEMERAL:
    raise ImproperlyConfigured("DONDOC_SECRET_KEY is not set: the web server does not start without it.")
