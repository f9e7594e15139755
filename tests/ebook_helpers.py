"""EPUB books built in code for the tests (EPUB 2 and 3), and epubcheck.

A book has chapters with headings, paragraphs with emphasis, links and a footnote mark, a list,
a table, a quote, an image with its alt text; navigation (nav document and/or NCX), metadata
(title, author, language, identifier) and a cover picture. Each build is valid: epubcheck finds
nothing in it, so that whatever it finds in an output is the writer's doing.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

EPUBCHECK = Path("/usr/bin/epubcheck")
TITLE = "Le Voyage du petit navire"
AUTHOR = "Jeanne Martin"


@dataclass(frozen=True)
class Chapter:
    heading: str
    paragraphs: tuple[str, ...]


CHAPTERS = (
    Chapter(
        "Chapitre premier. Le départ",
        (
            "Le navire quitta le port de Brest au lever du jour. Les marins chantaient sur le pont.",
            "Le capitaine observait la mer avec inquiétude, car le vent tournait déjà à l'ouest.",
            "Personne ne savait encore que ce voyage durerait plus de trois années.",
        ),
    ),
    Chapter(
        "Chapitre deux. La tempête",
        (
            "Au dixième jour, une tempête terrible frappa le navire pendant toute la nuit.",
            "Les voiles furent déchirées et le grand mât se brisa avec un bruit effrayant.",
            "Au matin, l'équipage épuisé découvrit une île inconnue à l'horizon.",
        ),
    ),
    Chapter(
        "Chapitre trois. L'île",
        (
            "L'île était couverte d'une forêt épaisse où vivaient des oiseaux étranges.",
            "Les marins construisirent une cabane près d'une source d'eau douce.",
            "Le soir, ils se réunissaient autour du feu pour raconter des histoires de leur pays.",
        ),
    ),
)
LIST_ITEMS = ("Trois tonneaux de biscuits secs.", "Une caisse de clous et deux haches.")
TABLE = (("Jour", "Distance parcourue"), ("Lundi", "Quarante milles marins"))
QUOTE = "La mer ne pardonne jamais à ceux qui la méprisent."
NOTE = "Brest est un grand port militaire de la Bretagne."
ALT = "Une carte ancienne de la côte bretonne"
EMPHASIS = "avec inquiétude"
LINK_URL = "https://fr.wikipedia.org/wiki/Brest?a=1&b=2"


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CSS = b"body { font-family: serif; }\nh1 { text-align: center; }\n"
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chapter_xhtml(number: int, chapter: Chapter, version: int) -> str:
    epub3 = version == 3
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ("<!DOCTYPE html>\n" if epub3 else
           '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n')
        + '<html xmlns="http://www.w3.org/1999/xhtml"'
        + (' xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="fr" lang="fr">' if epub3 else ' xml:lang="fr">')
        + f"\n<head>\n  <title>{_escape(TITLE)}</title>\n"
        + '  <link rel="stylesheet" type="text/css" href="../style.css"/>\n</head>\n<body>\n'
    )
    body = [f'  <h1 id="c{number}">{_escape(chapter.heading)}</h1>']
    first, second, third = (_escape(p) for p in chapter.paragraphs)
    if number == 1:
        noteref = (
            '<a epub:type="noteref" href="#note1" id="ref1">1</a>' if epub3 else '<a href="#note1" id="ref1">1</a>'
        )
        first = first.replace("Brest", f'<a href="{_escape(LINK_URL)}">Brest</a>{noteref}')
        second = second.replace(EMPHASIS, f"<em>{EMPHASIS}</em>").replace("Le capitaine", "<strong>Le capitaine</strong>")
    body.append(f"  <p>{first}</p>")
    body.append(f'  <p class="texte">{second}</p>')
    if number == 1:
        body.append("  <ul>\n" + "".join(f"    <li>{_escape(item)}</li>\n" for item in LIST_ITEMS) + "  </ul>")
    if number == 2:
        rows = "".join(
            "    <tr>" + "".join(f"<{cell}>{_escape(text)}</{cell}>" for text in row) + "</tr>\n"
            for cell, row in (("th", TABLE[0]), ("td", TABLE[1]))
        )
        body.append(f"  <table>\n{rows}  </table>")
        body.append(f"  <blockquote><p>{_escape(QUOTE)}</p></blockquote>")
        body.append(f'  <div><img src="../images/carte.png" alt="{_escape(ALT)}"/></div>')
    body.append(f"  <p>{third}</p>")
    if number == 1:
        note = f'<p><a href="#ref1">1</a>. {_escape(NOTE)}</p>'
        body.append(
            f'  <aside epub:type="footnote" id="note1">{note}</aside>' if epub3 else f'  <div id="note1">{note}</div>'
        )
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def package_opf(version: int, chapters: int) -> str:
    epub3 = version == 3
    items = [
        '    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '    <item id="css" href="style.css" media-type="text/css"/>',
        '    <item id="cover" href="images/cover.png" media-type="image/png"'
        + (' properties="cover-image"/>' if epub3 else "/>"),
        '    <item id="carte" href="images/carte.png" media-type="image/png"/>',
    ]
    if epub3:
        items.insert(0, '    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
    items += [
        f'    <item id="ch{n}" href="text/ch{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(1, chapters + 1)
    ]
    spine = "\n".join(f'    <itemref idref="ch{n}"/>' for n in range(1, chapters + 1))
    modified = '    <meta property="dcterms:modified">2025-01-02T03:04:05Z</meta>\n' if epub3 else ""
    cover = "" if epub3 else '    <meta name="cover" content="cover"/>\n'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{"3.0" if epub3 else "2.0"}" unique-identifier="uid">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">\n'
        '    <dc:identifier id="uid">urn:uuid:12345678-1234-4234-8234-123456789abc</dc:identifier>\n'
        f"    <dc:title>{_escape(TITLE)}</dc:title>\n"
        f"    <dc:creator>{_escape(AUTHOR)}</dc:creator>\n"
        "    <dc:language>fr</dc:language>\n"
        "    <dc:publisher>Éditions de la Mer</dc:publisher>\n"
        f"{modified}{cover}"
        "  </metadata>\n  <manifest>\n" + "\n".join(items) + "\n  </manifest>\n"
        f'  <spine toc="ncx">\n{spine}\n  </spine>\n</package>\n'
    )


def nav_xhtml(chapters: tuple[Chapter, ...]) -> str:
    entries = "".join(
        f'      <li><a href="text/ch{n}.xhtml#c{n}">{_escape(c.heading)}</a></li>\n'
        for n, c in enumerate(chapters, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="fr" lang="fr">\n'
        f"<head>\n  <title>{_escape(TITLE)}</title>\n</head>\n<body>\n"
        '  <nav epub:type="toc" id="toc">\n    <h1>Table des matières</h1>\n    <ol>\n'
        f"{entries}    </ol>\n  </nav>\n</body>\n</html>\n"
    )


def toc_ncx(chapters: tuple[Chapter, ...]) -> str:
    points = "".join(
        f'    <navPoint id="p{n}" playOrder="{n}"><navLabel><text>{_escape(c.heading)}</text></navLabel>'
        f'<content src="text/ch{n}.xhtml#c{n}"/></navPoint>\n'
        for n, c in enumerate(chapters, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="fr">\n'
        '  <head>\n    <meta name="dtb:uid" content="urn:uuid:12345678-1234-4234-8234-123456789abc"/>\n'
        '    <meta name="dtb:depth" content="1"/>\n    <meta name="dtb:totalPageCount" content="0"/>\n'
        '    <meta name="dtb:maxPageNumber" content="0"/>\n  </head>\n'
        f"  <docTitle><text>{_escape(TITLE)}</text></docTitle>\n"
        f"  <docAuthor><text>{_escape(AUTHOR)}</text></docAuthor>\n"
        f"  <navMap>\n{points}  </navMap>\n</ncx>\n"
    )


@dataclass
class Book:
    """The entries of an EPUB, in order; ``write`` zips them as OCF wants (mimetype first, stored)."""

    entries: dict[str, bytes] = field(default_factory=dict)

    def write(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
            for name, data in self.entries.items():
                if name != "mimetype":
                    archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        return path


def book(version: int = 3, chapters: tuple[Chapter, ...] = CHAPTERS) -> Book:
    entries = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": package_opf(version, len(chapters)).encode(),
        "OEBPS/toc.ncx": toc_ncx(chapters).encode(),
        "OEBPS/style.css": CSS,
        "OEBPS/images/cover.png": png(4, 6),
        "OEBPS/images/carte.png": png(),
    }
    if version == 3:
        entries["OEBPS/nav.xhtml"] = nav_xhtml(chapters).encode()
    for number, chapter in enumerate(chapters, start=1):
        entries[f"OEBPS/text/ch{number}.xhtml"] = chapter_xhtml(number, chapter, version).encode()
    return Book(entries)


def sentences(chapters: tuple[Chapter, ...] = CHAPTERS, mark: str = "1") -> list[str]:
    """Every sentence of the book's prose (headings, paragraphs, list, table, quote, note), as
    the reader sees it: with the footnote mark after "Brest" (an exchange file has a code
    there, ``mark=""``)."""
    found: list[str] = []
    for chapter in chapters:
        for paragraph in (chapter.heading, *chapter.paragraphs):
            found += re.split(r"(?<=[.!?])\s+", paragraph.replace("Brest au", f"Brest{mark} au"))
    return found + [*LIST_ITEMS, *(cell for row in TABLE for cell in row), QUOTE, NOTE]


# -- epubcheck -----------------------------------------------------------------------------


def epubcheck_available() -> bool:
    return shutil.which("java") is not None and EPUBCHECK.exists()


needs_epubcheck = pytest.mark.skipif(
    not epubcheck_available(), reason="epubcheck (Debian package) and java are not installed"
)


def epubcheck(path: Path) -> tuple[str, str]:
    """epubcheck's verdict on ``path``: its ``Messages:`` line, and everything it printed."""
    run = subprocess.run(
        # C1 only: a short run spends most of its time compiling otherwise (18 s → 8 s of CPU)
        ["java", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), str(path)],
        check=False, capture_output=True, text=True, timeout=300,
    )
    output = run.stdout + run.stderr
    found = re.search(r"Messages: .*", output)
    return (found.group() if found else "no verdict"), output


CLEAN = "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"


# -- what a build wrote --------------------------------------------------------------------


def page_sources(page: Path) -> list[str]:
    """The French of every row of a reading page."""
    from lxml import html as lxml_html

    tree = lxml_html.parse(str(page))
    return [" ".join(cell.text_content().split()) for cell in tree.getroot().cssselect("td.cell.fr .text")]


def tmx_sources(path: Path) -> list[str]:
    """The French of every unit of a TMX file, without its inline codes."""
    from bilingual.exchange.tmx import read_units
    from bilingual.inline import HAS_TAG, unescape

    return [unescape(HAS_TAG.sub("", unit.source)) for unit in read_units(path)]


def missing_sentences(sentences: list[str], found: list[str]) -> list[str]:
    """The sentences found in none of ``found`` (rows or units may hold several)."""
    joined = "\n".join(found)
    return [sentence for sentence in sentences if sentence not in joined]
