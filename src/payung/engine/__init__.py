"""Batch work on dataframes through Ibis: reading extracts, screening, ranking, synthesis.

The engine imports the domain but never Django; the apps call it through services.
"""
