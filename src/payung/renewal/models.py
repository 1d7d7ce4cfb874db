"""The renewal stage keeps no table of its own.

What it records lives where the earlier stages read it: the year a programme year carries
over (``ProgrammeYear.carried_from``), last year's candidacy of a carried-over candidate
(``Candidate.carried_from``), the ends and registrations in the candidates' history, and
every action in the audit trail.
"""
