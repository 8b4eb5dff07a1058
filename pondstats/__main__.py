"""``python -m pondstats`` runs the command-line interface."""

from pondstats.cli import console

console()
