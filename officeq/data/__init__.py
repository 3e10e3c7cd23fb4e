"""A planner's own data: event logs, caseload and staff files, snapshots, calibration.

This room reads and writes the file formats an office's data comes in (and
that ``officeq run --events`` and ``--snapshot-at`` write), and fits a config
to them. It sits after ``measure`` (it may use a run's results) and before
``validation``.
"""
