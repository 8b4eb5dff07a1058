"""Exceptions and warnings raised by pondstats.

Every error says what was expected, what was found, and what to do.
"""

from __future__ import annotations

__all__ = ["PondstatsError", "InputError", "PondstatsWarning", "DataQualityWarning"]


class PondstatsError(Exception):
    """Base class of every error pondstats raises on purpose."""


class InputError(PondstatsError, ValueError):
    """A file or table cannot be used as given (the message names the fix)."""


class PondstatsWarning(UserWarning):
    """Base class of pondstats' warnings (errors in the test run)."""


class DataQualityWarning(PondstatsWarning):
    """The data can be used, but something in it deserves a look."""
