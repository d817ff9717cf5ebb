"""Errors a user can cause. The command line prints their message on one line and exits 1."""

from __future__ import annotations


class GuwahError(Exception):
    """A problem with the user's input or environment, not a bug."""


class InvalidInput(GuwahError):
    """A value that cannot be recorded (bad date, bad ID number, unknown vocabulary word)."""


class NotFound(GuwahError):
    """An id that names nothing in the archive."""


class ArchiveError(GuwahError):
    """The archive cannot be opened, created or written (wrong passphrase, missing file)."""


class AccessDenied(GuwahError):
    """The signed-in user's role does not allow this, or the login failed."""


class AccountLocked(AccessDenied):
    """The login failed because the account is locked (too many failed logins)."""
