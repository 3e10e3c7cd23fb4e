"""``python -m officeq``: the same as the ``officeq`` command."""

from officeq.cli import main

main()
