"""One person across the stages: the person page, the right of access and the retention period.

A Django app without models of its own: it reads (and, for retention, removes) the rows the
registry, screening, participants, verification and decrees apps keep about one person, and
it answers ``core.lifecycle`` so earlier pages can show where a person stands now.
"""
