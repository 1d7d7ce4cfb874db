"""Benchmarks of Payung: how fast screening a regency's extract is, and against what.

Not tests: nothing here runs under pytest. ``scripts/bench`` runs ``benchmarks.screen``; see
``benchmarks/README.md``. Kept free of imports so the tiny measuring wrapper
(``benchmarks.measure``) starts without loading anything heavy.
"""
