"""Campaigns: long randomised runs against real processes (kill, fuzz); see each module."""
