"""Writes of the personal-data records: corrections, erasure, incidents."""
