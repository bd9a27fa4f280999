"""Genie observability: the audit log, the Genie API and the query history joined per prompt."""
