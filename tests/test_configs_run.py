"""Every config shipped in configs/ runs, and its outputs are sane."""

from __future__ import annotations

from pathlib import Path

import pytest

from officeq.config.loading import load_config
from officeq.measure.run import run

CONFIGS = sorted((Path(__file__).resolve().parent.parent / "configs").rglob("*.yaml"))


def test_there_are_configs() -> None:
    names = {p.name for p in CONFIGS}
    assert {
        "baseline.yaml",
        "small_rural.yaml",
        "large_urban.yaml",
        "mmc.yaml",
        "priority.yaml",
        "finite_source.yaml",
    } <= names


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_config_runs(path: Path) -> None:
    cfg = load_config(path, horizon_days=21, warmup_days=3)
    result = run(cfg)
    assert len(result.daily) == 21
    for kind, c in result.counts.items():
        assert c["arrived"] == c["finished"] + c["waiting"] + c["in_service"] + c["cancelled"], kind
    rate = result.summary["inquiry_sla_hit_rate"]
    assert rate is None or 0 <= rate <= 1
