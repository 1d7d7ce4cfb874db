"""Pure-Python domain: NIK, region codes, the policy model and money.

Nothing here imports Django or a dataframe library, so every rule can be read,
tested and reused (web forms, CLI, engine) without infrastructure.
"""
