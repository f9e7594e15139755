"""``bilingual qa``: the build's quality checks on exchange files, for review and CI."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .cli_common import CONTEXT_SETTINGS, printable
from .document import Severity

SEVERITIES = [severity.value for severity in Severity]
SUMMARY_LABELS = (
    (Severity.ERROR, "errors"),
    (Severity.WARNING, "warnings"),
    (Severity.INFO, "info"),
)


@click.command("qa", context_settings=CONTEXT_SETTINGS)
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(path_type=Path),
    help="Glossary file or folder: also check that its terms are translated as approved.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", "tmx", "xliff", "xliff12", "tsv"]),
    default="auto",
    show_default=True,
    help="File format; auto: from the extension (.tmx, .xlf/.xliff of any version, .tsv).",
)
@click.option(
    "--min-severity",
    type=click.Choice(SEVERITIES),
    default="warning",
    show_default=True,
    help="Show findings of this severity and above.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings, no summary lines.")
def qa_command(
    files: tuple[Path, ...],
    glossary_path: Path | None,
    file_format: str,
    min_severity: str,
    as_json: bool,
    quiet: bool,
) -> None:
    """Check the translations in TMX, XLIFF (1.2, 2.x) or bilingual TSV files.

    The checks of `bilingual build` (numbers, dates, units, URLs, e-mails, placeholders, tags,
    brackets, quotes, repeated words, punctuation, length, French or Spanish words left in the
    English), on machine and human translations alike; with --glossary, approved and forbidden
    terms too. Each finding prints as FILE:LINE: severity code: message, followed by the
    segment. Exits with status 1 when any finding is an error, so it can gate CI.

    Example:

        bilingual qa output/memory.tmx

        bilingual qa --glossary glossary --json reviewed.xlf > findings.json
    """
    from .qa.files import check_files, report_json

    glossary = None
    if glossary_path is not None:
        from .glossary import load_glossary

        glossary = load_glossary(glossary_path)
    errors = 0
    for report in check_files(
        files, glossary, Severity(min_severity), None if file_format == "auto" else file_format
    ):
        errors += report.errors
        if as_json:
            click.echo(json.dumps(report_json(report), ensure_ascii=False))
            continue
        for flagged in report.flagged:
            where = f"{report.path}:{flagged.unit.line}" if flagged.unit.line else str(report.path)
            for finding in flagged.findings:
                click.echo(
                    printable(
                        f"{where}: {finding.severity.value} {finding.kind}: {finding.message}"
                    )
                )
            click.echo(printable(f"    fr: {flagged.unit.source}"))
            click.echo(printable(f"    en: {flagged.unit.target}"))
        if not quiet:
            counts = ", ".join(
                f"{report.count(severity)} {label}" for severity, label in SUMMARY_LABELS
            )
            extra = f", {report.untranslated} not translated yet" if report.untranslated else ""
            click.echo(
                f"{report.path}: {report.checked} units checked, {len(report.flagged)} flagged "
                f"({counts}){extra}"
            )
    if errors:
        raise SystemExit(1)
