"""The public surface of core for modules. Modules import from here and nowhere else in core.

Every name below is documented where it is defined; this module only gathers them.

Declaring a module
    ``Manifest``, ``MenuItem``, ``Job``, ``PdfTemplate``, ``ManifestError``; ``Panel`` (a
    fragment on another page: templates call ``{{ panels("matter.page", matter=m) }}``);
    ``Manifest.demo`` (the module's demo data, loaded by ``flask demo load``);
    ``Manifest.record_grants`` (agencies whose records a module lets a user see as well, e.g.
    a duty lawyer the matters of the hall where they are on duty).
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
Writing (one desk action, one transaction)
    ``transactional`` (decorator: a service joins the caller's unit of work; the outermost
    commits once, rolls everything back on any error, turns a lost optimistic lock into
    ``StaleEdit`` and runs the action again after a conflict that says nothing about what the
    user saw), ``after_commit``; ``record_audit`` (append-only audit log),
    ``check_version``/``StaleEdit``; ``ActionRefused`` (base of a module's refusals: a Chinese
    message and ``errors`` by form field).
Output
    ``render_pdf`` (locked-down WeasyPrint), ``fail`` (4xx with a reason).
Forms and labels (the module kit)
    ``apply_errors`` (a refusal's messages onto the form's fields), ``opts`` (select choices
    from pairs, shown in the reader's language), ``data_opts`` (choices whose labels are data:
    agencies, people, rooms — shown as entered), ``N_`` (marks a label for the translation
    extractor), ``_l`` (form labels and messages translated when shown, not when loaded).
Hooks
    ``signals`` (described in ``core/signals.py``): after the commit ``module_installed``,
    ``module_uninstalled``, ``user_provisioned``; inside the desk action's unit of work (a
    receiver's writes commit or roll back with it) ``matter_registered``,
    ``matter_state_changed``, ``clock_changed`` (started, paused, resumed, extended) and
    ``document_issued``; ``provided(name)`` (the functions installed modules declare for a hook
    in ``Manifest.provides``, e.g. ``evaluation.facts``: one offers, another reads, neither
    imports the other).
The case file (信访事项)
    ``Matter``, ``MatterParty``, ``Person``, ``ContentCategory``, ``Opinion``, ``Delivery``;
    registering with
    ``Registration``/``PartyInput``/``register_matter``; steps with ``perform`` (raises
    ``MatterError`` or ``StaleEdit``).
Adding to the lifecycle (declared in ``Manifest.lifecycle``, active while installed)
    ``Lifecycle`` of ``Transition`` (effects and guards get a ``TransitionContext``),
    ``StepGuard`` (a guard on another module's or core's step), ``ClockPause`` (a clock that
    does not count between two steps), ``ClockKind``, ``DocumentKind``, states and timeline
    entry kinds; ``acts_for`` (guard: only the organ in charge of a step); module roles with
    ``RoleSpec`` in ``Manifest.roles``.
The case file, continued
    ``STATES``, ``FINAL_STATES``, ``CHANNELS``; ``add_timeline_entry``; files with
    ``store_attachment``/``AttachmentRefused``; ``issue_document`` (a module's official
    document, a ``DocumentKind`` its ``Lifecycle`` declares: numbered, rendered, frozen on the
    matter and on its timeline, in the caller's transaction);
    ``find_candidates`` (repeat detection), ``matters_of_person`` (a petitioner's history),
    ``search_matters``/``SearchFilters``;
    ``identity_sealed_for`` (the accuser-sealing rule); ``today`` (Beijing date);
    ``id_number_problem`` (GB 11643 resident ID check, message in Chinese);
    ``work_calendar`` (the working-day calendar: ``is_workday``, ``next_workday``);
    ``stop_clock`` (effect: stop a matter's running clock of a kind, or a given one);
    ``start_clock`` (start a clock of a kind the module declares, ``ClockKind(fixed=True)`` with
    its ``due``: reminded of and listed like every clock); ``set_higher_deadline``
    (a higher level's deadline as the matter's governing clock, pre-filled when assigning);
    satisfaction with ``rating_statuses`` and ``rate_by_petitioner``/``RatingError``.
Counting over many matters at once (SQL aggregates, e.g. evaluation's indicators)
    the tables ``Clock``, ``Rating``, ``AssignmentSlip``; ``rating_window_days`` and
    ``RATING_EXCLUDED_STATES`` (the rating rules ``rating_statuses`` applies one matter at a time).
"""

from __future__ import annotations

from core import signals
from core.accounts.actor import acting_as, current_actor, has_permission
from core.accounts.masking import mask, personal_value, present
from core.accounts.models import Agency, Role, User
from core.accounts.record_rules import AgencyScoped, visible_agency_ids
from core.accounts.services import StaleEdit, check_version
from core.audit import record as record_audit
from core.cases.clocks.clocks import ClockKind, set_higher_deadline, today
from core.cases.clocks.clocks import load_calendar as work_calendar
from core.cases.clocks.clocks import start as start_clock
from core.cases.files.attachments import AttachmentRefused
from core.cases.files.attachments import store_bytes as store_attachment
from core.cases.files.documents import issue as issue_document
from core.cases.lifecycle.registration import MatterError, PartyInput, Registration, register_matter
from core.cases.lifecycle.shared import acts_for, stop_clock
from core.cases.lifecycle.steps import perform
from core.cases.lifecycle.table import (
    FINAL_STATES,
    STATES,
    ClockPause,
    DocumentKind,
    Lifecycle,
    StepGuard,
    Transition,
    TransitionContext,
)
from core.cases.models import (
    AssignmentSlip,
    Clock,
    ContentCategory,
    Delivery,
    Matter,
    MatterParty,
    Opinion,
    Person,
    Rating,
)
from core.cases.models.matter import CHANNELS
from core.cases.people.history import find_visible_matter, matters_of_person
from core.cases.people.idcard import id_number_problem
from core.cases.people.sealing import identity_sealed_for
from core.cases.records.rating import EXCLUDED_STATES as RATING_EXCLUDED_STATES
from core.cases.records.rating import RatingError, rate_by_petitioner
from core.cases.records.rating import statuses as rating_statuses
from core.cases.records.rating import window_days as rating_window_days
from core.cases.records.timeline import add_entry as add_timeline_entry
from core.cases.search.query import Filters as SearchFilters
from core.cases.search.query import search as search_matters
from core.cases.search.repeats import find_candidates
from core.cases.web.forms import apply_errors, data_opts, opts
from core.db import Base, TimestampMixin, VersionedMixin, utcnow
from core.errors import ActionRefused
from core.extensions import db
from core.pdf import render_pdf
from core.registry.manifest import (
    Job,
    Manifest,
    ManifestError,
    MenuItem,
    Panel,
    PdfTemplate,
    RoleSpec,
)
from core.registry.registry import provided
from core.unit_of_work import after_commit, transactional
from core.web.http import Page, fail, get_visible_or_404, paginate, require
from core.web.i18n import N_, _l

__all__ = [
    "CHANNELS",
    "FINAL_STATES",
    "N_",
    "RATING_EXCLUDED_STATES",
    "STATES",
    "ActionRefused",
    "Agency",
    "AgencyScoped",
    "AssignmentSlip",
    "AttachmentRefused",
    "Base",
    "Clock",
    "ClockKind",
    "ClockPause",
    "ContentCategory",
    "Delivery",
    "DocumentKind",
    "Job",
    "Lifecycle",
    "Manifest",
    "ManifestError",
    "Matter",
    "MatterError",
    "MatterParty",
    "MenuItem",
    "Opinion",
    "Page",
    "Panel",
    "PartyInput",
    "PdfTemplate",
    "Person",
    "Rating",
    "RatingError",
    "Registration",
    "Role",
    "RoleSpec",
    "SearchFilters",
    "StaleEdit",
    "StepGuard",
    "TimestampMixin",
    "Transition",
    "TransitionContext",
    "User",
    "VersionedMixin",
    "_l",
    "acting_as",
    "acts_for",
    "add_timeline_entry",
    "after_commit",
    "apply_errors",
    "check_version",
    "current_actor",
    "data_opts",
    "db",
    "fail",
    "find_candidates",
    "find_visible_matter",
    "get_visible_or_404",
    "has_permission",
    "id_number_problem",
    "identity_sealed_for",
    "issue_document",
    "mask",
    "matters_of_person",
    "opts",
    "paginate",
    "perform",
    "personal_value",
    "present",
    "provided",
    "rate_by_petitioner",
    "rating_statuses",
    "rating_window_days",
    "record_audit",
    "register_matter",
    "render_pdf",
    "require",
    "search_matters",
    "set_higher_deadline",
    "signals",
    "start_clock",
    "stop_clock",
    "store_attachment",
    "today",
    "transactional",
    "utcnow",
    "visible_agency_ids",
    "work_calendar",
]
