from __future__ import annotations

from pathlib import Path

from glossary_helpers import write_glossary

from bilingual.document import Severity
from bilingual.glossary import glossary_files, lint_files

ROOT = Path(__file__).resolve().parents[1]


def test_lint_reports_each_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write_glossary(
        tmp_path,
        "puce\tchip\n"  # 1
        "puces\tchip\n"  # 2 duplicate through inflection
        "puce\tmicrochip\n"  # 3 conflicting target
        "R&D\tR&D\n"  # 4 can never match
        "cloud\tcloud\t\tstatus=preferred\tstray\n"  # 5 stray column
        "orphan\n"  # 6 missing column
        "modèle\tmodel\t\tcolour=blue\n"  # 7 unknown attribute
        "Meta\tMeta\n"  # 8
        "Meta\tMeta\t\tstatus=forbidden\n",  # 9 approved and forbidden
    )
    issues = lint_files([path])
    found = {(i.line, i.code, i.severity) for i in issues}
    assert (2, "duplicate", Severity.WARNING) in found
    assert (3, "conflict", Severity.ERROR) in found
    assert (4, "never-matches", Severity.ERROR) in found
    assert (5, "stray-column", Severity.WARNING) in found
    assert (6, "malformed", Severity.ERROR) in found
    assert (7, "unknown-attribute", Severity.WARNING) in found
    assert (9, "conflict", Severity.ERROR) in found
    assert all(str(i).startswith(f"{path}:{i.line}: ") for i in issues)


def test_project_glossary_is_clean_and_large_enough() -> None:
    files = glossary_files(ROOT / "glossary")
    issues = lint_files(files)
    assert [str(i) for i in issues if i.severity is Severity.ERROR] == []
    from bilingual.glossary import load_glossary

    assert len(load_glossary(ROOT / "glossary")) >= 30
