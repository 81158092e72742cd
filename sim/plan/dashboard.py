"""`coopsim dashboard`: a local web page (Solara) where a planner picks a county sample, sets the budget and each
line's share with sliders, runs shared-seed replicates with progress, reads the headline figures against no
programme money, keeps scenarios side by side, starts an optimisation, downloads a briefing PDF and the tables.

Why Solara: Mesa's own SolaraViz builds on it, so it is the ecosystem's choice; pages are plain Python
components with reactive state (no JavaScript, no callbacks wiring), threaded tasks report progress, and the
server is embedded (`solara run`), so the page runs from the README set-up with one command."""

from __future__ import annotations

import base64
import html
import os

import pandas as pd
import solara
from solara.lab import task

from sim.charts import FONT_FILE
from sim.plan import scenario as sc
from sim.plan.dashboard_text import figure, line_label, tr
from sim.plan.optimise import Settings, optimise_at

YEARS = int(os.environ.get("COOPSIM_DASHBOARD_YEARS", "10"))
REPLICATES = int(os.environ.get("COOPSIM_DASHBOARD_REPLICATES", "4"))

lang = solara.reactive("en")
place = solara.reactive("county6")
budget_m = solara.reactive(round(sc.default_budget("county6") / 1e6, 1))
shares = {k: solara.reactive(round(v * 100, 1)) for k, v in sc.default_shares().items()}
replicates = solara.reactive(REPLICATES)
kept = solara.reactive(pd.DataFrame())
message = solara.reactive("")


def font_css() -> str:
    """The bundled Chinese font (sim/fonts) for the page, so Chinese renders on a machine without CJK fonts."""
    data = base64.b64encode(FONT_FILE.read_bytes()).decode()
    return (f"@font-face {{font-family: 'Coopsim Sans SC'; src: url(data:font/otf;base64,{data});}}"
            " body, .v-application, .v-application * {font-family: Roboto, 'Coopsim Sans SC', sans-serif;}")


FONT_CSS = font_css()


def current_shares() -> dict[str, float]:
    return {k: v.value for k, v in shares.items()}


@task
def run_split():
    def progress(done: int, total: int) -> None:
        run_split.progress = 100.0 * done / total

    runs = sc.run_scenario(place.value, budget_m.value * 1e6, current_shares(), replicates.value, YEARS,
                           on_run=progress)
    return sc.headline(runs)


@task
def optimise_split():
    problem = sc.problem_for(place.value, YEARS)
    problem.scenarios = {"current": sc.split_for(budget_m.value * 1e6, current_shares())}
    settings = Settings(trials=6, search_seeds=2, fresh_seeds=max(replicates.value, 2), finalists=1)
    done = [0]

    def log(_m: str) -> None:
        done[0] += 1
        optimise_split.progress = min(100.0, 100.0 * done[0] / 5)

    found = optimise_at(problem, settings, budget_m.value * 1e6, log, references=False)
    return found.splits[found.optimal]


def apply_best() -> None:
    """Once an optimisation has finished, its split goes to the sliders (in the page's context, not the task's)."""
    best = optimise_split.value if optimise_split.finished else None
    if best:
        total = sum(best.values()) or 1.0
        for k, v in best.items():
            shares[k].value = round(100 * v / total, 1)
        message.value = "optimised"


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """A link that downloads `data` (embedded: the page needs no file route on the server)."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return f'<a class="download" download="{filename}" href="{href}">{html.escape(label)}</a>'


def markdown_table(table: pd.DataFrame) -> str:
    head = "| " + " | ".join(map(str, table.columns)) + " |\n|" + "---|" * len(table.columns)
    return head + "".join("\n| " + " | ".join(map(str, row)) + " |" for row in table.itertuples(index=False))


def keep(result: dict) -> None:
    row = {"scenario": f"{len(kept.value) + 1}", "budget_million_yuan": budget_m.value,
           **{f"share:{k}": v for k, v in current_shares().items()},
           **{k: figure(k, result[k], "en") for k in sc.HEADLINE}}
    kept.value = pd.concat([kept.value, pd.DataFrame([row])], ignore_index=True)


@solara.component
def Controls():  # noqa: N802 - Solara components are named like classes
    lg = lang.value
    names = {tr(k, lg): k for k in sc.PLACES}

    def pick(label: str) -> None:
        place.set(names[label])
        budget_m.set(round(sc.default_budget(names[label]) / 1e6, 1))

    solara.Select(tr("place", lg), values=list(names), value=tr(place.value, lg), on_value=pick)
    top = round(sc.default_budget(place.value) / 1e5, 1)  # up to ten times the county sample's share
    with solara.Div(classes=["budget"]):
        solara.SliderFloat(tr("budget", lg), value=budget_m, min=0.0, max=top, step=0.1, thumb_label="always")
    with solara.Div(classes=["replicates"]):
        solara.SliderInt(tr("replicates", lg), value=replicates, min=2, max=30, thumb_label="always")
    solara.Markdown(f"**{tr('shares', lg)}**")
    for k, v in shares.items():
        with solara.Div(classes=[f"share-{k}"]):
            solara.SliderFloat(line_label(k, lg), value=v, min=0.0, max=100.0, step=0.5, thumb_label="always")


@solara.component
def Results():  # noqa: N802
    lg = lang.value
    busy = run_split.pending or optimise_split.pending
    solara.use_effect(apply_best, [optimise_split.value])
    with solara.Row():
        solara.Button(tr("run", lg), on_click=run_split, disabled=busy, color="primary", classes=["run"])
        solara.Button(tr("optimise", lg), on_click=optimise_split, disabled=busy, classes=["optimise"])
        if run_split.finished and run_split.value:
            solara.Button(tr("keep", lg), on_click=lambda: keep(run_split.value), classes=["keep"])
    if busy:
        solara.ProgressLinear((run_split.progress if run_split.pending else optimise_split.progress) or True)
    for job in (run_split, optimise_split):
        if job.error:
            solara.Error(f"{type(job.exception).__name__}: {job.exception}")
    if message.value == "optimised" and not busy:
        solara.Markdown(f"*{tr('optimised', lg)}*")
    result = run_split.value if run_split.finished else None
    if not result:
        solara.Text(tr("none", lg))
        return
    rows = "\n".join(f"| {tr(k, lg)} | {figure(k, result[k], lg)} |" for k in sc.HEADLINE)
    solara.Markdown(f"{tr('vs', lg)}\n\n| | |\n|---|---:|\n{rows}")


@solara.component
def Kept():  # noqa: N802
    lg = lang.value
    if not len(kept.value):
        return
    solara.Markdown(f"### {tr('kept', lg)}")
    shown = kept.value[["scenario", "budget_million_yuan", *sc.HEADLINE]]
    solara.Markdown(markdown_table(shown.rename(columns={k: tr(k, lg) for k in sc.HEADLINE}
                                                | {"scenario": tr("scenario", lg), "budget_million_yuan":
                                                   tr("budget", lg)})))
    pdf = solara.use_memo(lambda: sc.briefing_pdf(kept.value, tr("title", lg)), [kept.value, lg])
    csv = kept.value.to_csv(index=False).encode("utf-8")
    solara.HTML(tag="div", unsafe_innerHTML=download_link(pdf, "briefing.pdf", "application/pdf",
                                                          tr("download_pdf", lg))
                + " &nbsp; " + download_link(csv, "scenarios.csv", "text/csv", tr("download_csv", lg)))


@solara.component
def Page():  # noqa: N802 - `solara run` serves the component named Page
    lg = lang.value
    solara.Title(tr("title", lg))
    solara.Style(FONT_CSS)
    with solara.Column(style={"padding": "12px", "max-width": "1100px"}):
        with solara.Row():
            solara.Markdown(f"## {tr('title', lg)}")
            solara.Button(tr("lang", lg), on_click=lambda: lang.set("zh" if lg == "en" else "en"),
                          classes=["lang"])
        with solara.Columns([1, 2]):
            with solara.Column():
                Controls()
            with solara.Column():
                Results()
                Kept()
