from sqlalchemy import func, select

from core.api import db

from .models import Note

RUNS: list[int] = []


def count() -> None:
    RUNS.append(db.session.execute(select(func.count()).select_from(Note)).scalar_one())
