"""``officeq calibrate`` on synthetic files drawn from known configs: estimators,
intervals, the written YAML, the report, and bad data refused in one line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from calibrate_helpers import coverage_rows, event_log, table_text, true_config, write_csvs
from cli_helpers import invoke
from scipy import stats

from officeq.config.loading import dump_config, load_config
from officeq.config.yamlfile import load_yaml
from officeq.data import eventlog, tables
from officeq.data.calibrate import calibrate
from officeq.data.fitting import fit_distribution, share_ci
from officeq.data.yamlout import render

DAYS = 180


def allowed_misses(n: int, level: float = 0.95, risk: float = 1e-4) -> int:
    """Most misses of ``n`` independent 95% intervals a correct fit shows except with
    probability ``risk`` (the binomial upper quantile)."""
    return int(stats.binom.ppf(1 - risk, n, 1 - level))


@pytest.fixture(scope="module")
def files(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("synthetic")
    cfg = true_config()
    paths = write_csvs(folder, event_log(cfg, DAYS, seed=11))
    base = folder / "true.yaml"
    base.write_text(dump_config(cfg))
    return cfg, paths, base


@pytest.fixture(scope="module")
def fitted(files):  # type: ignore[no-untyped-def]
    cfg, paths, base = files
    return cfg, calibrate(*paths, base=base)


def test_every_interval_covers_the_truth_but_a_binomial_few(fitted) -> None:
    cfg, cal = fitted
    rows = coverage_rows(cal, cfg)
    print("\n" + table_text(rows))
    assert len(rows) >= 18
    misses = [r[0] for r in rows if not r[5]]
    assert len(misses) <= allowed_misses(len(rows)), misses


def test_the_arrival_volume_and_digital_share_invert_the_model(fitted) -> None:
    cfg, cal = fitted
    for name in ("inquiry", "income_support"):
        s = cal.streams[f"work.{name}"]
        spec = getattr(cfg.work, name)
        assert s.arrivals_per_day.covers(spec.arrivals_per_day)
        assert s.digital_share.covers(spec.digital_share)
        assert s.arrivals_per_day.method == "exact Poisson"


def test_profiles_recover_a_peaked_week_and_day(tmp_path) -> None:
    weekday = [1.4, 1.1, 1.0, 0.9, 0.6, 0.3, 0.2]
    hours = [0] * 8 + [2.0, 1.5, 1.2, 1.0, 0.8, 0.7, 0.5, 0.3] + [0] * 8
    digital = [0.2] * 7 + [1.5] * 10 + [0.5] * 7
    inquiry = {
        "arrivals_per_day": 150,
        "digital_share": 0.5,
        "weekday_profile": weekday,
        "hour_profile": hours,
        "digital_hour_profile": digital,
    }
    cfg = true_config(work={**true_config().model_dump()["work"], "inquiry": inquiry})
    paths = write_csvs(tmp_path, event_log(cfg, 140, seed=5))
    (tmp_path / "true.yaml").write_text(dump_config(cfg))
    s = calibrate(*paths, base=tmp_path / "true.yaml").streams["work.inquiry"]
    assert s.arrivals_per_day.covers(150) and s.digital_share.covers(0.5)
    w = np.array(weekday) / np.mean(weekday[:5])
    fit_w = np.array(list(s.weekday_profile.values()))
    counts = s.observed["phone_weekday"] + s.observed["digital_weekday"]
    assert np.all(np.abs(fit_w - w) <= 5 * w / np.sqrt(counts))  # 5 Poisson standard errors
    h = np.array(hours, float)
    h_true = h / h[h > 0].mean()
    fit_h = np.array(s.hour_profile)
    assert np.all(fit_h[h == 0] == 0)  # no phone arrivals while closed
    n_h = np.maximum(s.observed["phone_hour"], 1)
    assert np.all(np.abs(fit_h - h_true)[h > 0] <= 5 * h_true[h > 0] / np.sqrt(n_h[h > 0]))
    d_true = np.array(digital) / np.mean(digital)
    n_d = s.observed["digital_hour"]
    assert np.all(np.abs(np.array(s.digital_hour_profile) - d_true) <= 5 * d_true / np.sqrt(n_d))


@pytest.mark.parametrize(
    ("dist", "sample"),
    [
        ("gamma", lambda r: r.gamma(4.0, 5.0, 4000)),
        ("lognormal", lambda r: r.lognormal(2.0, 0.6, 4000)),
    ],
)
def test_aic_picks_the_family_that_made_the_data(dist, sample) -> None:
    fit = fit_distribution(sample(np.random.default_rng(3)))
    assert fit.dist == dist
    assert set(fit.aic) == {"exponential", "lognormal", "gamma"}
    assert fit.ks < 0.03  # Kolmogorov-Smirnov distance of a right fit at n = 4000


def test_mean_intervals_cover_at_their_level() -> None:
    rng = np.random.default_rng(8)
    n_rep = 200
    hits = sum(
        fit_distribution(rng.lognormal(3.0, 0.5, 60)).mean.covers(np.exp(3.125))
        for _ in range(n_rep)
    )
    lo, hi = stats.binom.ppf([1e-4, 1 - 1e-4], n_rep, 0.95)
    assert lo <= hits <= hi


def test_censored_intervals_are_fitted_without_bias() -> None:
    rng = np.random.default_rng(4)
    x = rng.gamma(6.0, 5.0, 3000)  # mean 30
    cut = rng.uniform(0, 60, x.size)
    fit = fit_distribution(np.minimum(x, cut), x > cut)
    assert fit.censored > 500
    assert fit.mean.covers(30.0)


def test_clopper_pearson_is_exact_at_the_edges() -> None:
    assert share_ci(0, 10)[0] == 0 and share_ci(10, 10)[1] == 1
    lo, hi = share_ci(5, 10)
    assert lo < 0.5 < hi


def test_the_yaml_reads_back_and_comments_every_number(fitted, tmp_path) -> None:
    _, cal = fitted
    text = render(cal)
    assert load_yaml(text) == cal.config
    out = tmp_path / "office.yaml"
    out.write_text(text)
    cfg = load_config(out)
    assert cfg.work.inquiry.arrivals_per_day == cal.config["work"]["inquiry"]["arrivals_per_day"]
    lines: dict[str, str] = {}  # the first line of each key (inquiry before income support)
    for ln in text.splitlines():
        if not ln.startswith("#"):
            lines.setdefault(ln.split(":")[0].strip(), ln)
    assert "# fitted: " in lines["arrivals_per_day"] and "95%" in lines["arrivals_per_day"]
    assert "inquiries, 2025-01-06..2025-07-04" in lines["arrivals_per_day"]
    assert "from --base" in lines["admin_share"] and "cannot give it" in lines["admin_share"]
    assert "AIC" in lines["duration_minutes"] and "KS" in lines["duration_minutes"]
    assert "exact Poisson" in lines["exit_to_work_per_year"]


def test_the_command_writes_a_config_that_runs_and_a_report(files, tmp_path) -> None:
    _, paths, base = files
    out, report = tmp_path / "my_office.yaml", tmp_path / "fit.html"
    events = tmp_path / "events.parquet"
    pd.read_csv(paths[0]).assign(
        **{c: lambda t, c=c: pd.to_datetime(t[c]) for c in eventlog.EVENT_TIMES}
    ).to_parquet(events)
    r = invoke(
        "calibrate",
        events,
        "--caseload",
        paths[1],
        "--staff",
        paths[2],
        "--base",
        base,
        "--out",
        out,
        "--report",
        report,
    )
    assert r.exit_code == 0, r.output
    assert "left out" in r.output
    cfg = load_config(out)
    assert cfg.staff.caseworkers == 12
    page = report.read_text()
    assert page.count("data:image/png;base64,") >= 8
    assert "Q-Q plot" in page and "Rows left out" in page
    r = invoke("run", out, "--days", 20, "--warmup-days", 5)
    assert r.exit_code == 0, r.output


def test_without_caseload_or_staff_the_base_gives_them(files, tmp_path) -> None:
    _, paths, base = files
    cal = calibrate(paths[0], base=base)
    assert "work.followup.caseload" in cal.base_notes
    assert cal.base_notes["staff.absence_rate"] == "no --staff file"
    assert "work.followup.groups.standard.interval_days" in cal.dists
    assert "from --base" in render(cal).split("caseload:")[1].splitlines()[0]


def _bad(tmp_path, edit, name="events.csv"):  # type: ignore[no-untyped-def]
    cfg = true_config()
    events, caseload, staff = event_log(cfg, 20, seed=1)
    tables = {"events.csv": events, "caseload.csv": caseload, "staff.csv": staff}
    paths = write_csvs(tmp_path, tables.values())
    path = tmp_path / name
    edit(path)
    out = tmp_path / "out.yaml"
    r = invoke(
        "calibrate",
        paths[0],
        "--caseload",
        paths[1],
        "--staff",
        paths[2],
        "--out",
        out,
        "--report",
        tmp_path / "fit.html",
    )
    assert r.exit_code == 2, r.output
    assert not out.exists() and not (tmp_path / "fit.html").exists()
    assert len(r.stderr.strip().splitlines()) == 1
    return r.stderr


def _edit_csv(change):  # type: ignore[no-untyped-def]
    def edit(path):  # type: ignore[no-untyped-def]
        t = pd.read_csv(path, dtype=str, keep_default_na=False)
        t = change(t)
        t.to_csv(path, index=False)

    return edit


def _set(col, row, value):  # type: ignore[no-untyped-def]
    def change(t):  # type: ignore[no-untyped-def]
        t.loc[row, col] = value
        return t

    return _edit_csv(change)


@pytest.mark.parametrize(
    ("edit", "name", "words"),
    [
        (_edit_csv(lambda t: t.drop(columns="finished")), "events.csv", ["'finished' is missing"]),
        (_set("arrived", 4, "06/01/2025 08:00"), "events.csv", ["'arrived'", "line 6", "ISO 8601"]),
        (
            _set("finished", 3, "2025-01-06T00:00:01"),
            "events.csv",
            ["'finished'", "line 5", "before"],
        ),
        (_set("started", 7, "2025-01-07T09:00:00+01:00"), "events.csv", ["'started'", "time zone"]),
        (_edit_csv(lambda t: t.iloc[:0]), "events.csv", ["empty"]),
        (_set("kind", 2, "complaint"), "events.csv", ["'kind'", "line 4", "not one of"]),
        (_set("task_id", 9, "0"), "events.csv", ["'task_id'", "line 11", "repeats"]),
        (
            _set("exit_reason", 0, "moved"),
            "caseload.csv",
            ["caseload.csv", "'exit_reason'", "line 2"],
        ),
        (_set("absent_to", 0, ""), "staff.csv", ["staff.csv", "'absent_to'", "line 2"]),
    ],
)
def test_bad_data_is_one_line_naming_file_column_and_line(tmp_path, edit, name, words) -> None:
    err = _bad(tmp_path, edit, name)
    assert name in err
    for w in words:
        assert w in err, err


def test_mixed_time_zones_are_refused_but_one_zone_is_read(tmp_path) -> None:
    def zone(offsets):  # type: ignore[no-untyped-def]
        def change(t):  # type: ignore[no-untyped-def]
            for c in eventlog.EVENT_TIMES:
                t[c] = t[c].where(t[c] == "", t[c] + offsets[0])
            t.loc[3, "arrived"] = t.loc[3, "arrived"][:19] + offsets[1]
            return t

        return _edit_csv(change)

    err = _bad(tmp_path, zone(["+01:00", "+02:00"]))
    assert "mixes time zones" in err and "line 5" in err
    events, *_ = event_log(true_config(), 20, seed=1)
    path = write_csvs(tmp_path, [events, *event_log(true_config(), 20, seed=1)[1:]])[0]
    zone(["+01:00", "+01:00"])(path)
    assert eventlog.read_events(path).table["arrived"].dt.tz is None


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch) -> None:
    events, caseload, staff = event_log(true_config(), 20, seed=1)
    path = write_csvs(tmp_path, [events, caseload, staff])[0]
    monkeypatch.setattr(tables, "MAX_ROWS", 100)
    with pytest.raises(eventlog.DataError, match="more than 100 rows"):
        eventlog.read_events(path)
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1000)
    with pytest.raises(eventlog.DataError, match="GiB"):
        eventlog.read_events(path)


def test_a_period_shorter_than_a_week_is_refused(tmp_path) -> None:
    events, caseload, staff = event_log(true_config(), 4, seed=1)
    paths = write_csvs(tmp_path, [events, caseload, staff])
    r = invoke("calibrate", paths[0], "--out", tmp_path / "o.yaml")
    assert r.exit_code == 2 and "at least a week" in r.stderr


def test_a_file_without_line_breaks_is_refused_without_buffering_it(tmp_path, monkeypatch) -> None:
    path = tmp_path / "events.csv"
    header = ",".join(eventlog.EVENT_COLUMNS) + "\n"
    path.write_bytes(header.encode() + b"x" * 5000)
    monkeypatch.setattr(tables, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(tables, "BLOCK", 1024)  # the run of bytes spans blocks
    with pytest.raises(eventlog.DataError, match="line 2 is longer"):
        eventlog.read_events(path)


def test_phone_arrivals_outside_opening_hours_are_counted(tmp_path) -> None:
    events, caseload, staff = event_log(true_config(), 30, seed=2)
    phone = events.index[(events["kind"] == "inquiry") & (events["channel"] == "phone")][:3]
    events.loc[phone, "arrived"] = events.loc[phone, "arrived"].dt.normalize() + pd.Timedelta(
        hours=20
    )
    events.loc[phone, ["started", "finished"]] = pd.NaT
    paths = write_csvs(tmp_path, [events, caseload, staff])
    cal = calibrate(paths[0])
    assert cal.dropped["inquiries: phone arrivals outside --base opening hours (hour profile)"] == 3


def test_case_steps_without_intake_and_impossible_fits_are_refused(tmp_path) -> None:
    events, caseload, staff = event_log(true_config(), 20, seed=1)
    apps = events["kind"] == "income_support"
    events.loc[apps, "step"] = "decision"
    events.loc[apps, "case_id"] = events.loc[apps, "task_id"]
    path = write_csvs(tmp_path, [events, caseload, staff])[0]
    r = invoke("calibrate", path, "--out", tmp_path / "o.yaml")
    assert r.exit_code == 2 and "no 'intake' row" in r.stderr and "events.csv" in r.stderr
    events, *_ = event_log(true_config(), 20, seed=1)
    inq = events["kind"] == "inquiry"
    events.loc[inq, "finished"] = events.loc[inq, "started"] + pd.Timedelta(days=9)
    path = write_csvs(tmp_path, [events, caseload, staff])[0]
    r = invoke("calibrate", path, "--out", tmp_path / "o.yaml")
    assert r.exit_code == 2 and "duration_minutes" in r.stderr and "events.csv" in r.stderr
    assert not (tmp_path / "o.yaml").exists()


def test_a_missing_base_is_one_line(files, tmp_path) -> None:
    _, paths, _ = files
    r = invoke(
        "calibrate", paths[0], "--base", tmp_path / "none.yaml", "--out", tmp_path / "o.yaml"
    )
    assert r.exit_code == 2 and "none.yaml" in r.stderr
