"""Who may open the case file at all, and which agencies count as "mine" for work queues.

Record rules (``core.accounts.record_rules``) decide *which* matters a user sees; this module
adds the coarser question whether the user works on cases at all (a user with no case role
sees no matter, even of their own agency) and the agencies the user answers for.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select

from core.accounts.models import Agency
from core.accounts.record_rules import ALL, BUREAU
from core.extensions import db

#: Permissions that let a user work on the case file (anything under ``core.cases.``).
CASE_PREFIX = "core.cases."
#: Permissions that let a user add files to a matter they can see.
UPLOAD_PERMISSIONS = frozenset(
    {
        "core.cases.register",
        "core.cases.triage",
        "core.cases.handle",
        "core.cases.approve",
        "core.cases.supervise",
        "core.cases.review",
    }
)


def can_view_cases(permissions: Iterable[str]) -> bool:
    """Whether a user holding ``permissions`` may open matters (within the record rules)."""
    perms = frozenset(permissions)
    return bool(perms & {ALL, BUREAU}) or any(p.startswith(CASE_PREFIX) for p in perms)


def can_upload(permissions: Iterable[str]) -> bool:
    """Whether a user holding ``permissions`` may attach files to a matter they can see."""
    return bool(frozenset(permissions) & UPLOAD_PERMISSIONS)


def own_agency_ids(user) -> list[int]:
    """The user's own agency, the agencies granted to them, and the agencies under these.

    Unlike the record rules this does not widen to the whole bureau tree: it is what the user
    answers for (deadlines to meet, opinions to approve), not what they may look at.
    """
    roots = [a for a in [getattr(user, "agency", None), *getattr(user, "extra_agencies", [])] if a]
    if not roots:
        return []
    stmt = select(Agency.id).where(or_(*[Agency.path.startswith(a.path) for a in roots]))
    return sorted(db.session.execute(stmt.execution_options(skip_record_rules=True)).scalars())
