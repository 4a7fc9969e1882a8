"""Toneless pinyin keys of names, to find the same person typed with homophones."""

from __future__ import annotations

from pypinyin import lazy_pinyin


def pinyin_key(name: str | None) -> str:
    """Toneless pinyin of a name, space-separated (``"zhang wei"``)."""
    if not name:
        return ""
    return " ".join(p.lower() for p in lazy_pinyin(name.strip()) if p.strip())
