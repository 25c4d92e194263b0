"""Reading ids from query strings: junk is a bad request (400), never a 500."""

from django.core.exceptions import BadRequest

# the largest value of a BigAutoField; a longer number overflows the database driver
MAX_ID = 2**63 - 1


def id_param(params, name: str) -> int | None:
    """The id in ``params[name]`` (a QueryDict or dict); None when absent or empty.

    Anything but ASCII digits within the range of a database id raises BadRequest, so a
    view never hands ``"abc"``, ``"²"`` or a 30-digit number to the ORM.
    """
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        raise BadRequest(f"{name} must be a number")
    return int(raw)
