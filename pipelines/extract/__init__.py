"""Extraction: from a report's text to tidy rows, each traceable to its source line."""
