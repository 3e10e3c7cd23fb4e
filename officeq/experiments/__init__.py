"""Experiments: specs, sweeps over executors, the run store, warm-up, the staffing
advisor, result tables and paired comparisons, and reading result folders back.

Imports config, model, measure and validation; never figures or cli.
"""
