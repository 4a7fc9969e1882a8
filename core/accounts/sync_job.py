"""The nightly directory sync, as a scheduled job."""

from __future__ import annotations

import logging

from core.accounts.provisioning import directory_client, sync_directory

log = logging.getLogger(__name__)


def run() -> None:
    """Sync users with the directory; does nothing when no directory is configured."""
    client = directory_client()
    if client is None:
        return
    report = sync_directory(client)
    log.info(
        "directory sync: %d created, %d updated, %d deactivated",
        len(report.created),
        len(report.updated),
        len(report.deactivated),
    )
