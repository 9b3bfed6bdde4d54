"""Synthetic reports in the seed's format, with the rows they hold, for tests and benchmarks."""
