"""Domain errors: one small hierarchy, each with a message a person can read."""


class DomainError(Exception):
    """Something a person asked for cannot be done; the message says why and what to do."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The person may not do this."""


class RuleBroken(DomainError):
    """The request breaks a rule of the domain (nesting, size, join policy)."""


class Conflict(DomainError):
    """Someone else changed the same thing first."""
