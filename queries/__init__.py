"""Risk engine of PledgeWatch: SQL files in queries/sql, a loader that binds them, the report CLI."""
