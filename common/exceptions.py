"""Exceptions that services raise and every door (page, API, admin) understands."""


class Conflict(Exception):
    """The record's current state forbids the change (HTTP 409 in the API)."""

    code = "conflict"

    def extra(self) -> dict:
        """More detail for the API body."""
        return {}


class StaleVersion(Conflict):
    """The caller worked from an older copy of the record: someone saved it meanwhile.

    Nothing was written. The API answers 412 Precondition Failed with the current version;
    pages keep what was typed and say what happened."""

    code = "stale"

    def __init__(self, *, current_version: int, message: str | None = None):
        super().__init__(
            message
            or "This record was changed by someone else after you loaded it, so nothing was saved. "
            "Load the current version and apply your changes to it."
        )
        self.current_version = current_version

    def extra(self) -> dict:
        return {"current_version": self.current_version}


def check_version(*, current: int, expected: int | None) -> None:
    """Raise StaleVersion unless the caller's copy (`expected`; None: not compared) is the current one."""
    if expected is not None and expected != current:
        raise StaleVersion(current_version=current)
