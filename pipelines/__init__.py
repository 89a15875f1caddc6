"""Ingestion side of PledgeWatch: the store, the program profile, ledger loading."""
