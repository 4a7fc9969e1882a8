"""The hall's lawyers for legal_aid's tests: the module installed, two lawyers on the roster.

The lawyers' accounts sit in COMM (a community with no matters of its own), so whatever they
see of the bureau XFJ comes from being on duty there (``Manifest.record_grants``).
"""

from __future__ import annotations

import subprocess
from datetime import date

from sqlalchemy import select

from core.api import db, today
from tests.kit import agency, install_module, lazy_module, user

models = lazy_module("modules.legal_aid.models")
services = lazy_module("modules.legal_aid.services")

#: username → (display name, role, agency code)
STAFF = {
    "lawyer": ("值班律师老周", "lawyer", "COMM"),
    "lawyer2": ("值班律师小钱", "lawyer", "COMM"),
    "desk": ("登记员小李", "registration_clerk", "XFJ"),  # legal_aid.view, legal_aid.assign
}
FIRMS = {"lawyer": "辽宁正大律师事务所", "lawyer2": "沈河区法律援助中心"}


def setup_hall(app, *, on_duty: bool = True) -> None:
    """Install legal_aid with the staff, put both lawyers on the roster; ``on_duty``: the
    first one sits in XFJ's hall this morning."""
    install_module(app, "legal_aid", users=STAFF)
    with app.app_context():
        for username, firm in FIRMS.items():
            db.session.add(
                models.Lawyer(
                    name=STAFF[username][0],
                    firm=firm,
                    licence_no=f"1210120{len(username):010d}",
                    specialties="劳动争议、房屋征收",
                    user_id=user(username).id,
                )
            )
        db.session.commit()
        if on_duty:
            put_on_duty("lawyer", "XFJ")


def lawyer(username: str):
    """The roster entry of a test lawyer (inside an app context)."""
    return db.session.execute(
        select(models.Lawyer).where(models.Lawyer.user_id == user(username).id)
    ).scalar_one()


def put_on_duty(username: str, agency_code: str, day: date | None = None, half_day="am"):
    """A slot written directly (today may be a weekend: the calendar rule is tested apart)."""
    slot = models.DutySlot(
        day=day or today(),
        half_day=half_day,
        lawyer_id=lawyer(username).id,
        place_kind="hall",
        agency_id=agency(agency_code).id,
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back with poppler's pdftotext, without white space (titles are
    letter-spaced)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return "".join(out.stdout.decode("utf-8").split())
