"""Payung: a regency's programme of BPJS Ketenagakerjaan cover for vulnerable workers."""

__version__ = "0.1.0"
