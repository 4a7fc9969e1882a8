"""What the hall's services share: the refusal, ID-number normalising, time helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.api import ActionRefused

MAX_REPRESENTATIVES = 5  # 条例第20条第3款
BEIJING = timedelta(hours=8)


class ReceptionError(ActionRefused):
    """A refused step; ``errors`` maps form fields to Chinese messages."""


def _norm(value: str) -> str:
    return (value or "").strip().upper()


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
