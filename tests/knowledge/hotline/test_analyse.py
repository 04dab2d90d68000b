"""The command line: end to end as a subprocess, and in process on the whole sample with the
session's analyser (outputs, bad lines, exit codes, personal numbers)."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from knowledge.hotline.analyse import CACHE_NAME, main, settings_for
from knowledge.hotline.analysis import CallAnalyser
from knowledge.hotline.report import CSV_COLUMNS
from knowledge.settings import get_settings
from tests.knowledge.hotline.conftest import BAD_SAMPLE, SAMPLE, raw_numbers

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def csv_text(self) -> str:
        return (self.out / "calls.csv").read_text(encoding="utf-8-sig")

    @property
    def rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(self.csv_text.splitlines()))

    @property
    def html(self) -> str:
        return (self.out / "report.html").read_text(encoding="utf-8")

    @property
    def everything(self) -> str:
        return "\n".join([self.stdout, self.stderr, self.csv_text, self.html])


def run_cli(calls: Path, out: Path, *extra: str) -> Run:
    # the index the session's analyser already built (conftest): a fresh one takes minutes
    env = {**os.environ, "KNOWLEDGE_DATA_DIR": str(get_settings().data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "knowledge.hotline.analyse", str(calls), "--out", str(out), *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr, out)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The real command, from a fresh process, on the file with bad lines."""
    return run_cli(BAD_SAMPLE, tmp_path_factory.mktemp("bad"))


@pytest.fixture
def sample_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], analyser: CallAnalyser, sample: object) -> Run:
    """`main` on the whole sample; `sample` first, so that its searches are already made."""
    code = main([str(SAMPLE), "--out", str(tmp_path)], analyser=analyser)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err, tmp_path)


def _svg_counts(html: str, chart: str, css: str) -> list[int]:
    svg = re.search(rf'<svg id="{chart}".*?</svg>', html, re.S)
    assert svg, chart
    return [int(c) for c in re.findall(rf'class="{css}"[^>]*data-count="(\d+)"', svg.group(0))]


def test_end_to_end_bad_lines_are_reported_and_the_rest_analysed(bad_run: Run) -> None:
    assert bad_run.code == 0, bad_run.stderr
    assert [r["call_id"] for r in bad_run.rows] == ["BAD-TEST-001", "BAD-TEST-008", "BAD-TEST-013"]
    assert (bad_run.out / "calls.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    lines = [int(n) for n in re.findall(r"skipped line (\d+):", bad_run.stderr)]
    assert lines == [2, 3, 4, 5, 6, 7, 10, 11, 12]
    assert [int(n) for n in re.findall(r'<li data-line="(\d+)">', bad_run.html)] == lines
    assert bad_run.stdout.startswith("3 calls analysed, 9 bad lines skipped")
    assert "work order BAD-TEST-013 -> 税务 (投诉)" in bad_run.stdout


def test_end_to_end_a_progress_bar_is_shown_on_stderr(bad_run: Run) -> None:
    assert re.search(r"analysing calls: 100%\|.*\| 3/3", bad_run.stderr)
    assert "analysing calls" not in bad_run.stdout


def test_end_to_end_no_raw_personal_number_in_any_output(bad_run: Run) -> None:
    assert [n for n in raw_numbers(BAD_SAMPLE) if n in bad_run.everything] == []
    assert "139****7788" in bad_run.csv_text  # masked, not dropped


def test_the_sample_is_analysed_into_a_csv_and_a_report(sample_run: Run) -> None:
    assert sample_run.code == 0, sample_run.stderr
    calls = SAMPLE.read_text(encoding="utf-8").count("\n")
    assert len(sample_run.rows) == calls and tuple(sample_run.rows[0]) == CSV_COLUMNS
    assert sample_run.stdout.startswith(f"{calls} calls analysed, 0 bad lines skipped")
    assert "work order HL-20261104-024 -> 车管 (投诉)" in sample_run.stdout
    assert f"| {calls}/{calls}" in sample_run.stderr  # the progress bar


def test_no_raw_personal_number_from_the_sample_in_any_output(sample_run: Run) -> None:
    outputs = {
        "csv": sample_run.csv_text,
        "html": sample_run.html,
        "stdout": sample_run.stdout,
        "stderr": sample_run.stderr,
    }
    numbers = raw_numbers(SAMPLE)
    leaks = {name: [n for n in numbers if n in text] for name, text in outputs.items()}
    assert leaks == {name: [] for name in outputs}
    assert "136****5521" in outputs["csv"] and "136****5521" in outputs["html"]  # masked, not dropped


def test_the_report_charts_agree_with_the_csv(sample_run: Run) -> None:
    rows, html = sample_run.rows, sample_run.html
    hours = Counter(datetime.fromisoformat(r["start_time"]).hour for r in rows)
    assert _svg_counts(html, "chart-hours", "hour") == [hours[h] for h in range(24)]
    outcomes = Counter(r["outcome"] for r in rows)
    slices = re.findall(r'class="slice"[^>]*data-label="([^"]+)" data-count="(\d+)"', html)
    assert {label: int(n) for label, n in slices} == dict(outcomes)
    asked = Counter(n for r in rows for n in (r["matters"] + "；" + r["policies"]).split("；") if n)
    top = html.split('id="chart-top-matters"')[1].split("</svg>")[0]
    bars = re.findall(r'class="bar"[^>]*data-label="([^"]+)" data-count="(\d+)"', top)
    assert len(bars) == min(10, len(asked)) and bars[0] == ("机动车驾驶证期满换证", "3")
    assert all(asked[label] == int(n) for label, n in bars)
    gaps = sum(len(r["knowledge_gaps"].split(" / ")) for r in rows if r["knowledge_gaps"])
    table = re.search(r'<table id="gaps">.*?</table>', html, re.S)
    assert table and table.group(0).count("<tr>") == gaps + 1 and gaps >= 5


def test_work_orders_in_the_csv(sample_run: Run) -> None:
    rows = {r["call_id"]: r for r in sample_run.rows}
    assert rows["HL-20261104-024"]["outcome"] == "转工单"
    assert rows["HL-20261104-024"]["work_order_reasons"] == "投诉"
    assert rows["HL-20261104-024"]["department"] == "长春市公安局交通警察支队车辆管理所"
    assert rows["HL-20261102-001"]["catalog_answer"].startswith("【机动车驾驶证期满换证】")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    run = run_cli(tmp_path / "nope.jsonl", tmp_path / "out")
    assert run.code == 2 and "error: cannot read" in run.stderr and "nope.jsonl" in run.stderr
    assert not (tmp_path / "out").exists()


def test_an_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    run = run_cli(tmp_path / "empty.jsonl", tmp_path / "out")
    assert run.code == 1 and "error: no call to analyse" in run.stderr and "the file is empty" in run.stderr


def test_a_file_of_bad_lines_only_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"call_id": 1}\nnot json\n', encoding="utf-8")
    run = run_cli(tmp_path / "bad.jsonl", tmp_path / "out")
    assert run.code == 1 and "all 2 lines are bad" in run.stderr
    assert "skipped line 1: call_id" in run.stderr and "skipped line 2: invalid JSON" in run.stderr


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    run = run_cli(SAMPLE, tmp_path / "taken")
    assert run.code == 2 and "cannot create output directory" in run.stderr


def test_the_index_cache_goes_under_out_unless_knowledge_data_dir_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: the report wrote its index cache into the checkout's var/ whatever --out said.
    monkeypatch.delenv("KNOWLEDGE_DATA_DIR", raising=False)
    get_settings.cache_clear()
    try:
        assert settings_for(tmp_path / "report").data_dir == tmp_path / "report" / CACHE_NAME
        monkeypatch.setenv("KNOWLEDGE_DATA_DIR", str(tmp_path / "shared"))
        get_settings.cache_clear()
        assert settings_for(tmp_path / "report").data_dir == tmp_path / "shared"
    finally:
        get_settings.cache_clear()
