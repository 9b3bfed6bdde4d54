"""Packaging: metadata (the single source), Frictionless descriptors, atomic publishing."""
