"""The shared layer under the apps: what several apps need and no app owns (house style).

Imports the domain and the engine, never an app; apps plug into it (an upload kind, say)
by naming their functions, not by being imported.
"""
