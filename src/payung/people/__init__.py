"""Personal data across the stages: a person's right of access and the retention period.

Not a Django app (it has no models of its own): it reads and removes the rows the registry,
screening, candidates, verification and decrees apps keep about one person.
"""
