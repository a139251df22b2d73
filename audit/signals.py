"""Sign-in events. Django's auth signals are the only place these can be seen."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.choices import Action
from audit.services import record_event


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_event(actor=user, action=Action.LOGIN)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action=Action.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record_event(actor=None, action=Action.LOGIN_FAILED, actor_username=credentials.get("username", "")[:150])
