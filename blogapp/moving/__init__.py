"""Moving in and out: the JSON archive, SQLite backups, the demo content and WordPress imports, as commands."""

from flask import Flask

from .audit_commands import audit_group
from .commands import COMMANDS


def init_app(app: Flask) -> None:
    """Add the commands that bring content in and take it out, and `flask audit`."""
    for command in COMMANDS:
        app.cli.add_command(command)
    app.cli.add_command(audit_group)
