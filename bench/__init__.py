"""Benchmarks of the matching engine: `python -m bench` prints markdown tables."""
