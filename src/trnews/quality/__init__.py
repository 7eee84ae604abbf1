"""Is a translation to be trusted? Checks on each translated sentence (`checks.check_pairs`), each
failure a named flag with its reason in plain words: the model's own confidence, and the known
silent failures of neural MT (copied or looping output, lost numbers and names, invented text).
One module per group of checks; word lists, exonyms and artefact patterns are data files
(`trnews/data/quality_*`)."""
