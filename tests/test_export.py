"""officeq export: the workbook and the CSV files hold the results tables, readably;
monthly.csv's backlog columns agree with the daily table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from cli_helpers import invoke, one_line_error

import officeq
from officeq.experiments.compare import metric_table
from officeq.experiments.export import export_tables, is_share
from officeq.experiments.folders import load_results
from officeq.experiments.workbook import DATE, DECIMAL, INTEGER, MONTH, PERCENT, plain_header

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
GROUPS = ("standard", "situational", "specially_adapted", "permanently_adapted")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run of three months and a sweep of 2 scenarios × 2 replications."""
    tmp = tmp_path_factory.mktemp("export")
    r = invoke("run", BASELINE, "--days", 70, "--warmup-days", 5, "--out", tmp / "run")
    assert r.exit_code == 0, r.output
    spec = tmp / "spec.yaml"
    spec.write_text(
        f"name: ex\nbase: {BASELINE}\nreplications: 2\nseed: 3\nhorizon_days: 45\n"
        "warmup_days: 5\ngrid:\n  staff.caseworkers: [14, 17]\n",
        encoding="utf-8",
    )
    r = invoke("sweep", spec, "--workers", 1, "--out", tmp / "sweep")
    assert r.exit_code == 0, r.output
    return {"run": tmp / "run", "sweep": tmp / "sweep", "tmp": tmp}


def sheet_frame(ws) -> tuple[list[str], pd.DataFrame]:  # type: ignore[no-untyped-def]
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), pd.DataFrame(rows[1:], columns=list(rows[0]))


# --- monthly backlog -------------------------------------------------------


def test_monthly_backlog_is_the_mean_and_the_last_of_the_months_days(
    made: dict[str, Path],
) -> None:
    res = load_results(made["run"])
    daily, monthly = res.daily, res.monthly
    assert monthly is not None and len(monthly) == 3  # Jan, Feb, Mar
    daily = daily.assign(month=pd.to_datetime(daily["date"]).dt.strftime("%Y-%m"))
    for suffix, level in [("", "followup_overdue")] + [
        (f"_{g}", f"followup_overdue_{g}") for g in GROUPS
    ]:
        by_month = daily.groupby("month")[level]
        got = monthly.set_index("month")
        np.testing.assert_allclose(got[f"followup_backlog_mean{suffix}"], by_month.mean())
        np.testing.assert_array_equal(got[f"followup_backlog_end{suffix}"], by_month.last())
    # the groups add up to the total, day by day and so month by month
    total = sum(monthly[f"followup_backlog_end_{g}"] for g in GROUPS)
    np.testing.assert_array_equal(total, monthly["followup_backlog_end"])


# --- the workbook ------------------------------------------------------------


def test_the_sweep_workbook_holds_the_results_tables(made: dict[str, Path]) -> None:
    out = made["tmp"] / "sweep.xlsx"
    r = invoke("export", made["sweep"], "--xlsx", out)
    assert r.exit_code == 0, r.output
    res = load_results(made["sweep"])
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["scenarios", "monthly", "daily"]
    tables = export_tables(res)
    for name in book.sheetnames:
        ws = book[name]
        assert ws.freeze_panes == "A2"
        headers, got = sheet_frame(ws)
        assert headers == [plain_header(c) for c in tables[name].columns]
        assert len(got) == len(tables[name])
    # the scenario table is officeq table's: means and intervals of every metric
    headers, got = sheet_frame(book["scenarios"])
    want = metric_table(res.runs, ["scenario", "staff_caseworkers"], ["inquiry_sla_hit_rate"])
    row = got[(got["Metric"] == "inquiry_sla_hit_rate") & (got["Staff caseworkers"] == 14)]
    assert row["Mean"].iloc[0] == pytest.approx(want["mean"].iloc[0])
    assert row["95% CI low"].iloc[0] == pytest.approx(want["ci_low"].iloc[0])
    assert row["95% CI high"].iloc[0] == pytest.approx(want["ci_high"].iloc[0])
    assert row["Replications"].iloc[0] == 2
    # the monthly sheet: each scenario's months, averaged over its replications
    headers, got = sheet_frame(book["monthly"])
    means = res.monthly.groupby(["staff_caseworkers", "month"])["followup_backlog_end"].mean()
    for _, r_ in got.iterrows():
        key = (r_["Staff caseworkers"], r_["Month"].strftime("%Y-%m"))
        assert r_["Followup backlog end"] == pytest.approx(means[key])
    # the daily sheet: the days' means, on real dates
    headers, got = sheet_frame(book["daily"])
    means = res.daily.groupby(["staff_caseworkers", "day"])["followup_overdue"].mean()
    for _, r_ in got.iterrows():
        assert r_["Followup overdue"] == pytest.approx(means[(r_["Staff caseworkers"], r_["Day"])])
    first = pd.Timestamp(res.daily["date"].min()).to_pydatetime()
    assert got["Date"].min() == first


def test_the_workbook_cells_are_numbers_with_formats(made: dict[str, Path]) -> None:
    out = made["tmp"] / "formats.xlsx"
    assert invoke("export", made["sweep"], "--xlsx", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    monthly = book["monthly"]
    headers = [c.value for c in monthly[1]]
    col = {h: i for i, h in enumerate(headers)}
    for row in monthly.iter_rows(min_row=2):
        hit = row[col["Inquiry SLA hit rate"]]
        assert isinstance(hit.value, float) and 0 <= hit.value <= 1
        assert hit.number_format == PERCENT
        assert row[col["Month"]].number_format == MONTH
        assert row[col["Month"]].is_date
        assert row[col["Followup backlog mean"]].number_format == DECIMAL
        assert row[col["Replications"]].number_format == INTEGER
    for row in book["daily"].iter_rows(min_row=2, max_row=5):
        date = row[[c.value for c in book["daily"][1]].index("Date")]
        assert date.is_date and date.number_format == DATE
    scen = book["scenarios"]
    for metric, mean in scen.iter_rows(min_row=2, min_col=3, max_col=4):
        assert mean.number_format == (PERCENT if is_share(metric.value) else DECIMAL)
        assert mean.value is None or isinstance(mean.value, int | float)
    # no number stored as text anywhere
    for ws in book:
        for row in ws.iter_rows(min_row=2, values_only=True):
            for v in row:
                if isinstance(v, str):
                    with pytest.raises(ValueError):
                        float(v.replace(",", "."))
        widths = [ws.column_dimensions[c].width for c in "ABC"]
        assert all(w >= 8 for w in widths)


def test_a_run_folder_exports_its_summary_monthly_and_daily(made: dict[str, Path]) -> None:
    out = made["tmp"] / "run.xlsx"
    assert invoke("export", made["run"], "--xlsx", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["summary", "monthly", "daily"]
    summary = json.loads((made["run"] / "summary.json").read_text())
    _, got = sheet_frame(book["summary"])
    values = dict(zip(got["Metric"], got["Value"], strict=True))
    for k, v in summary.items():
        assert values[k] == (pytest.approx(v) if v is not None else None), k
    hit = next(r for r in book["summary"].iter_rows(min_row=2) if r[0].value.endswith("hit_rate"))
    assert hit[1].number_format == PERCENT
    _, got = sheet_frame(book["monthly"])
    monthly = pd.read_csv(made["run"] / "monthly.csv")
    np.testing.assert_allclose(got["Followup backlog mean"], monthly["followup_backlog_mean"])


# --- CSV ---------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["sweep", "run"])
def test_excel_no_csv_reads_back_as_the_tables(made: dict[str, Path], folder: str) -> None:
    out = made["tmp"] / f"csv-{folder}"
    r = invoke("export", made[folder], "--csv", out, "--csv-dialect", "excel-no")
    assert r.exit_code == 0, r.output
    tables = export_tables(load_results(made[folder]))
    for name, table in tables.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
        back = pd.read_csv(out / f"{name}.csv", sep=";", decimal=",", encoding="utf-8-sig")
        assert list(back.columns) == list(table.columns)
        for c in table.columns:
            want = table[c]
            if pd.api.types.is_bool_dtype(want):
                want = want.astype(int)  # 1/0 in this dialect
            if pd.api.types.is_numeric_dtype(want):
                np.testing.assert_allclose(back[c], want.astype(float), rtol=1e-12, err_msg=c)
            elif c == "date":
                assert (pd.to_datetime(back[c]) == pd.to_datetime(want)).all()
            else:
                assert back[c].astype(str).tolist() == want.astype(str).tolist(), c


def test_plain_csv_is_commas_and_points(made: dict[str, Path]) -> None:
    out = made["tmp"] / "csv-plain"
    assert invoke("export", made["sweep"], "--csv", out).exit_code == 0
    text = (out / "monthly.csv").read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and ";" not in text.splitlines()[0]
    back = pd.read_csv(out / "monthly.csv")
    want = export_tables(load_results(made["sweep"]))["monthly"]
    np.testing.assert_allclose(back["inquiry_sla_hit_rate"], want["inquiry_sla_hit_rate"])


def test_the_api_writes_the_same_workbook(made: dict[str, Path], tmp_path: Path) -> None:
    path = officeq.export_xlsx(made["sweep"], tmp_path / "api.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["scenarios", "monthly", "daily"]


# --- bad input -----------------------------------------------------------------


def test_bad_export_input_is_one_line_and_writes_nothing(
    made: dict[str, Path], tmp_path: Path
) -> None:
    one_line_error(invoke("export", tmp_path / "nowhere", "--xlsx", tmp_path / "a.xlsx"), "nowhere")
    one_line_error(invoke("export", made["run"]), "--xlsx", "--csv")
    one_line_error(invoke("export", made["run"], "--xlsx", tmp_path / "a.csv"), "--xlsx", "a.csv")
    r = invoke("export", made["run"], "--csv", tmp_path, "--csv-dialect", "excel")
    assert r.exit_code == 2
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    r = invoke("export", made["run"], "--xlsx", tmp_path / "b.xlsx", "--csv", mine)
    one_line_error(r, "mine")
    assert not (tmp_path / "b.xlsx").exists()  # refused before anything was written
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())
    # an export folder is not a results folder
    assert invoke("export", made["run"], "--csv", tmp_path / "c").exit_code == 0
    one_line_error(invoke("export", tmp_path / "c", "--xlsx", tmp_path / "d.xlsx"), "export")


def test_a_misspelt_metric_of_a_sweep_folder_gets_a_suggestion(made: dict[str, Path]) -> None:
    r = invoke("table", made["sweep"], "--metric", "inquiry_sla_hitrate")
    one_line_error(r, "did you mean 'inquiry_sla_hit_rate'?")
    r = invoke("plot", made["sweep"], "--kind", "staffing", "--metric", "followup_backlog_meen")
    one_line_error(r, "did you mean 'followup_backlog_mean'?")


def test_a_staffing_folder_exports_its_scenario_table(tmp_path: Path) -> None:
    out = tmp_path / "staff"
    r = invoke(
        "staff", BASELINE, "--set", "horizon_days=40", "--set", "warmup_days=5",
        "--target", "inquiry_sla_hit_rate>=0.9", "--min", 14, "--max", 15,
        "--workers", 1, "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert invoke("export", out, "--xlsx", tmp_path / "s.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["scenarios"]  # no daily or monthly series in such a folder
    res = load_results(out)
    _, got = sheet_frame(book["scenarios"])
    hit = got[got["Metric"] == "inquiry_sla_hit_rate"]
    assert len(hit) == res.runs["scenario_id"].nunique()
    means = res.runs.groupby("scenario")["inquiry_sla_hit_rate"].mean()
    for _, row in hit.iterrows():
        assert row["Mean"] == pytest.approx(means[row["Scenario"]])
