"""The ``guwah`` command line: thin commands over the services (no SQL, no policy here)."""

from guwah.cli.app import app, main

__all__ = ["app", "main"]
