"""Safe XML loading and TMX/XLIFF validation, and the ``tmx validate`` command."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from exchange_helpers import tmx_problems, xliff_problems

from bilingual.cli_validate import tmx_group
from bilingual.document import Document, Segment, Unit
from bilingual.errors import FormatError
from bilingual.exchange import Problem
from bilingual.exchange.xml import load_xml_safely
from bilingual.export.exchange import write_tmx, write_xliff

HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="fr" datatype="plaintext"/>'
)
TU = '<tu><tuv xml:lang="fr"><seg>Oui.</seg></tuv><tuv xml:lang="en"><seg>Yes.</seg></tuv></tu>'

BILLION_LAUGHS_ENTITIES = "\n".join(
    [' <!ENTITY lol "lol">']
    + [
        f' <!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">'
        for level in range(1, 10)
    ]
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def tmx_text(body: str = TU, header: str = HEADER, doctype: str = "") -> str:
    """A TMX with the body on line 5 when there is no doctype."""
    return (
        f'<?xml version="1.0"?>\n{doctype}<tmx version="1.4">\n{header}\n<body>\n{body}\n'
        "</body>\n</tmx>\n"
    )


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP port that records every connection made to it, and closes it unanswered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            received.append(b"connection")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


def test_our_own_tmx_and_xliff_are_valid(tmp_path: Path) -> None:
    document = Document(
        "d",
        "Oui. Non.",
        units=[Unit(Segment(0, 4, "Oui."), "Yes."), Unit(Segment(5, 9, "Non."), "No.")],
    )
    write_tmx(document, tmp_path / "d.tmx")
    write_xliff(document, tmp_path / "d.xlf")
    assert tmx_problems(tmp_path / "d.tmx") == []
    assert xliff_problems(tmp_path / "d.xlf") == []


def test_an_omegat_style_doctype_is_accepted_and_never_fetched(
    tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    doctype = f'<!DOCTYPE tmx SYSTEM "http://127.0.0.1:{port}/tmx14.dtd">\n'
    path = write(tmp_path / "omegat.tmx", tmx_text(doctype=doctype))
    assert tmx_problems(path) == []
    time.sleep(0.2)
    assert received == []


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", 1, "Document is empty"),
        ('<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu>', 4, "Premature end of data"),
        ('<?xml version="1.0"?>\n<tmx>\n<body>\n</tmx>\n', 4, "mismatch"),
        ('<?xml version="1.0"?>\n<tmx a="1" a="2"/>\n', 2, "redefined"),
        ("not xml at all\n", 1, "Start tag expected"),
    ],
    ids=["empty", "truncated", "mismatched", "duplicate-attribute", "not-xml"],
)
def test_malformed_xml_raises_format_error_with_its_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = write(tmp_path / "bad.tmx", content)
    with pytest.raises(FormatError) as caught:
        tmx_problems(path)
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: not well-formed XML")


def test_a_truncated_export_is_malformed(tmp_path: Path) -> None:
    document = Document("d", "Oui.", units=[Unit(Segment(0, 4, "Oui."), "Yes.")])
    write_tmx(document, tmp_path / "d.tmx")
    data = (tmp_path / "d.tmx").read_bytes()
    path = tmp_path / "cut.tmx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="not well-formed"):
        tmx_problems(path)


@pytest.mark.parametrize("where", ["text", "attribute"])
def test_billion_laughs_is_refused_unexpanded(tmp_path: Path, where: str) -> None:
    doctype = f"<!DOCTYPE tmx [\n{BILLION_LAUGHS_ENTITIES}\n]>\n"
    tu = (
        '<tu><tuv xml:lang="fr"><seg>&lol9;</seg></tuv></tu>'
        if where == "text"
        else '<tu tuid="&lol9;"><tuv xml:lang="fr"><seg>x</seg></tuv></tu>'
    )
    path = write(tmp_path / "laughs.tmx", tmx_text(tu, doctype=doctype))
    started = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        load_xml_safely(path)
    assert time.perf_counter() - started < 1
    assert caught.value.line == 3  # the first <!ENTITY
    assert "declares entities" in str(caught.value)
    assert "lollol" not in str(caught.value)


def test_external_entities_are_refused_unread(
    tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-MARKER")
    doctype = (
        "<!DOCTYPE tmx [\n"
        f'  <!ENTITY x SYSTEM "file://{secret}">\n'
        f'  <!ENTITY y SYSTEM "http://127.0.0.1:{port}/y">\n'
        "]>\n"
    )
    path = write(
        tmp_path / "xxe.tmx",
        tmx_text('<tu><tuv xml:lang="fr"><seg>&x;&y;</seg></tuv></tu>', doctype=doctype),
    )
    with pytest.raises(FormatError) as caught:
        tmx_problems(path)
    assert caught.value.line == 3
    assert "TOP-SECRET-MARKER" not in str(caught.value)
    time.sleep(0.2)
    assert received == []


def test_external_parameter_entities_are_refused_unfetched(
    tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    doctype = (
        f'<!DOCTYPE tmx [\n<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n'
        "%remote;\n]>\n"
    )
    path = write(tmp_path / "pe.tmx", tmx_text(doctype=doctype))
    with pytest.raises(FormatError, match="declares entities") as caught:
        tmx_problems(path)
    assert caught.value.line == 3
    time.sleep(0.2)
    assert received == []


def test_entities_left_to_an_external_dtd_are_refused(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    body = '<tu><tuv xml:lang="fr"><seg>a &ext; b</seg></tuv></tu>'
    path = write(tmp_path / "ext.tmx", tmx_text(body, doctype=doctype))
    with pytest.raises(FormatError, match="entity &ext;") as caught:
        tmx_problems(path)
    assert caught.value.line == 6


def test_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        tmx_problems(tmp_path / "nope.tmx")


def test_dtd_violations_are_reported_with_their_lines(tmp_path: Path) -> None:
    header = HEADER.replace(' o-tmf="t"', "")
    body = (
        f"{TU}\n"
        '<tu><tuv xml:lang="fr"><seg>A</seg></tuv><prop type="x">late</prop></tu>\n'
        "<tu><tuv><seg>B</seg></tuv></tu>\n"
        '<tu><tuv xml:lang="fr"><seg>C <b>bold</b></seg></tuv></tu>'
    )
    problems = tmx_problems(write(tmp_path / "bad.tmx", tmx_text(body, header=header)))
    lines = {problem.line for problem in problems}
    assert {3, 6, 7, 8} <= lines
    messages = " | ".join(problem.message for problem in problems)
    assert "o-tmf" in messages
    assert "Element tu content does not follow the DTD" in messages
    assert "xml:lang" in messages
    assert "No declaration for element b" in messages


def test_every_unit_needs_a_variant_in_the_source_language(tmp_path: Path) -> None:
    body = f'{TU}\n<tu><tuv xml:lang="de"><seg>Ja.</seg></tuv></tu>\n'
    problems = tmx_problems(write(tmp_path / "lang.tmx", tmx_text(body)))
    assert problems == [Problem(6, "<tu> has no <tuv> in its source language 'fr'")]


def test_a_file_that_is_not_tmx_says_so(tmp_path: Path) -> None:
    path = write(tmp_path / "x.tmx", '<?xml version="1.0"?>\n<html><body/></html>\n')
    assert tmx_problems(path) == [Problem(2, "root element is <html>, not <tmx>: not a TMX file")]


def test_xliff_structure_problems_have_lines(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="1.2" srcLang="fr">\n'
        ' <file id="f1">\n'
        '  <unit id="u1"><segment state="done"><source>a</source><target>b</target></segment>'
        "</unit>\n"
        '  <unit id="u1"><segment/></unit>\n'
        '  <unit id="u3"/>\n'
        " </file>\n"
        "</xliff>\n"
    )
    problems = xliff_problems(write(tmp_path / "bad.xlf", text))
    assert [(problem.line, problem.message.split(" ")[0]) for problem in problems] == [
        (2, "version"),
        (2, "<xliff>"),  # targets but no trgLang
        (5, "<unit>"),  # duplicate id
        (4, "<segment>"),  # unknown state
        (5, "<segment>"),  # no source
        (6, "<unit>"),  # no segment
    ]


def test_an_xliff_1_2_file_is_checked_as_xliff_1_2(tmp_path: Path) -> None:
    text = (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '<file original="a.txt" datatype="plaintext"><body>\n'
        '<trans-unit id="1"><source>a</source><target state="done">b</target></trans-unit>\n'
        '<trans-unit id="1"><source>c</source></trans-unit>\n'
        "</body></file></xliff>\n"
    )
    problems = xliff_problems(write(tmp_path / "old.xlf", text))
    assert [(problem.line, problem.message.split(" ")[0]) for problem in problems] == [
        (2, "<file>"),  # no source-language
        (4, "<trans-unit>"),  # duplicate id
        (3, "<target>"),  # unknown state
    ]


def test_not_an_xliff_file_at_all(tmp_path: Path) -> None:
    (problem,) = xliff_problems(write(tmp_path / "x.xlf", "<html/>"))
    assert "not an XLIFF file" in problem.message


def test_cli_reports_a_valid_file_with_its_unit_count(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.tmx", tmx_text(f"{TU}\n{TU}"))
    result = CliRunner().invoke(tmx_group, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: valid TMX 1.4 (2 units)\n"


def test_cli_prints_file_line_problems_and_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path / "ok.tmx", tmx_text())
    bad = write(tmp_path / "bad.tmx", tmx_text("<tu><seg/></tu>"))
    result = CliRunner().invoke(tmx_group, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{good}: valid TMX 1.4 (1 units)"
    assert lines[1].startswith(f"{bad}:5: ")
    assert all(line.startswith(f"{bad}:5: ") for line in lines[1:])


def test_cli_checks_xliff_by_suffix_or_format(tmp_path: Path) -> None:
    document = Document("d", "Oui.", units=[Unit(Segment(0, 4, "Oui."), "Yes.")])
    write_xliff(document, tmp_path / "d.xlf")
    by_suffix = CliRunner().invoke(tmx_group, ["validate", str(tmp_path / "d.xlf")])
    assert by_suffix.output == f"{tmp_path / 'd.xlf'}: valid XLIFF 2.1 (1 units)\n"
    (tmp_path / "d.xlf").rename(tmp_path / "d.xml")
    by_option = CliRunner().invoke(
        tmx_group, ["validate", "--format", "xliff", str(tmp_path / "d.xml")]
    )
    assert by_option.exit_code == 0 and "valid XLIFF 2.1" in by_option.output


def test_cli_reports_an_unreadable_file_and_goes_on_with_the_next(tmp_path: Path) -> None:
    cut = write(tmp_path / "cut.tmx", '<?xml version="1.0"?>\n<tmx>\n')
    good = write(tmp_path / "ok.tmx", tmx_text())
    result = CliRunner().invoke(tmx_group, ["validate", str(cut), str(good)])
    assert result.exit_code == 1
    first, second = result.output.splitlines()
    assert first.startswith(f"{cut}:3: not well-formed XML")
    assert second == f"{good}: valid TMX 1.4 (1 units)"


def test_commands_have_help_with_an_example() -> None:
    for args in (["--help"], ["validate", "--help"]):
        result = CliRunner().invoke(tmx_group, args)
        assert result.exit_code == 0 and "Example:" in result.output
