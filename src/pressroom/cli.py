"""The `pressroom` command: Django management with Pressroom's settings."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pressroom", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
