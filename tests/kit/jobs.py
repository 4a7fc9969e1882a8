"""Running the scheduler's jobs in a test, as ``flask scheduler run`` runs them."""

from __future__ import annotations

from core.scheduler import job_runner

__all__ = ["run_jobs"]


def run_jobs(app, *ids: str) -> list[str]:
    """Run every job of every present module (or only those of ``ids``) once, as the scheduler
    would: each in its own app context and transaction, skipped unless its module is installed.
    Call it outside an app context. Returns the ids of the jobs that ran."""
    ran = []
    for name, manifest in app.extensions["minsheng.registry"].manifests.items():
        for job in manifest.jobs:
            if (not ids or job.id in ids) and job_runner(app, name, job)():
                ran.append(job.id)
    return ran
