"""Programme years, their budgets, and imported DTSEN extracts (pendataan, Pasal 7(1))."""
