"""Keys and encryption, accounts and roles, the access policy, the audit chain, evidence custody."""
