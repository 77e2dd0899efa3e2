"""Bank statement reconciliation (contract section 10): MT940 in, debits matched to instructions."""
