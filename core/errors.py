"""The one shape of a refused desk action, shared by core's services and every module's."""

from __future__ import annotations


class ActionRefused(ValueError):
    """A refused action; raised before or during a unit of work, it rolls the action back.

    ``str(exc)`` is the message for the user (Chinese), ``errors`` maps form fields to theirs.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}
