"""Guwah: documentation of mass detention in Xinjiang, every fact with its source."""

__version__ = "0.1.0"
