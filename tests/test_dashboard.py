"""The dashboard in a real browser (issue 20 item 7): Debian's Chromium, headless, driven by Playwright against
`coopsim dashboard` as a planner would use it: load the page, run a split, move the budget slider and see the
figures change, keep scenarios, switch to Chinese, download the briefing PDF and the table, find the best split."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from sim.plan.scenario import split_for

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_shares_become_yuan_adding_up_to_the_budget():
    """Weights 1 and 3 of 100 yuan: 25 and 75; a negative weight counts as none."""
    assert split_for(100.0, {"a": 1.0, "b": 3.0, "c": -2.0}) == {"a": 25.0, "b": 75.0, "c": 0.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail("CI must install Debian's chromium (.ci/run)")
        pytest.skip("no /usr/bin/chromium")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sim", "dashboard", "--port", str(port), "--years", "2",
                             "--replicates", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _results(page) -> str:
    page.get_by_text("Extra income gained by the registered poor").wait_for(timeout=120_000)
    page.locator("button.run:not([disabled])").wait_for(timeout=120_000)
    return page.locator("table").first.inner_text()


def test_a_planner_runs_a_split_moves_the_budget_switches_language_and_downloads(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(tempfile.mkdtemp(dir=tmp_path), executable_path=str(CHROMIUM),
                                                       headless=True, args=ARGS, accept_downloads=True)
        page = browser.new_page()
        page.goto(server)
        page.locator("h2", has_text="Programme budget").wait_for(timeout=60_000)
        page.locator("button.run").click()
        first = _results(page)
        page.locator("button.keep").click()
        slider = page.locator(".budget [role=slider]").first
        before = float(slider.get_attribute("aria-valuenow"))
        slider.focus()
        slider.press("End")
        assert float(slider.get_attribute("aria-valuenow")) > before * 5  # ten times the sample's share
        page.locator("button.run").click()
        page.wait_for_function("t => !document.querySelector('table') || "
                               "document.querySelector('table').innerText !== t", arg=first, timeout=120_000)
        second = _results(page)
        assert second != first  # ten times the money: other figures
        page.locator("button.keep").click()
        page.locator("button.lang").click()
        page.locator("h2", has_text="扶贫项目资金").wait_for(timeout=30_000)
        assert "建档立卡贫困人口多增收入" in page.content()
        with page.expect_download() as pdf:
            page.get_by_text("下载简报（PDF）").click()
        assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"
        with page.expect_download() as csv:
            page.get_by_text("下载表格（CSV）").click()
        assert len(Path(csv.value.path()).read_text().strip().splitlines()) == 3  # header and two kept scenarios
        training = page.locator(".share-training [role=slider]").first
        training.focus()
        training.press("End")  # a lopsided split: most of the money on training
        shares = page.locator("[class^=share-] [role=slider]")
        before = [shares.nth(i).get_attribute("aria-valuenow") for i in range(shares.count())]
        page.locator("button.optimise").click()
        page.get_by_text("滑块已设为找到的最优分配").wait_for(timeout=300_000)
        after = [shares.nth(i).get_attribute("aria-valuenow") for i in range(shares.count())]
        assert len(before) == 8 and after != before  # the best split found (seeded: the same every time) is on
        assert sum(map(float, after)) == pytest.approx(100, abs=1)  # the sliders, as shares of the budget
        browser.close()
