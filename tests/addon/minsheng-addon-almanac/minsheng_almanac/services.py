from datetime import date

from core.api import db

from .models import AlmanacEntry


def seed() -> None:
    db.session.add(AlmanacEntry(day=date(2026, 2, 4), note="立春"))
