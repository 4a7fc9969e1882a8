"""Builds the fonts of official documents: Noto CJK SC cut down to the GB 2312 repertoire.

WeasyPrint embeds a subset of every face a document uses. From the Noto CJK collections
(20–27 MB, 65,000 glyphs for five languages) that took most of a document's time — reading the
whole collection into memory and subsetting it, for each face a notice uses — and made each PDF
~300 KB. Cut once to the 7,900 characters of GB 2312 (all 6,763 hanzi, punctuation, Latin) the
same work is about three times faster and a notice ~110 KB. The faces are renamed (``Minsheng
Serif CJK SC``) so the original ones stay installed beside them: the documents' CSS names the
cut faces first and the full ones after, so a character outside GB 2312 (a rare name) still
comes out, drawn from the full font.

Usage: ``.venv/bin/python scripts/document_fonts.py [DIR]`` (scripts/run and scripts/test call
it). DIR defaults to /usr/local/share/fonts/minsheng as root, else the user's font folder; both
are folders fontconfig reads. Idempotent: nothing is rebuilt while the sources and this file are
unchanged. Subsetting is HarfBuzz's own (libharfbuzz-subset, the library WeasyPrint uses), about
a second in all; fontTools then renames the faces.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
#: (collection, face's family in it): the faces core/templates/core/pdf/document.css.jinja uses.
FACES = (
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
)
#: Besides GB 2312: printable ASCII and Latin-1, general punctuation, CJK punctuation, full-width.
RANGES = ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0))


def repertoire() -> list[int]:
    """The code points kept: GB 2312 plus the ranges above."""
    points = {cp for start, end in RANGES for cp in range(start, end)}
    for cp in range(0x80, 0x10000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        points.add(cp)
    return sorted(points)


def _harfbuzz() -> ctypes.CDLL:
    hb = ctypes.CDLL("libharfbuzz-subset.so.0")
    ptr = ctypes.c_void_p
    for name, restype, argtypes in (
        ("hb_blob_create_from_file", ptr, [ctypes.c_char_p]),
        ("hb_face_create", ptr, [ptr, ctypes.c_uint]),
        ("hb_subset_input_create_or_fail", ptr, []),
        ("hb_subset_input_unicode_set", ptr, [ptr]),
        ("hb_set_add", None, [ptr, ctypes.c_uint32]),
        ("hb_subset_or_fail", ptr, [ptr, ptr]),
        ("hb_face_reference_blob", ptr, [ptr]),
        ("hb_blob_get_data", ctypes.c_void_p, [ptr, ctypes.POINTER(ctypes.c_uint)]),
        ("hb_blob_destroy", None, [ptr]),
        ("hb_face_destroy", None, [ptr]),
        ("hb_subset_input_destroy", None, [ptr]),
    ):
        fn = getattr(hb, name)
        fn.restype, fn.argtypes = restype, argtypes
    return hb


def _face_index(collection: Path, family: str) -> int:
    """Index of ``family`` in the collection (the SC face; JP, KR, TC, HK are its siblings)."""
    for index in range(64):
        try:
            font = TTFont(collection, fontNumber=index, lazy=True)
        except Exception:  # past the last face
            break
        with font:
            if font["name"].getDebugName(1) == family:
                return index
    raise SystemExit(f"{collection} has no face {family!r}")


def cut(collection: Path, family: str, points: list[int]) -> bytes:
    """Face ``family`` of ``collection`` cut to ``points`` and renamed Noto → Minsheng."""
    hb = _harfbuzz()
    blob = hb.hb_blob_create_from_file(str(collection).encode())
    face = hb.hb_face_create(blob, _face_index(collection, family))
    wanted = hb.hb_subset_input_create_or_fail()
    unicodes = hb.hb_subset_input_unicode_set(wanted)
    for cp in points:
        hb.hb_set_add(unicodes, cp)
    result = hb.hb_subset_or_fail(face, wanted)
    if not result:
        raise SystemExit(f"HarfBuzz could not subset {collection.name}")
    out = hb.hb_face_reference_blob(result)
    size = ctypes.c_uint()
    data = ctypes.string_at(hb.hb_blob_get_data(out, ctypes.byref(size)), size.value)
    for handle, free in ((out, hb.hb_blob_destroy), (result, hb.hb_face_destroy)):
        free(handle)
    hb.hb_subset_input_destroy(wanted)
    hb.hb_face_destroy(face)
    hb.hb_blob_destroy(blob)

    buf = io.BytesIO()
    with TTFont(io.BytesIO(data), lazy=True) as font:
        for record in font["name"].names:
            if record.nameID in (1, 3, 4, 6, 16):  # family, unique id, full, PostScript, typogr.
                record.string = record.toUnicode().replace("Noto", "Minsheng")
        font.save(buf)
    return buf.getvalue()


def default_dir() -> Path:
    """A folder fontconfig reads: system-wide as root, else the user's own."""
    if os.geteuid() == 0:
        return Path("/usr/local/share/fonts/minsheng")
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local/share")
    return Path(data) / "fonts" / "minsheng"


def _stamp() -> str:
    parts = [Path(__file__).read_bytes()]
    parts += [f"{name}:{(NOTO / name).stat().st_size}".encode() for name, _ in FACES]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def build(target: Path) -> bool:
    """Write the cut faces into ``target``; False when they are already there and current."""
    stamp_file = target / ".stamp"
    stamp = _stamp()
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return False
    target.mkdir(parents=True, exist_ok=True)
    points = repertoire()
    for name, family in FACES:
        out = target / name.replace("Noto", "Minsheng").replace(".ttc", ".otf")
        out.write_bytes(cut(NOTO / name, family, points))
    fc_cache = shutil.which("fc-cache")
    if fc_cache:  # else fontconfig finds the new folder's fonts itself, a little later
        subprocess.run([fc_cache, "-f", str(target)], check=False)  # noqa: S603
    stamp_file.write_text(stamp)
    return True


def main() -> None:
    """Build into the folder given, or the default one."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default_dir()
    missing = [name for name, _ in FACES if not (NOTO / name).exists()]
    if missing:
        raise SystemExit(
            f"Noto CJK is not installed ({', '.join(missing)}): run scripts/system-packages.sh"
        )
    if build(target):
        print(f"Document fonts written to {target}")


if __name__ == "__main__":
    main()
