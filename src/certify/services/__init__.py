"""Use cases: each opens a transaction, loads rows, asks the domain, writes, records the event."""
