"""The Staffing and Forecast tabs' parts: the form as officeq staff's arguments, a
snapshot zip unpacked safely, and their background tasks equal to the API's answers."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from officeq.api import forecast, staff
from officeq.app.jobs import DONE, Job
from officeq.app.snapshots import SnapshotError, check, unpack
from officeq.app.staffing_form import FormError, default_range, form, shortfall, target_words
from officeq.app.tasks import run_forecast, run_staffing
from officeq.config.loading import dump_config, load_config

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
EXAMPLE = ROOT / "examples" / "my_office" / "snapshot"


@pytest.fixture(scope="module")
def baseline():  # type: ignore[no-untyped-def]
    return load_config(BASELINE)


def test_the_form_gives_the_targets_officeq_staff_takes(baseline) -> None:  # type: ignore[no-untyped-def]
    f = form(baseline, 90, 60, 95, [], 11, 23, 20)
    assert f.targets == [
        "inquiry_sla_hit_rate>=0.9",
        "followup_backlog_mean<=60",
        "income_support_on_time_rate>=0.95",
    ]
    assert f.policies == [baseline.policy.name] and (f.lo, f.hi) == (11, 23)
    assert form(baseline, None, 50, None, ["needs_based"], 5, 9, 4).targets == [
        "followup_backlog_mean<=50"
    ]
    assert default_range(baseline) == (
        baseline.staff.caseworkers - 6,
        baseline.staff.caseworkers + 6,
    )


def test_targets_and_shortfalls_read_as_words() -> None:
    assert target_words("inquiry_sla_hit_rate>=0.9") == "48-hour hit rate at least 90%"
    assert target_words("followup_backlog_mean<=60") == (
        "users overdue for follow-up (mean) at most 60"
    )
    rows = [
        dict(metric="inquiry_sla_hit_rate", op=">=", value=0.9, mean=0.82, at=23),
        dict(metric="followup_backlog_mean", op="<=", value=60, mean=40.0, at=23),
    ]
    assert shortfall(rows) == ": at 23 caseworkers, 48-hour hit rate 82% (target at least 90%)"
    assert shortfall(rows[1:]).endswith("met on average but not with 95% confidence")
    assert shortfall([]) == ""


@pytest.mark.parametrize(
    ("args", "where", "words"),
    [
        ((150, 60, None, [], 11, 23, 20), "targets", "150% is not from 0 to 100%"),
        ((None, None, None, [], 11, 23, 20), "targets", "give at least one target"),
        ((90, -1, None, [], 11, 23, 20), "targets", "is below 0"),
        ((90, 60, None, [], 23, 11, 20), "range", "lo (--min) 23 is above hi (--max) 11"),
        ((90, 60, None, [], 11, 23, 1), "range", "max_replications 1 is not from 2"),
        ((90, 60, None, [], None, 23, 20), "range", "fewest caseworkers: give a whole number"),
    ],
)
def test_a_bad_form_says_where_and_why(baseline, args, where, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FormError) as e:
        form(baseline, *args)
    assert e.value.where == where and words in str(e.value)


def _zip(path: Path, files: dict[str, bytes | Path], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data.read_bytes() if isinstance(data, Path) else data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return path


def test_a_snapshot_zip_unpacks_and_reads(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    z = _zip(tmp_path / "s.zip", {f"snap/{p.name}": p for p in EXAMPLE.iterdir()})
    folder = unpack(z, "s.zip", tmp_path / "u")
    assert folder == tmp_path / "u" / "snap"
    assert check(folder, "s.zip", baseline) == "2026-10-31"


@pytest.mark.parametrize(
    ("files", "link", "words"),
    [
        ({"../evil.csv": b"x"}, None, "points outside the snapshot"),
        ({"/abs.csv": b"x"}, None, "points outside the snapshot"),
        ({"a.csv": b"x"}, "snapshot.yaml", "is a link"),
        ({"notes.txt": b"hello"}, None, "no snapshot.yaml inside"),
    ],
)
def test_an_unsafe_or_empty_zip_is_refused(tmp_path: Path, files, link, words) -> None:  # type: ignore[no-untyped-def]
    z = _zip(tmp_path / "bad.zip", files, link)
    with pytest.raises(SnapshotError, match=words) as e:
        unpack(z, "bad.zip", tmp_path / "u")
    assert str(e.value).startswith("bad.zip: ")
    assert not (tmp_path / "evil.csv").exists()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_text("not a zip")
    with pytest.raises(SnapshotError, match=r"x\.zip: not a zip file"):
        unpack(tmp_path / "x.zip", "x.zip", tmp_path / "u")


def test_a_snapshot_that_does_not_read_names_its_file(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    files = {f"snap/{p.name}": p for p in EXAMPLE.iterdir()}
    files["snap/inquiries_open.csv"] = b"arrived,channel,deadline\nyesterday,phone,soon\n"
    folder = unpack(_zip(tmp_path / "s.zip", files), "s.zip", tmp_path / "u")
    with pytest.raises(SnapshotError, match=r"^s\.zip: .*inquiries_open\.csv"):
        check(folder, "s.zip", baseline)


def test_the_forecast_task_gives_the_apis_forecast(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    office = tmp_path / "office.yaml"
    office.write_text(dump_config(baseline))
    job = Job(
        run_forecast,
        dict(config=str(office), snapshot=str(EXAMPLE), weeks=3, replications=3, compare={})
        | dict(out=str(tmp_path / "fc"), workers=1),
    )
    assert job.wait(600) == DONE, job.error
    page = pd.read_csv(tmp_path / "fc" / "forecast.csv")
    api = forecast(office, EXAMPLE, 3, 3, workers=1).table
    api.to_csv(tmp_path / "api.csv", index=False, date_format="%Y-%m-%d")
    pd.testing.assert_frame_equal(page, pd.read_csv(tmp_path / "api.csv"))


def test_the_staffing_task_gives_the_apis_answer(tmp_path: Path) -> None:
    cfg = load_config(ROOT / "configs/validation/mmc.yaml", ["horizon_days=20", "warmup_days=2"])
    office = tmp_path / "office.yaml"
    office.write_text(dump_config(cfg))
    targets = ["inquiry_sla_hit_rate>=0.8"]
    lo, hi = 1, cfg.staff.caseworkers + 2
    job = Job(
        run_staffing,
        dict(config=str(office), targets=targets, policies=None, lo=lo, hi=hi)
        | dict(max_replications=4, seed=3, out=str(tmp_path / "st"), workers=1),
    )
    assert job.wait(600) == DONE, job.error
    answer = staff(office, targets, lo=lo, hi=hi, max_replications=4, seed=3)
    assert job.value["caseworkers"] == answer.caseworkers
    assert set(job.value["at_best"]) == set(answer.caseworkers)
    assert (tmp_path / "st" / "summary.csv").is_file()
