"""The rules of the letters desk and of online petitions; views only parse and call these.

Each writing service is one transaction (``core.api.transactional``): the matter, the letter
row, its scans on disk, timeline notes and audit events are committed together by the
outermost action, or — on a refusal or any error — none of them is kept (files written are
deleted). The public form's attempt counter and question (``allow``, ``check_challenge``) are
actions of their own, committed before the submission is looked at.

``desk`` holds the letters desk, ``online`` the public pages, ``common`` what both use; their
public names are gathered here (the manifest's jobs and seed point at this package).
"""

from __future__ import annotations

from .common import MAGIC, LetterError, check_files, file_letter, seed, setting
from .desk import (
    REMIND_DAYS,
    LetterInput,
    counts,
    deadline_state,
    disagreements,
    intake,
    letter_for,
    record_joint_review,
    record_review,
    register_outgoing,
    repeat_candidates,
    set_first_handler,
)
from .online import (
    DEFAULT_RATING_WINDOW_DAYS,
    RATING_TARGETS,
    RATING_VALUES,
    OnlinePetition,
    address_key,
    allow,
    check_challenge,
    delivered_reply,
    find_by_code,
    new_challenge,
    prune,
    public_progress,
    public_ratings,
    rate_online,
    rating_open,
    rating_window_end,
    receiving_agency,
    submit_online,
)

__all__ = [
    "DEFAULT_RATING_WINDOW_DAYS",
    "MAGIC",
    "RATING_TARGETS",
    "RATING_VALUES",
    "REMIND_DAYS",
    "LetterError",
    "LetterInput",
    "OnlinePetition",
    "address_key",
    "allow",
    "check_challenge",
    "check_files",
    "counts",
    "deadline_state",
    "delivered_reply",
    "disagreements",
    "file_letter",
    "find_by_code",
    "intake",
    "letter_for",
    "new_challenge",
    "prune",
    "public_progress",
    "public_ratings",
    "rate_online",
    "rating_open",
    "rating_window_end",
    "receiving_agency",
    "record_joint_review",
    "record_review",
    "register_outgoing",
    "repeat_candidates",
    "seed",
    "set_first_handler",
    "setting",
    "submit_online",
]
