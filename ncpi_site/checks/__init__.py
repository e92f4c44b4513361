"""Stage 2, validate: the rules, run over each file and then the whole site."""
