"""The public surface of core for modules. Modules import from here and nowhere else in core.

Every name below is documented where it is defined; this module only gathers them.

Declaring a module
    ``Manifest``, ``MenuItem``, ``Job``, ``PdfTemplate``, ``ManifestError``.
Tables
    ``db`` (Flask-SQLAlchemy), ``Base``, ``TimestampMixin``, ``VersionedMixin`` (optimistic
    locking), ``AgencyScoped`` (record rules), ``utcnow``; ``Agency``, ``User``, ``Role``.
Rights
    ``require`` (view decorator), ``has_permission``, ``current_actor``, ``acting_as``,
    ``visible_agency_ids``.
Reading records
    ``get_visible_or_404`` (record rules on a fetch by id), ``paginate``/``Page``.
Personal data
    ``present`` (dict for API/export, masked), ``personal_value``, ``mask``.
Writing
    ``record_audit`` (append-only audit log), ``check_version``/``StaleEdit``.
Output
    ``render_pdf`` (locked-down WeasyPrint), ``fail`` (4xx with a reason).
Hooks
    ``signals`` (``module_installed``, ``module_uninstalled``, ``user_provisioned``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from sqlalchemy import inspect, select

from core import signals
from core.accounts.actor import acting_as, current_actor, has_permission
from core.accounts.masking import mask, personal_value, present
from core.accounts.models import Agency, Role, User
from core.accounts.record_rules import AgencyScoped, visible_agency_ids
from core.accounts.services import StaleEdit, check_version
from core.audit import record as record_audit
from core.db import Base, TimestampMixin, VersionedMixin, utcnow
from core.extensions import db
from core.pdf import render_pdf
from core.registry.manifest import Job, Manifest, ManifestError, MenuItem, PdfTemplate
from core.web.http import Page, fail, paginate, require

T = TypeVar("T")


def get_visible_or_404(model: type[T], ident: Any) -> T:
    """Fetch ``model`` by primary key through a query, so record rules apply; 404 if hidden.

    (``Session.get`` may answer from the identity map without a query, skipping the rules.)
    """
    pk = inspect(model).primary_key[0]
    obj = db.session.execute(select(model).where(pk == ident)).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


__all__ = [
    "Agency",
    "AgencyScoped",
    "Base",
    "Job",
    "Manifest",
    "ManifestError",
    "MenuItem",
    "Page",
    "PdfTemplate",
    "Role",
    "StaleEdit",
    "TimestampMixin",
    "User",
    "VersionedMixin",
    "acting_as",
    "check_version",
    "current_actor",
    "db",
    "fail",
    "get_visible_or_404",
    "has_permission",
    "mask",
    "paginate",
    "personal_value",
    "present",
    "record_audit",
    "render_pdf",
    "require",
    "signals",
    "utcnow",
    "visible_agency_ids",
]
