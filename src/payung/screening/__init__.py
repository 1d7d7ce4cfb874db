"""Screening runs over an import, their decisions, and the pages that explain them."""
