"""What the evaluation services share: the refusal and the published lock."""

from __future__ import annotations

from core.api import ActionRefused, check_version

PUBLISHED = "该考核期已发布，结果已锁定，不能再计算或加减分。"


class EvaluationError(ActionRefused):
    """A refused action; ``errors`` maps form fields to Chinese messages."""


def ensure_open(period, version) -> None:
    """Refuse changes to a published period, or from a page showing an older version."""
    if period.published:
        raise EvaluationError(PUBLISHED)
    check_version(period, version)
