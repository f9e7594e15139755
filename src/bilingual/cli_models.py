"""``bilingual models``: install, list and remove Argos translation packages."""

from __future__ import annotations

import json
from pathlib import Path

import click

packages_option = click.option(
    "--packages-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Argos packages folder [default: $ARGOS_PACKAGES_DIR or Argos's own].",
)


@click.group("models")
def models_group() -> None:
    """Manage offline Argos translation models.

    Example:

        bilingual models install translate-fr_en-1_9.argosmodel
    """


@models_group.command("list")
@packages_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(packages_dir: Path | None, as_json: bool) -> None:
    """List installed models.

    Example:

        bilingual models list
    """
    from .engines.argos_packages import list_models

    models = list_models(packages_dir)
    if as_json:
        click.echo(json.dumps([model.to_json() for model in models], ensure_ascii=False))
        return
    if not models:
        click.echo("no Argos model installed", err=True)
    for model in models:
        click.echo(model.describe())


@models_group.command("install")
@click.argument("source", nargs=-1, required=True)
@packages_option
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Install the .argosmodel file on every worker of this Dask cluster (into "
                   "each worker's packages folder) instead of here.")
def install_command(source: tuple[str, ...], packages_dir: Path | None,
                    scheduler: str | None) -> None:
    """Install a model from a local .argosmodel file, or FROM TO from the Argos index.

    Example:

        bilingual models install translate-fr_en-1_9.argosmodel

        bilingual models install fr en

        bilingual models install translate-fr_en-1_9.argosmodel --scheduler tcp://10.0.0.5:8786
    """
    from .engines.argos_packages import install_from_index, install_model_file

    if scheduler:
        if len(source) != 1 or packages_dir is not None:
            raise click.UsageError(
                "--scheduler installs one FILE.argosmodel, into each worker's own packages folder"
            )
        from .textio import read_bytes
        from .translators.cluster import install_model_on_cluster

        installed = install_model_on_cluster(read_bytes(Path(source[0])), source[0], scheduler)
        for worker, description in installed.items():
            click.echo(f"installed {description} on {worker}", err=True)
        return
    if len(source) == 1:
        model = install_model_file(Path(source[0]), packages_dir)
    elif len(source) == 2:
        model = install_from_index(source[0], source[1], packages_dir)
    else:
        raise click.UsageError("give a FILE.argosmodel, or two language codes such as: fr en")
    click.echo(f"installed {model.describe()}", err=True)


@models_group.command("remove")
@click.argument("from_code")
@click.argument("to_code")
@packages_option
def remove_command(from_code: str, to_code: str, packages_dir: Path | None) -> None:
    """Remove the installed FROM→TO model.

    Example:

        bilingual models remove fr en
    """
    from .engines.argos_packages import remove_model

    for model in remove_model(from_code, to_code, packages_dir):
        click.echo(f"removed {model.describe()}", err=True)
