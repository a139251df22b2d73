"""Request-wide protections: the session's absolute lifetime, and no caching of what carries PHI."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control

SESSION_STARTED = "buffalo_ot.session_started_at"


class AbsoluteSessionLifetimeMiddleware:
    """Ends a signed-in session a fixed time after it began, however active it has been.

    The idle timeout (SESSION_COOKIE_AGE, renewed on every request) ends a session left alone;
    this ends one kept alive all day on a shared workstation. After it the request goes on as
    anonymous: pages send the person to the log-in page, the API answers 401/403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            if not isinstance(started, int | float) or started > now:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "Your session reached its time limit. Please log in again.")
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user and on every API response:
    such pages and payloads carry health information, which no browser or proxy cache may keep.
    Static files are served before this middleware (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response
