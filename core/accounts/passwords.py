"""Local passwords: argon2id hashes and the password policy (密码策略)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 10


def policy_problems(password: str, username: str = "") -> list[str]:
    """Reasons (in Chinese) why ``password`` is not acceptable; empty when it is."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少 {MIN_LENGTH} 位。")
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w]"))
    if classes < 3:
        problems.append("密码须包含大写字母、小写字母、数字、符号中的至少三类。")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名。")
    return problems


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against its hash; False for a missing hash or an empty password."""
    if not stored_hash or not password:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)
