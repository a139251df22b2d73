from audit.choices import Channel
from audit.context import AccessContext, reset_access, set_access


def channel_for_path(path: str) -> str:
    if path.startswith("/fhir/"):
        return Channel.FHIR
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.PAGE


class AccessContextMiddleware:
    """Remembers the channel and client address of the request for audit events.

    The address is REMOTE_ADDR: behind a reverse proxy, configure the proxy to
    set it (e.g. gunicorn's --forwarded-allow-ips) rather than trusting headers here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_access(
            AccessContext(
                channel=channel_for_path(request.path),
                ip_address=request.META.get("REMOTE_ADDR") or None,
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_access(token)
