"""Shared builders for the glossary tests: small glossaries written in code."""

from __future__ import annotations

from pathlib import Path

from bilingual.glossary import Entry, EntryKind, Glossary, load_glossary, make_entry

SAMPLE_TSV = (
    "# sample glossary\n"
    "Meta\tMeta\tcompany\tstatus=do-not-translate\n"
    "Meta\tDip\tApertium's rendering\tstatus=forbidden\n"
    "modèle à poids ouvert\topen-weight model\t\tpos=noun\n"
    "poids ouvert\topen-weight\t\tpos=adjective\n"
    "CES\tCES\ttrade show\tcase=sensitive\n"
    "IA full-stack\tfull-stack AI\n"
    "IA\tAI\n"
    "puce\tchip\t\tpos=noun; x-reviewer=anna\textra column\n"
    "\n"
    "écosystème\tecosystem\n"
    "modèle de base\tfoundation model\n"
    "intelligence artificielle\tartificial intelligence\n"
    "distillé\tdistilled\t\tpos=adjective\n"
    "Cosmos\tCosmos\n"
)


def write_glossary(folder: Path, text: str = SAMPLE_TSV, name: str = "terms.utf8") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sample_glossary(folder: Path) -> Glossary:
    return load_glossary(write_glossary(folder))


def glossary_of(*pairs: tuple[str, str] | Entry) -> Glossary:
    entries = [p if isinstance(p, Entry) else make_entry(p[0], p[1]) for p in pairs]
    return Glossary.from_entries(entries)


def forbidden(source: str, target: str) -> Entry:
    return Entry(source, target, kind=EntryKind.FORBIDDEN)


def copy_engine(texts: list[str]) -> list[str]:
    """Test double for the Argos test model, which copies its input."""
    return list(texts)
