"""Figures: every plot kind (matplotlib/seaborn, from tidy tables only), shared styling,
and the HTML report.

Imports experiments (result folders) and below; never cli.
"""
