"""Amounts: typed as yuan (元) with at most two decimals, kept as whole fen (分), never float."""

from __future__ import annotations

import re
from decimal import Decimal

from core.api import N_

# Digits, optional thousands commas, optional decimals (checked apart to say what is wrong).
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
MAX_FEN = 10**14  # a bigint holds more; nobody budgets a trillion yuan


class AmountError(ValueError):
    """An amount a person typed that is not a valid sum of money; the message is Chinese."""


def parse_yuan(text: str | None) -> int:
    """``"1,234.5"`` → ``123450`` fen; raises ``AmountError`` saying what is wrong."""
    raw = (text or "").strip().replace("，", ",").removeprefix("¥").removeprefix("￥").strip()
    if not raw:
        raise AmountError(N_("请填写金额。"))
    if not _AMOUNT.match(raw):
        raise AmountError(N_("金额格式不正确，请填写数字，如 3000 或 3000.50。"))
    if raw.startswith("-"):
        raise AmountError(N_("金额必须大于零。"))
    value = Decimal(raw.replace(",", ""))
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError(N_("金额最多保留两位小数（精确到分）。"))
    fen = int(value * 100)
    if fen <= 0:
        raise AmountError(N_("金额必须大于零。"))
    if fen >= MAX_FEN:
        raise AmountError(N_("金额过大。"))
    return fen


def yuan(fen: int | None) -> str:
    """``123450`` → ``"¥1,234.50"`` (empty for ``None``)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def plain(fen: int | None) -> str:
    """``123450`` → ``"1234.50"``: the value to put back into a form field."""
    if fen is None:
        return ""
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"
