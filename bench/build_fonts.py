"""Rebuild the site's web fonts in static/fonts/ (a development step: `make fonts`).

The WOFF2 files it writes are committed; installing or running Dossier never runs this. It needs
the `fonts` extra (fontTools, brotli and the two fontpkg wheels that carry the families):

    .venv/bin/pip install -e '.[fonts]' && .venv/bin/python -m bench.build_fonts

Each family is cut down three ways, to keep the page light:
- variable axes narrowed to what the stylesheet uses (weights 400-700; optical size pinned to
  text size, since the axis alone would add about a third to each file);
- characters limited to Latin, Latin Extended and basic Cyrillic (the demo site covers Russia
  and Iran, so names in Cyrillic should not fall back to another face mid-word), one file per
  range (see SUBSETS);
- OpenType layout features limited to fontTools' defaults plus tabular and lining figures.

Source Serif's licence reserves the name "Source", and a subset is a modified version under the
OFL, so the serif is renamed "Dossier Serif" in its name table (and in the stylesheet). Inter
reserves no name. Both licences are copied beside the fonts.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "static" / "fonts"

# Each face is cut into the three ranges below, and the stylesheet gives each file its
# `unicode-range`: a browser fetches a file only when the page has a character from its range, so
# an English page loads the small "latin" files alone. Keep these in step with static/css/site.css.
SUBSETS = {
    "latin": (
        "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
        "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
    ),
    "latin-ext": (
        "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+1E00-1E9F,U+1EF2-1EFF,"
        "U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF"
    ),
    "cyrillic": "U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116",
}
EXTRA_FEATURES = ["tnum", "lnum", "pnum", "case"]


@dataclass(frozen=True)
class Face:
    package: str
    source: str
    output: str
    axes: dict[str, float | tuple[float, float]]
    rename_to: str = ""


FACES = (
    Face("fontpkg_inter", "Inter[opsz,wght].ttf", "dossier-sans", {"opsz": 14, "wght": (400, 800)}),
    Face(
        "fontpkg_source_serif_4",
        "SourceSerif4[opsz,wght].ttf",
        "dossier-serif",
        {"opsz": 16, "wght": (400, 700)},
        rename_to="Dossier Serif",
    ),
    Face(
        "fontpkg_source_serif_4",
        "SourceSerif4-Italic[opsz,wght].ttf",
        "dossier-serif-italic",
        {"opsz": 16, "wght": (400, 700)},
        rename_to="Dossier Serif",
    ),
)
LICENCES = {"fontpkg_inter": "OFL-Inter.txt", "fontpkg_source_serif_4": "OFL-SourceSerif4.txt"}


def rename(font: TTFont, family: str) -> None:
    """Give the family a name of our own in every record that carries the family name."""
    name_table = font["name"]
    style = "Italic" if font["post"].italicAngle else "Regular"
    for record in list(name_table.names):
        if record.nameID in (1, 16, 21):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID in (3, 6, 25):
            record.string = f"{family.replace(' ', '')}-{style}"


def build(face: Face, subset_name: str) -> Path:
    source = resources.files(face.package) / "files" / face.source
    with resources.as_file(source) as path:
        font = TTFont(path)
    options = subset.Options()
    options.layout_features = [*subset.Options().layout_features, *EXTRA_FEATURES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # browsers on every current platform ignore or redo TrueType hints
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(SUBSETS[subset_name]))
    subsetter.subset(font)
    # Narrowed after subsetting: fewer glyphs to re-solve, and the instancer's output is what
    # gets compressed.
    font = instancer.instantiateVariableFont(font, face.axes)
    if face.rename_to:
        rename(font, face.rename_to)
    target = OUT / f"{face.output}-{subset_name}.woff2"
    font.flavor = "woff2"
    font.save(target)
    return target


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        for subset_name in SUBSETS:
            target = build(face, subset_name)
            print(f"{target.relative_to(OUT.parent.parent)}: {target.stat().st_size:,} bytes")
    for package, name in LICENCES.items():
        shutil.copyfile(str(resources.files(package) / "LICENSE"), OUT / name)


if __name__ == "__main__":
    main()
