"""Users, agencies and roles: who may do what (design §1), least privilege per agency."""
