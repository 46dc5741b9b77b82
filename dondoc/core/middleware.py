import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import empty

from . import logs


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


class NoStoreForUsersMiddleware:
    """Pages shown to a signed-in user are never kept by the browser or a proxy (a shared office PC, the back
    button after logout). Public pages, static files and /healthz keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (user is not None and user.is_authenticated and not (match and match.url_name == "healthz")
                and "no-store" not in response.get("Cache-Control", "")):  # a view's own no-store is kept as is
            patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
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


class RequestLogMiddleware:
    """One log line per request (``dondoc.request``, JSON outside DEBUG: see ``dondoc.core.logs``).

    First in MIDDLEWARE, so that its duration covers every other middleware and static files too. The request id
    is the ``X-Request-ID`` the proxy sent (if it looks like an id), else a new one; it is echoed in the response
    header and carried by every log line written while the request is served.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = logs.request_id.set(rid)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = rid
            duration = round((time.perf_counter() - start) * 1000, 1)
            _logger.info(
                "%s %s %s %.0f ms", request.method, request.path, response.status_code, duration,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": duration, "user_id": _user_id(request), "request_id": rid},
            )
            return response
        finally:
            logs.request_id.reset(token)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_logger = logging.getLogger("dondoc.request")


def _user_id(request) -> int | None:
    """The logged-in user's id if the request looked at it; never a database query only for the log line."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RejectNulMiddleware:
    """A NUL character in a query string or a posted form is refused with 400: no field of the product holds one,
    and PostgreSQL refuses it deep in a query (a 500) where SQLite would store it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import BadRequest
        from django.utils.translation import gettext as _

        posted = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        for params in (request.GET, request.POST) if posted else (request.GET,):
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists()):
                raise BadRequest(_("The request holds a NUL character, which no field accepts."))
        return self.get_response(request)
