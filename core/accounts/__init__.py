"""Accounts: users, agencies, roles, permissions, record rules, local and directory logins."""
