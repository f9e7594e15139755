"""``bilingual omegat init`` and the real OmegaT 3.6: every segment filled from our TMX.

The texts are the seeds and a longer French text written below, full of what sentence
splitters get wrong. Apertium translates them (the real engine); OmegaT's console mode then
loads the project, and its own statistics (``omegat/project_stats.txt``) must show no segment
left untranslated. With OmegaT's default settings the same TMX leaves segments empty.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from omegat_helpers import make_project, needs_omegat, translate_project

from bilingual.cli import cli
from bilingual.engines import engine_class
from bilingual.errors import BilingualError
from bilingual.exchange.omegat_segmentation import omegat_paragraphs
from bilingual.exchange.xml import load_xml_safely
from bilingual.omegat_project import GLOSSARY, SEGMENTATION, TMX, InitResult, init_project
from bilingual.pipeline import BuildConfig

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GLOSSARY_FOLDER = ROOT / "glossary"

needs_apertium = pytest.mark.skipif(
    not engine_class("apertium").is_available(), reason="Apertium is not installed"
)

#: Abbreviations, initials, quotations with sentences inside, ellipses, lists, addresses,
#: footnote calls and paragraphs wrapped at 72 columns, as a text pasted from a book might be.
LONG_TEXT = """\
Chapitre premier : l'arrivée à Lyon

M. Dupont et Mme Martin sont arrivés à Lyon le 3 mars, vers 10 h. Ils avaient pris le train de
7 h 15 ; le voyage fut long. Mlle Durand les attendait sur le quai avec le Dr Lefèvre et MM.
Girard et Petit. « Vous voilà enfin ! Nous n'espérions plus vous voir. » Mme Martin sourit.
« Pourquoi ? » demanda-t-elle. Personne ne répondit.

La ville fut fondée en 43 av. J.-C. par Munatius Plancus. On y trouve des vestiges romains,
des églises, des traboules, etc. Les touristes les visitent toute l'année. Voir l'ouvrage de
J.-P. Martin, Histoire de Lyon, vol. 2, chap. IV, p. 12 et suiv. Il cite aussi J. R. R. Tolkien,
ce qui surprend un peu.

Il hésita... Puis il entra dans la salle. Je pensais à... Marie, bien sûr. Le texte original
dit : « Le temps passe (...) et rien ne change. » Quelle surprise !! Vraiment ?! Oui.

Le programme de la journée :
1. Visite du musée.
2. Déjeuner au bouchon « Chez Paul ».
3) Promenade sur les quais.
- Retour à l'hôtel vers 18 h ;
- dîner libre.

Pour réserver, écrivez à contact@lyon-tourisme.fr. La réponse arrive en 48 h. Le site
https://www.lyon-tourisme.fr/visites donne les horaires. Vous pouvez aussi consulter
www.musees-lyon.org. Les tarifs ont augmenté de 3,5 % depuis 2019.

Selon l'art. 5 du règlement, les groupes de plus de 20 personnes doivent réserver. Le
n° 12 de la revue (voir p. 45. Il y a une carte.) détaille les itinéraires. C'est
l'avis du Pr Bernard et de Mme Roux, entre autres.

— Tu viens avec nous ? demanda Paul.
— Non, je reste ici, répondit-il. Il fait trop chaud : 35° C. à l'ombre.

La note de bas de page le précise.[4] Une autre note suit.² Enfin, le dernier paragraphe
cite Victor Hugo : « Ceci tuera cela. » C'était en 1831. L'auteur, V. Hugo, avait 29 ans.

Sous Louis XIV. le palais fut agrandi, cf. le plan du XVIIe s. Il existe encore. On cite
souvent des exemples, p. ex. la place Bellecour, c.-à-d. la plus grande place de la ville.
Les actualités de Yahoo! News en parlent. Qui l'eût cru ? personne, sans doute. Le 1er mai,
la fête commence à 9 h. Elle finit tard (vers minuit...). Bonne visite !
"""


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("texts")
    long_text = folder / "lyon.txt"
    long_text.write_text(LONG_TEXT, encoding="utf-8")
    return [*SEEDS, long_text]


def init(project: Path, texts: list[Path], work: Path) -> InitResult:
    config = BuildConfig(
        engine="apertium",
        glossary_path=GLOSSARY_FOLDER,
        memory_path=work / "memory.sqlite",
    )
    return init_project(project, texts, config)


@pytest.fixture(scope="module")
def initialised(
    texts: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, InitResult]:
    """A project made by init for the seeds and the long text."""
    if not engine_class("apertium").is_available():
        pytest.skip("Apertium is not installed")
    work = tmp_path_factory.mktemp("initialised")
    return work / "project", init(work / "project", texts, work)


@needs_omegat
@pytest.mark.skipif(not SEEDS, reason="no seed texts")
def test_omegat_fills_every_segment_from_our_tmx(
    initialised: tuple[Path, InitResult], texts: list[Path]
) -> None:
    project, result = initialised
    assert result.unmatched == ()

    run = translate_project(project)

    assert f"Reading TMX file {project / TMX}" in run.log
    assert run.segments == result.segments  # our simulation of OmegaT counted the same
    assert run.files["lyon.txt"][0] >= 60
    assert sum(run.files[path.name][0] for path in SEEDS) >= 30
    assert {name: left for name, (_, left) in run.files.items()} == {path.name: 0 for path in texts}
    assert run.remaining == 0
    # project_save.tmx holds one unit per distinct segment, each one of our segments
    saved = load_xml_safely(run.project_save).getroot()
    sources = {tu.findtext("tuv[1]/seg") for tu in saved.iter("tu")}
    ours = {
        segment
        for path in texts
        for paragraph in omegat_paragraphs(path.read_text("utf-8"))
        for segment in paragraph.expected
    }
    assert sources == ours
    # the translated files hold our translations
    memory = load_xml_safely(project / TMX).getroot()
    translations = [tu.findtext("tuv[2]/seg") or "" for tu in memory.iter("tu")]
    target = "\n".join(p.read_text("utf-8") for p in sorted(run.target.glob("*.txt")))
    assert all(translation in target for translation in translations)


@needs_omegat
@pytest.mark.skipif(not SEEDS, reason="no seed texts")
def test_omegat_default_segmentation_leaves_segments_empty(
    initialised: tuple[Path, InitResult], texts: list[Path], tmp_path: Path
) -> None:
    """The baseline: the same TMX in a project with OmegaT's own rules and text filter."""
    project = make_project(tmp_path, texts)
    shutil.copy(initialised[0] / TMX, project / "tm" / "auto" / "bilingual.tmx")

    run = translate_project(project)

    assert run.files["lyon.txt"][1] > 0
    assert run.remaining > 0


@needs_apertium
def test_init_writes_glossary_rules_and_a_marker(tmp_path: Path, texts: list[Path]) -> None:
    project = tmp_path / "project"
    result = init(project, texts[-1:], tmp_path)

    assert result.glossary == project / GLOSSARY
    glossary_lines = (project / GLOSSARY).read_text("utf-8").splitlines()
    assert any(line.startswith("Meta\tMeta\t") for line in glossary_lines)
    assert (project / "source" / "lyon.txt").read_bytes() == texts[-1].read_bytes()
    filters = load_xml_safely(project / "omegat" / "filters.xml").getroot()
    text_filter = filters.find("filter[@className='org.omegat.filters2.text.TextFilter']")
    assert text_filter is not None
    assert text_filter.find("option[@name='segmentOn']").get("value") == "BREAKS"
    marker = json.loads((project / "omegat" / "bilingual.json").read_text("utf-8"))
    assert set(marker["files"]) == {TMX.as_posix(), GLOSSARY.as_posix(), SEGMENTATION.as_posix()}


@needs_apertium
def test_init_again_adds_texts_and_keeps_what_omegat_rewrote(
    tmp_path: Path, texts: list[Path]
) -> None:
    project = tmp_path / "project"
    init(project, texts[-1:], tmp_path)
    # OmegaT saves the segmentation settings again in its own layout; that is no edit
    conf = project / SEGMENTATION
    written = conf.read_bytes()
    root = load_xml_safely(conf).getroot()
    root.set("version", "17.0.15")
    etree.indent(root, space=" ")
    conf.write_bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True))
    assert conf.read_bytes() != written

    result = init(project, texts[:1], tmp_path)

    assert result.added == (texts[0].name,)
    assert set(result.sources) == {texts[0].name, "lyon.txt"}
    assert result.recalled > 0  # the long text came back from the memory


@needs_apertium
def test_init_refuses_to_replace_a_source_or_an_edited_file(
    tmp_path: Path, texts: list[Path]
) -> None:
    project = tmp_path / "project"
    init(project, texts[-1:], tmp_path)
    other = tmp_path / "other" / "lyon.txt"
    other.parent.mkdir()
    other.write_text("Un autre texte.\n", encoding="utf-8")

    with pytest.raises(BilingualError, match="different text of this name"):
        init(project, [other], tmp_path)

    tmx = project / TMX
    tmx.write_bytes(tmx.read_bytes().replace(b"</body>", b"<!-- edited --></body>"))
    with pytest.raises(BilingualError, match="changed since bilingual omegat init wrote it"):
        init(project, texts[-1:], tmp_path)
    assert b"edited" in tmx.read_bytes()


def test_init_refuses_a_folder_that_is_not_its_project(tmp_path: Path) -> None:
    text = tmp_path / "texte.txt"
    text.write_text("Bonjour.\n", encoding="utf-8")
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mes notes\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["omegat", "init", str(folder), str(text), "--no-memory"])

    assert result.exit_code == 1
    assert result.output == (
        f"Error: {folder}: folder is not empty and is not an OmegaT project made by "
        "bilingual omegat init; choose a new or empty folder\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]


@needs_apertium
def test_cli_init_prints_a_json_summary(tmp_path: Path) -> None:
    text = tmp_path / "texte.txt"
    text.write_text("M. Dupont arrive. Il pleut, etc. Fin.\n", encoding="utf-8")

    result = CliRunner().invoke(
        cli,
        [
            "omegat",
            "init",
            str(tmp_path / "p"),
            str(text),
            "--engine",
            "apertium",
            "--no-memory",
            "--no-glossary",
            "--json",
        ],
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["sources"] == ["texte.txt"]
    assert summary["segments"] == 3
    assert summary["unmatched"] == []
    assert summary["glossary"] is None


def test_cli_init_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["omegat", "init", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "--no-glossary" in result.output and "--memory" in result.output


@needs_apertium
def test_init_refuses_to_replace_segmentation_rules_someone_changed(
    tmp_path: Path, texts: list[Path]
) -> None:
    project = tmp_path / "project"
    init(project, texts[-1:], tmp_path)
    conf = project / SEGMENTATION
    conf.write_text(conf.read_text("utf-8").replace("<string>FR.*</string>", "<string>FR</string>"))

    with pytest.raises(BilingualError, match="segmentation.conf: changed since"):
        init(project, texts[-1:], tmp_path)
