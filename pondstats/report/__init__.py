"""The monthly management report (PDF)."""
