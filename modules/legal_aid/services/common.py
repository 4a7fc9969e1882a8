"""What every part of the lawyers' desk uses: its refusal and the acting user's roster entry."""

from __future__ import annotations

from sqlalchemy import select

from core.api import ActionRefused, User, current_actor, db

from ..models import Lawyer

LAWYER_ROLE = "lawyer"


class LegalAidError(ActionRefused):
    """A refused request; ``errors`` maps form fields to Chinese messages."""


def refuse(message: str, field: str | None = None) -> LegalAidError:
    """A refusal whose message also stands next to ``field`` on the form."""
    return LegalAidError(message, {field: message} if field else {})


def lawyer_of(user: User | None) -> Lawyer | None:
    """The roster entry linked to ``user``'s account, if any."""
    if user is None:
        return None
    return db.session.execute(select(Lawyer).where(Lawyer.user_id == user.id)).scalar()


def current_lawyer() -> Lawyer | None:
    """The acting user's roster entry (a lawyer logged in), if any."""
    return lawyer_of(current_actor())


def get_lawyer(lawyer_id) -> Lawyer | None:
    """The roster entry with this id (as submitted), if any."""
    try:
        return db.session.get(Lawyer, int(lawyer_id)) if lawyer_id else None
    except (TypeError, ValueError):
        return None
