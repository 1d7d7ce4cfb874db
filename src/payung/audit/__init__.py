"""The append-only, hash-chained audit trail: who did what, when, to which object."""
