"""QA of exchange files: the build's checks on every unit of a TMX, XLIFF (1.2, 2.x) or
bilingual TSV file, human translations included, with the glossary's term checks when given.

Units the file marks as not translated yet are counted, not checked: an empty target there is
work to do, not a defect.

>>> from bilingual.exchange import TranslationUnit
>>> {f.kind for f in unit_findings(TranslationUnit("Voir www.a.fr.", "See www.b.fr."))}
{'url-mismatch'}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Finding, Severity
from ..exchange import TranslationUnit, read_units
from . import check_pair

if TYPE_CHECKING:
    from ..glossary import Glossary

#: Severities from the least to the most serious, for ``--min-severity``.
SEVERITY_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)


@dataclass(frozen=True, slots=True)
class FlaggedUnit:
    """A unit with the findings worth showing."""

    unit: TranslationUnit
    findings: list[Finding]


@dataclass(slots=True)
class FileReport:
    """What checking one file found."""

    path: Path
    checked: int = 0  # translated units checked
    untranslated: int = 0  # units the file marks as not translated yet
    flagged: list[FlaggedUnit] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for unit in self.flagged for f in unit.findings)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)


def unit_findings(unit: TranslationUnit, glossary: Glossary | None = None) -> list[Finding]:
    """The QA findings of one unit, and its glossary findings when ``glossary`` is given."""
    findings: list[Finding] = []
    if glossary is not None:
        from ..glossary import check_unit

        findings += check_unit(
            unit.source, unit.target, glossary.match_source(unit.source), glossary
        )
    return findings + check_pair(unit.source, unit.target)


def check_units(
    path: Path,
    units: Iterable[TranslationUnit],
    glossary: Glossary | None = None,
    min_severity: Severity = Severity.WARNING,
) -> FileReport:
    """Check ``units`` (read from ``path``); keep the findings of ``min_severity`` or above."""
    wanted = set(SEVERITY_ORDER[SEVERITY_ORDER.index(min_severity) :])
    report = FileReport(Path(path))
    for unit in units:
        if not unit.translated:
            report.untranslated += 1
            continue
        report.checked += 1
        findings = [f for f in unit_findings(unit, glossary) if f.severity in wanted]
        if findings:
            report.flagged.append(FlaggedUnit(unit, findings))
    return report


def check_files(
    paths: Sequence[Path],
    glossary: Glossary | None = None,
    min_severity: Severity = Severity.WARNING,
    file_format: str | None = None,
) -> Iterator[FileReport]:
    """One report per file, in order; a file that cannot be read raises its
    :class:`~bilingual.errors.FormatError` when its turn comes."""
    for path in paths:
        yield check_units(path, read_units(path, file_format), glossary, min_severity)


def report_json(report: FileReport) -> dict[str, object]:
    """A report as JSON data (what ``bilingual qa --json`` prints, one object per file)."""
    return {
        "file": str(report.path),
        "checked": report.checked,
        "untranslated": report.untranslated,
        "counts": {severity.value: report.count(severity) for severity in SEVERITY_ORDER},
        "units": [
            {
                "line": flagged.unit.line,
                "id": flagged.unit.tuid,
                "source": flagged.unit.source,
                "target": flagged.unit.target,
                "findings": [finding.to_json() for finding in flagged.findings],
            }
            for flagged in report.flagged
        ],
    }
