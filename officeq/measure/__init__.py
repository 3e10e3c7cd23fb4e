"""Measurement: the recorder the model reports to, the summary, the daily table and
monthly scorecard, steering metrics, one run (:func:`officeq.measure.run.run`) and its
output folder.

Imports config and model. pandas only where a DataFrame is built or a file written.
"""
