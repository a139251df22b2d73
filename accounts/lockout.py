from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """What a locked-out username sees: JSON for the API, a page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Too many failed attempts for this username; try again later.", "code": "locked_out"},
            status=429,
        )
    return render(request, "registration/locked_out.html", status=429)
