"""The reference documentation; `docs.examples` re-measures the figures it quotes."""
