"""The checkout's measuring tools as flask commands: `flask seed-synthetic` and `flask search evaluate`."""

from flask import Flask

from .reader_queries import reader_queries_command
from .relevance_command import evaluate_command
from .synthetic import seed_synthetic_command


def add_commands(app: Flask) -> None:
    """Add `seed-synthetic`, and `evaluate` and `reader-queries` to the app's `search` group."""
    app.cli.add_command(seed_synthetic_command)
    app.cli.commands["search"].add_command(evaluate_command)
    app.cli.commands["search"].add_command(reader_queries_command)
