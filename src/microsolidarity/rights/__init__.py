"""A member's data rights (export and deletion) and the operators' backups."""
