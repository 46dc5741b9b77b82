from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


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
