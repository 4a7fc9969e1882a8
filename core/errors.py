"""The one shape of a refused desk action, shared by core's services and every module's."""

from __future__ import annotations


class ActionRefused(ValueError):
    """A refused action; raised before or during a unit of work, it rolls the action back.

    ``str(exc)`` is the message for the user (Chinese), ``errors`` maps form fields to theirs.
    With ``keep=True`` the outermost unit of work commits what the action wrote before the
    refusal and then raises it (e.g. a visit's matter stays registered for triage when core
    refuses the on-the-spot answer); raise it only before anything the refusal concerns was
    written.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None, *, keep: bool = False):
        super().__init__(message)
        self.errors = errors or {}
        self.keep = keep
