"""`flask uploads make-copies`: give the uploads stored before a copy width existed their smaller and WebP copies."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..content.uploads import add_missing_copies
from ..extensions import db
from ..models import Upload

uploads_group = AppGroup("uploads", help="Look after the uploaded images' files.")


@uploads_group.command("make-copies")
def make_copies_command() -> None:
    """Write the smaller and WebP copies each upload lacks (listings offer the 400 px ones); keep those it has."""
    uploads = copies = 0
    for upload in db.session.scalars(select(Upload).order_by(Upload.id).execution_options(yield_per=100)):
        made = add_missing_copies(upload)
        uploads, copies = uploads + bool(made), copies + made
    click.echo(f"Wrote {copies} copies for {uploads} uploads.")
