"""The `coopsim` command line. Heavy imports live inside the commands so `--help` is instant."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from sim.errors import UserInputError

app = typer.Typer(
    name="coopsim",
    help="Simulate cooperative-driven poverty alleviation in rural China (Mesa agents, SimPy calendar).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Simulate cooperative-driven poverty alleviation in rural China (Mesa agents, SimPy calendar)."""


def _progress_enabled() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")


@app.command()
def run(
    config: Annotated[Optional[Path], typer.Argument(help="Config YAML (default: the built-in typical village, "
                                                          "as in configs/village.yaml).")] = None,
    years: Annotated[Optional[int], typer.Option(help="Years to simulate (default: the config's `years`).",
                                                 min=1, max=100)] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same results.", min=0)] = 1,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a setting: dotted.key=value "
                                                      "(repeatable), e.g. cooperative.wage_yuan_per_mu_year=300 "
                                                      "or 'policies=[cooperative,land_shares,distribution]'.")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Results folder (default: results/<config>-seed<seed>).")] = None,
    quiet: Annotated[bool, typer.Option(help="No table, no progress bar.")] = False,
) -> None:
    """Run one village (or county) and write its results folder (manifest.json + Parquet tables)."""
    import datetime as dt

    from sim.config import load_config
    from sim.run import simulate, write_run

    started = dt.datetime.now(dt.timezone.utc)
    cfg = load_config(config, set_ or None)
    if years is not None:
        cfg.years = years
    out = out or Path("results") / f"{config.stem if config else 'village'}-seed{seed}"
    if out.exists() and not out.is_dir():
        raise UserInputError("exists and is not a folder", file=str(out), field="--out")
    if quiet or not _progress_enabled():
        result = simulate(cfg, seed=seed)
    else:
        from tqdm import tqdm

        with tqdm(total=cfg.years * 12, unit="month", desc="simulating", file=sys.stderr, leave=False) as bar:
            result = simulate(cfg, seed=seed, on_month=lambda done, total: bar.update(done - bar.n))
    write_run(out, result, started=started)
    if not quiet:
        from sim.report_table import print_yearly_table

        print_yearly_table(result)
        typer.echo(f"results: {out}")


def main() -> None:
    """Entry point: bad input is one message on stderr and exit code 2, never a traceback."""
    try:
        app()
    except UserInputError as err:
        typer.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
