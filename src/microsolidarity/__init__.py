"""Microsolidarity: belonging at five scales, from the self to the network."""
