"""Configuration: the validated schema (pydantic, frozen), YAML files, ``--set``
overrides and ``extends``.

The first room of the one-way flow: it imports nothing else from officeq.
"""
