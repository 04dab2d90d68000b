"""Console command line: create staff accounts (the first supervisor among them).

    python -m knowledge.console.cli create-user USERNAME --role supervisor [--name 显示名] [--password-stdin]
    python -m knowledge.console.cli import-hotline var/hotline-report/calls.csv
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys
from pathlib import Path

from knowledge.console.auth import MIN_PASSWORD, ROLES, create_staff
from knowledge.console.db import connect
from knowledge.console.settings import get_console_settings


def _create_user(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.username} (at least {MIN_PASSWORD} characters): ")
        if password != getpass.getpass("again: "):
            print("the passwords differ; nothing created", file=sys.stderr)
            return 1
    connection = connect(get_console_settings().db_path)
    try:
        create_staff(connection, args.username, args.name or args.username, args.role, password, actor="cli")
    except (ValueError, sqlite3.IntegrityError) as error:
        reason = "that username exists already" if isinstance(error, sqlite3.IntegrityError) else str(error)
        print(f"not created: {reason}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    print(f"created {args.role} {args.username} in {get_console_settings().db_path}")
    return 0


def _import_hotline(args: argparse.Namespace) -> int:
    from knowledge.console.questions import import_hotline_csv

    connection = connect(get_console_settings().db_path)
    try:
        added = import_hotline_csv(connection, args.csv)
    finally:
        connection.close()
    print(f"queued {added} unanswered hotline questions from {args.csv}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="knowledge.console.cli", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a staff account")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--name", help="display name, e.g. 张敏")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin (scripts)")
    create.set_defaults(run=_create_user)
    hotline = commands.add_parser("import-hotline", help="queue the knowledge gaps of a hotline report's CSV")
    hotline.add_argument("csv", type=Path)
    hotline.set_defaults(run=_import_hotline)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
