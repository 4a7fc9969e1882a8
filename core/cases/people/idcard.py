"""Resident identity card numbers (居民身份证号码, GB 11643-1999)."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident ID number (Chinese), or ``None``."""
    v = (value or "").strip().upper()
    if not _PATTERN.match(v):
        return "身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X。"
    try:
        birth = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效。"
    if birth.year < 1900 or birth > date.today():
        return "身份证号码中的出生日期无效。"
    if check_digit(v[:17]) != v[17]:
        return "身份证号码校验位不正确，请核对后重新输入。"
    return None


def normalise(value: str) -> str:
    """Upper-case and strip an ID number (a lower-case x is common at the desk)."""
    return (value or "").strip().upper()


def birth_date(value: str) -> date | None:
    """The birth date encoded in a valid ID number."""
    if id_number_problem(value):
        return None
    v = normalise(value)
    return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def sex(value: str) -> str | None:
    """男/女 from the 17th digit of a valid ID number."""
    if id_number_problem(value):
        return None
    return "男" if int(normalise(value)[16]) % 2 else "女"
