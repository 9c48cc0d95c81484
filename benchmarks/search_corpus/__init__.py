"""The search benchmark's generated catalogue (datasets of the network's 72 organizations, as
DataHub aspects) and its queries, each with the one dataset it must find."""

from search_corpus.corpus import Dataset, generate, proposals
from search_corpus.organizations import Organization, organizations
from search_corpus.queries import Query, make_queries

__all__ = ["Dataset", "Organization", "Query", "generate", "make_queries", "organizations",
           "proposals"]  # fmt: skip
