import logging

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise (the language cookie set by /i18n/setlang/).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: officers' machines often run an
    English browser, and the product's working language is Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class BusyMiddleware:
    """A write that still finds the SQLite database locked after the busy timeout answers 503 "busy, try again" (with
    Retry-After) instead of a 500. Imports write in short transactions (ADR 0012), so this is rare; it is not an
    error of the user's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError
        from django.shortcuts import render

        if not isinstance(exception, OperationalError) or "locked" not in str(exception):
            return None
        logging.getLogger("dondoc.busy").warning("database locked: %s %s", request.method, request.path)
        response = render(request, "core/busy.html", status=503)
        response["Retry-After"] = "5"
        return response
