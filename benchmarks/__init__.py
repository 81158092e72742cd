"""Benchmarks of coopsim's speed and memory (`python -m benchmarks.run`); never part of the test suite."""
