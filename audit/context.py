"""Where the current request came from, for audit events.

Services never see requests; the middleware puts the client address and channel
here for the duration of one request, and `record_event` reads them. Outside a
request (management commands, shell, tests calling services) the channel is
"system".
"""

from contextvars import ContextVar
from dataclasses import dataclass

from audit.choices import Channel


@dataclass(frozen=True)
class AccessContext:
    channel: str = Channel.SYSTEM
    ip_address: str | None = None


SYSTEM = AccessContext()
_current: ContextVar[AccessContext] = ContextVar("access_context", default=SYSTEM)


def current_access() -> AccessContext:
    return _current.get()


def set_access(context: AccessContext):
    return _current.set(context)


def reset_access(token) -> None:
    _current.reset(token)
