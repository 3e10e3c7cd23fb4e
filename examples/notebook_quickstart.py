# %% [markdown]
# # officeq from a notebook
#
# This file is a notebook in [Jupytext](https://jupytext.readthedocs.io) percent
# format: open it in JupyterLab or VS Code as a notebook (each `# %%` starts a
# cell), or run it as a script: `python examples/notebook_quickstart.py`.
# It loads the baseline office, runs it once, sweeps staffing from 14 to 20
# caseworkers with 10 replications each, and plots the trade-off between the
# 48-hour hit rate and the follow-up backlog.
#
# Set `OFFICEQ_QUICK=1` for a short smoke run (the test suite does).

# %%
import os
from pathlib import Path

import officeq

ROOT = Path(__file__).resolve().parent.parent if "__file__" in globals() else Path.cwd()
QUICK = os.environ.get("OFFICEQ_QUICK") == "1"
short = {"horizon_days": 90, "warmup_days": 20} if QUICK else {}

# %% [markdown]
# ## One office, one year
# `load_config` takes a YAML file (or a dict) and `--set`-style overrides.

# %%
cfg = officeq.load_config(ROOT / "configs" / "baseline.yaml", **short)
result = officeq.run(cfg)
print(
    f"48-hour hit rate {result.summary['inquiry_sla_hit_rate']:.1%}, "
    f"mean follow-up backlog {result.summary['followup_backlog_mean']:.1f} users"
)
result.monthly.head()

# %%
officeq.plot(result, kind="overview")  # a Figure: Jupyter shows it

# %% [markdown]
# ## Staffing from 14 to 20 caseworkers, 10 replications each
# A sweep is a spec: a base config, a grid and replications. Replication *r*
# of every staffing level sees the same inquiries and users (common random
# numbers), so the differences between levels are sharp.

# %%
spec = {
    "name": "notebook_staffing",
    "base": str(ROOT / "configs" / "baseline.yaml"),
    "replications": 3 if QUICK else 10,
    "seed": 2025,
    "grid": {"staff.caseworkers": [14, 17, 20] if QUICK else list(range(14, 21))},
    **short,
}
staffing = officeq.sweep(spec, workers=None)  # None: every core
staffing.means("followup_backlog_mean")[["staff_caseworkers", "mean", "ci_low", "ci_high"]]

# %%
fig = officeq.plot(staffing, kind="frontier")
fig  # the last expression of a cell is shown inline

# %% [markdown]
# The tables are tidy DataFrames: `staffing.runs` (one row per run),
# `staffing.summary` (per scenario and metric) and `staffing.daily` (every
# run's days), ready for pandas and seaborn.

# %%
staffing.runs.groupby("staff_caseworkers")["inquiry_sla_hit_rate"].mean()
