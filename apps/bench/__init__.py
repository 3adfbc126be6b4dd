"""Benchmarks at scale (`make bench`): the national data set and its builder (issue 8)."""
