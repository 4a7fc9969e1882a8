"""Every core table, imported in one place so the metadata is complete for Alembic."""

from core.accounts.models import Agency, ApiToken, LoginAttempt, Permission, Role, User
from core.audit import AuditEvent
from core.cases.models import *  # noqa: F403  (every case-file table)
from core.job_runs import JobRun
from core.registry.models import ModuleState

__all__ = [
    "Agency",
    "ApiToken",
    "AuditEvent",
    "JobRun",
    "LoginAttempt",
    "ModuleState",
    "Permission",
    "Role",
    "User",
]
