"""`make bench`: bulk data and timed reads (docs/benchmark.md)."""
