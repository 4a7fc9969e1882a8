"""Helpers for case-file tests: acting as a test user, registering and stepping matters."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import select

from core.accounts.actor import acting_as
from core.accounts.models import Agency, User
from core.cases.lifecycle.registration import PartyInput, Registration, register_matter
from core.cases.lifecycle.steps import perform
from core.cases.models import ContentCategory, Matter
from core.extensions import db

VALID_ID = "11010519491231002X"


def user(username: str) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def agency(code: str) -> Agency:
    return db.session.execute(select(Agency).where(Agency.code == code)).scalar_one()


def category(name: str) -> ContentCategory:
    """The content category called ``name`` (the highest level, if a name repeats)."""
    return (
        db.session.execute(
            select(ContentCategory)
            .where(ContentCategory.name == name)
            .order_by(ContentCategory.level)
        )
        .scalars()
        .first()
    )


@contextmanager
def as_(username: str):
    with acting_as(user(username)):
        yield


def register(received_on: date | None = None, **kw) -> Matter:
    """Register a simple visit matter as the clerk of XFJ."""
    reg = Registration(
        channel=kw.pop("channel", "visit"),
        summary=kw.pop("summary", "反映小区拆迁补偿款未按协议支付，要求补发。"),
        received_on=received_on or date.today() - timedelta(days=1),
        parties=kw.pop(
            "parties",
            [
                PartyInput(
                    name="王大明", id_number=VALID_ID, mobile="13800138000", address="城关镇东街1号"
                )
            ],
        ),
        demands=kw.pop("demands", ["补发拆迁补偿款"]),
        **kw,
    )
    with as_("clerk"):
        return register_matter(reg)


def step(matter_id: int, username: str, name: str, on: date | None = None, **data):
    """Run transition ``name`` as ``username`` on the current version of the matter."""
    with as_(username):
        matter = db.session.get(Matter, matter_id)
        db.session.refresh(matter)
        return perform(matter, name, data, version=matter.version, on=on)
