"""Finding matters: the CJK bigram index, search with filters, repeat-petition detection."""

# Migration core_0007 (never edited) imports ``facet_tokens`` from here.
from core.cases.search.index import facet_tokens

__all__ = ["facet_tokens"]
