"""Across reports: printed rows matched to catalogue codes, series, vintages and revisions."""
