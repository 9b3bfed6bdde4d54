"""Validation gate: frictionless plus Great Expectations suites kept as JSON in ``expectations/``."""
