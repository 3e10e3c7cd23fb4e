"""The office floor: calendar, arrivals, tasks and queues, staff, caseload, policies,
management, and the simulation that wires them (SimPy).

Imports only :mod:`officeq.config`; no pandas, plotting, file I/O or CLI. It reports
what happens to a :class:`~officeq.model.observer.Recorder` it is given.
"""
