"""The one exception type of the domain."""


class DomainError(Exception):
    """A rule of the domain was broken; ``str(error)`` is shown to the user."""
