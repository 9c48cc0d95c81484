"""A generated network of school-organization databases for the personal-information
benchmark, with each column's true term."""

from pii_network.build import Truth, build_network
from pii_network.same_draws import install as same_draws

__all__ = ["Truth", "build_network", "same_draws"]
