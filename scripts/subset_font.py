"""Make sim/fonts/CoopsimSansSC-Regular.otf: Noto Sans SC Regular (SIL Open Font License 1.1) cut down to the
characters a briefing needs — the 6,763 hanzi and the symbols of GB 2312, ASCII, Latin-1, general punctuation,
CJK punctuation and full-width forms (~1.7 MB instead of 8 MB) — and renamed, as the OFL asks of a modified font.

    python scripts/subset_font.py NotoSansSC-Regular.otf

The source used: Noto Sans SC 2.004 Regular (OTF, Adobe/Google noto-cjk; also shipped in the PyPI package
pylopdf-fonts-zh-cn 0.1.1). Needs fontTools (a matplotlib dependency).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "sim" / "fonts" / "CoopsimSansSC-Regular.otf"
FAMILY = "Coopsim Sans SC"


def gb2312() -> set[int]:
    chars = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # an unassigned code point
                chars.add(ord(bytes([b1, b2]).decode("gb2312")))
    return chars


def codepoints() -> set[int]:
    ranges = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200), (0x2200, 0x2300),
              (0x3000, 0x3040), (0xFF00, 0xFFF0)]
    return gb2312() | {c for lo, hi in ranges for c in range(lo, hi)}


def main(src: str) -> None:
    font = TTFont(src)
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codepoints())
    sub.subset(font)
    name = font["name"]
    ps = FAMILY.replace(" ", "") + "-Regular"
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(f"{ps};subset of NotoSansSC-Regular 2.004", 3, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(ps, 6, rec.platformID, rec.platEncID, rec.langID)
    # the CFF table carries its own PostScript names
    cff = font["CFF "].cff
    cff.fontNames = [ps]
    top = cff.topDictIndex[0]
    top.FullName = FAMILY
    top.FamilyName = FAMILY
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(font.getBestCmap()):,} characters")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
