"""The synthetic demo network of Cartable."""

DEFAULT_SEED = 2026
