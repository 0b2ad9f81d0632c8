"""Fuzzing every HTTP endpoint with hypothesis: a seeded few hundred cases in every pytest run, at least 10,000
random ones in `make fuzz`."""
