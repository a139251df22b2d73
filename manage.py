#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
    # Tell the settings which command runs: one-off commands may go without SECRET_KEY.
    os.environ.setdefault("BUFFALO_OT_COMMAND", sys.argv[1] if len(sys.argv) > 1 else "")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
