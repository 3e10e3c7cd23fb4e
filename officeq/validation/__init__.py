"""Validation: queueing theory (Erlang C, Cobham, M/M/c//K), confidence intervals, and
the checks of the model against theory (``officeq validate``).

Imports config, model and measure.
"""
