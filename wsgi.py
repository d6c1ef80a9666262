"""WSGI entry point: `gunicorn wsgi:app`."""

from blogapp import create_app

app = create_app()
