"""Data/ read, checked and loaded: schemas, cross-table rules, the table registry, cases, curation."""
