"""Account pages: a signed-in user changes their own password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.services import change_own_password


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Old password, then the new one twice; Django's validators apply (length, common, similar)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = change_own_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays signed in; others end
        messages.success(request, "Password changed. API tokens issued before now no longer work.")
        return redirect("password_change_done")
    return render(request, "registration/password_change_form.html", {"form": form})


def password_change_done(request):
    return render(request, "registration/password_change_done.html")
