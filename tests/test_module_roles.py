"""Reception's and letters' roles are the modules' own (``Manifest.roles``), not core's.

Core alone has neither role; installing the module creates it with its default grants (core's
permissions among them, and legal_aid's when that is installed); purging the module drops it.
A site whose old core seeded the role keeps the row, and the module's install completes it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts.models import Permission, Role, User
from core.extensions import db
from core.registry.installer import install, purge, uninstall
from tests.kit.users import add_user

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

RECEPTION_OFFICER = [
    "core.cases.register",
    "core.cases.triage",
    "core.personal_data.view",
    "legal_aid.assign",
    "legal_aid.view",
    "reception.appointments",
    "reception.board",
    "reception.desk",
    "reception.sessions.outcome",
    "reception.sessions.view",
    "reception.visit",
]
LETTERS_CLERK = [
    "core.cases.register",
    "core.cases.triage",
    "core.personal_data.view",
    "letters.intake",
    "letters.manage",
    "letters.stats",
    "letters.view",
]


def _role(code: str) -> Role | None:
    return db.session.execute(select(Role).where(Role.code == code)).scalar_one_or_none()


def _grants(code: str) -> list[str]:
    return sorted(p.name for p in _role(code).permissions)


def test_core_alone_has_neither_role_the_modules_bring_and_purge_take_them(app, tmp_path):
    with app.app_context():
        assert _role("reception_officer") is None
        assert _role("letters_clerk") is None
        # legal_aid grants reception's role something: without reception it is simply skipped.
        install(["legal_aid"])
        assert _role("reception_officer") is None
        install(["reception", "letters"])
        assert _grants("reception_officer") == RECEPTION_OFFICER
        assert _grants("letters_clerk") == LETTERS_CLERK
        officer = add_user("officer", "接访员小李", "reception_officer")
        epoch = officer.session_epoch
        uninstall("reception")
        assert _role("reception_officer") is not None  # uninstalled, the data and role stay
        purge("reception", backup_dir=tmp_path / "backups")
    with app.app_context():
        assert _role("reception_officer") is None
        officer = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
        assert officer.roles == [] and officer.session_epoch == epoch + 1
        assert _role("lawyer") is not None  # legal_aid, still installed, brings it too
        assert _grants("letters_clerk") == LETTERS_CLERK


def test_a_role_row_left_by_the_old_core_seed_is_kept_and_completed(app):
    with app.app_context():
        # What core seeded and granted before the role moved into the reception module.
        core_grants = [p for p in RECEPTION_OFFICER if p.startswith("core.")]
        old = Role(code="reception_officer", name="接访员", description="旧种子")
        old.permissions = list(
            db.session.execute(select(Permission).where(Permission.name.in_(core_grants))).scalars()
        )
        db.session.add(old)
        db.session.commit()
        role_id = old.id
        holder = add_user("old_officer", "接访员老王", "reception_officer")
        assert install(["reception"]) == ["reception"]
        assert install(["reception"]) == []  # installed already: nothing happens twice
        assert _role("reception_officer").id == role_id
        assert _grants("reception_officer") == [
            p for p in RECEPTION_OFFICER if not p.startswith("legal_aid.")
        ]
        assert [r.code for r in db.session.get(User, holder.id).roles] == ["reception_officer"]
