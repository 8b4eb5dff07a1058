"""``python -m pondstats`` runs the command-line interface."""

from pondstats.cli import main

raise SystemExit(main())
