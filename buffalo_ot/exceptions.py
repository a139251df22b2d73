"""Exceptions that services raise and every door (page, API, admin) understands."""


class Conflict(Exception):
    """The record's current state forbids the change (HTTP 409 in the API)."""

    code = "conflict"

    def extra(self) -> dict:
        """More detail for the API body."""
        return {}
