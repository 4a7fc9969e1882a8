"""Sealing the accuser's identity from the unit complained about (条例第30条第3款).

Accusation and exposure materials, and anything that identifies the accuser, must never reach
the person or unit accused. When ``matter.accuser_sealed`` is set and the viewer belongs to the
matter's ``complained_agency`` (or an agency under it), petitioners' identities show as
“（已保密）” — whatever permissions the viewer holds — and the files of the matter (which name
the petitioner: the letter itself, notices addressed to them) are withheld.

This is the one place the rule lives; pages, the API and exports call ``identity_sealed_for``,
queries that must leave such matters out use ``sealed_criterion``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_

from core.accounts.masking import present
from core.extensions import db

SEALED = "（已保密）"
PARTY_FIELDS = ("name", "id_number", "mobile", "address")


def sealing_agency_ids(user: Any) -> frozenset[int]:
    """Agencies whose matters' accusers are sealed from ``user``: theirs and those above them.

    A viewer sits "in or under" the complained agency exactly when that agency is on the path
    of one of the viewer's agencies (``/1/4/9/``).
    """
    if user is None:
        return frozenset()
    ids: set[int] = set()
    for agency in [getattr(user, "agency", None), *getattr(user, "extra_agencies", [])]:
        if agency is not None and agency.path:
            ids.update(int(part) for part in agency.path.strip("/").split("/") if part)
            if agency.id is not None:
                ids.add(agency.id)
    return frozenset(ids)


def identity_sealed_for(matter: Any, user: Any) -> bool:
    """Whether ``user`` must not learn who the petitioners of ``matter`` are.

    ``user`` ``None`` is the system itself (jobs writing to the database), never a reader.
    """
    if not getattr(matter, "accuser_sealed", False) or not matter.complained_agency_id:
        return False
    return matter.complained_agency_id in sealing_agency_ids(user)


def sealed_criterion(user: Any):
    """SQL condition on ``Matter``: the accuser is sealed from ``user`` (``None``: never)."""
    from core.cases.models import Matter

    ids = sealing_agency_ids(user)
    if not ids:
        return None
    return and_(Matter.accuser_sealed.is_(True), Matter.complained_agency_id.in_(sorted(ids)))


def party_values(person: Any, sealed: bool) -> dict[str, str]:
    """The identity fields of a petitioner for output: sealed, masked or clear (audited)."""
    if sealed:
        return dict.fromkeys(PARTY_FIELDS, SEALED)
    return {k: v or "" for k, v in present(person, PARTY_FIELDS).items()}


def attachment_visible(attachment: Any, sealed: bool, user: Any) -> bool:
    """Whether ``user`` may download ``attachment``.

    A sealed viewer gets only the files their own agency uploaded: every other upload or issued
    document may name the accuser.
    """
    if not sealed:
        return True
    if attachment.kind != "upload" or attachment.uploaded_by_id is None:
        return False
    from core.accounts.models import User
    from core.cases.web.access import own_agency_ids

    uploader = db.session.get(User, attachment.uploaded_by_id)
    return uploader is not None and uploader.agency_id in own_agency_ids(user)
