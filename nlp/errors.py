"""Rasd's exceptions.

Every error Rasd raises on purpose derives from ``RasdError`` and from the
built-in it most resembles, so callers can catch either.  Messages say what
was wrong and what to do about it.
"""


class RasdError(Exception):
    """Base of every error Rasd raises on purpose."""


class CorpusError(RasdError, ValueError):
    """A training-data file or row is malformed or breaks the taxonomy."""


class ModelLoadError(RasdError, RuntimeError):
    """A model artifact is missing, changed, truncated or incompatible."""


class ProfileError(RasdError, ValueError):
    """A ministry profile is missing, malformed or inconsistent."""


class InputError(RasdError, ValueError):
    """A post or an input file to score is malformed."""
