"""Versioned releases: package diffs, version bumps, changelog, pipeline metrics."""
