"""The package version (one place, read by the face, the CLI, the report and the sample cache)."""

__version__ = "0.1.0"
