"""The module kit for tests: what a module's tests need from core, in one place.

A module's tests (``modules/<name>/tests/``) import ``core.api``, their own module and this
package, nothing else of core or of ``tests`` (``tests/test_import_rules.py`` checks). The
fixtures ``app``, ``client``, ``as_user``, ``live_app`` and ``page`` come from the plugin
(``-p tests.plugin``, ``-p tests.browser``); the test users (``tests.plugin.USERS``) and agencies
are in every test database. Helpers not taking ``app`` run inside an app context.

Modules and users (``tests.kit.installing``, ``tests.kit.users``)
    ``install``/``uninstall``/``purge`` (the installer), ``install_module(app, name, users)``,
    ``add_user``/``add_users`` (password ``PASSWORD``), ``user``, ``agency``, ``as_`` (act as
    a test user), ``lazy_module``.
Matters (``tests.kit.matters``)
    ``register``, ``step``, ``new_matter``, ``matter_in`` (a matter in a given state),
    ``matter_number``, ``fresh``, ``category``,
    ``to_handling``, ``to_review_window``, ``reply_chain``, ``OPINION``, ``REPLY_OPINION``,
    ``VALID_ID``, ``OTHER_ID``, ``id_number``.
Records (``tests.kit.records``)
    ``audit_events``, ``audit_actions``, ``timeline_titles``, ``attachment_names``,
    ``documents``, ``detached``, ``migration_diff``, ``stored_files``, ``database_state``
    (what a rolled-back action must leave as it was), ``count_commits``; core's models that
    ``core.api`` does not export: ``AuditEvent``, ``TimelineEntry``, ``Attachment``,
    ``Document``, ``AssignmentSlip``, ``Reminder``.
Evaluation figures (``tests.kit.evaluation``)
    ``EVALUATOR``, ``computed_period`` (a period of the last thirty days, computed),
    ``figure_row`` (a module's figure on a department page: hook ``evaluation.facts``).
Jobs (``tests.kit.jobs``)
    ``run_jobs(app, *ids)`` (the scheduler's jobs, once, as ``flask scheduler run`` runs them).
Pages (``tests.kit.pages``)
    ``csrf_token``, ``TOKEN_RE``, ``form_token``, ``shown_version``, ``post_form``,
    ``post_on_page``, ``login``, ``log_in``/``log_out`` (Chromium), ``PDF_BYTES``,
    ``PNG_BYTES``.
"""

from __future__ import annotations

from tests.kit.evaluation import EVALUATOR, computed_period, figure_row
from tests.kit.installing import install, install_module, lazy_module, purge, uninstall
from tests.kit.jobs import run_jobs
from tests.kit.matters import (
    OPINION,
    OTHER_ID,
    REPLY_OPINION,
    VALID_ID,
    category,
    fresh,
    id_number,
    matter_in,
    matter_number,
    new_matter,
    register,
    reply_chain,
    step,
    to_handling,
    to_review_window,
)
from tests.kit.pages import (
    CJK,
    PDF_BYTES,
    PNG_BYTES,
    TOKEN_RE,
    chinese_left,
    csrf_token,
    form_token,
    log_in,
    log_out,
    login,
    post_form,
    post_on_page,
    shown_version,
)
from tests.kit.records import (
    AssignmentSlip,
    Attachment,
    AuditEvent,
    Document,
    Reminder,
    TimelineEntry,
    attachment_names,
    audit_actions,
    audit_events,
    count_commits,
    database_state,
    detached,
    documents,
    migration_diff,
    stored_files,
    timeline_titles,
)
from tests.kit.users import PASSWORD, USERS, add_user, add_users, agency, as_, user

__all__ = [
    "CJK",
    "EVALUATOR",
    "OPINION",
    "OTHER_ID",
    "PASSWORD",
    "PDF_BYTES",
    "PNG_BYTES",
    "REPLY_OPINION",
    "TOKEN_RE",
    "USERS",
    "VALID_ID",
    "AssignmentSlip",
    "Attachment",
    "AuditEvent",
    "Document",
    "Reminder",
    "TimelineEntry",
    "add_user",
    "add_users",
    "agency",
    "as_",
    "attachment_names",
    "audit_actions",
    "audit_events",
    "category",
    "chinese_left",
    "computed_period",
    "count_commits",
    "csrf_token",
    "database_state",
    "detached",
    "documents",
    "figure_row",
    "form_token",
    "fresh",
    "id_number",
    "install",
    "install_module",
    "lazy_module",
    "log_in",
    "log_out",
    "login",
    "matter_in",
    "matter_number",
    "migration_diff",
    "new_matter",
    "post_form",
    "post_on_page",
    "purge",
    "register",
    "reply_chain",
    "run_jobs",
    "shown_version",
    "step",
    "stored_files",
    "timeline_titles",
    "to_handling",
    "to_review_window",
    "uninstall",
    "user",
]
