"""Moving in and out: the JSON archive, SQLite backups, the demo content and WordPress imports, as commands."""

from flask import Flask

from .commands import COMMANDS


def init_app(app: Flask) -> None:
    """Add the commands that bring content in and take it out."""
    for command in COMMANDS:
        app.cli.add_command(command)
