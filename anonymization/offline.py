"""Nothing in personal-information detection may reach the network.

Presidio's email recognizer calls ``tldextract``, whose default extractor downloads the
Public Suffix List on first use. Importing this module first replaces it by one that reads
only the snapshot bundled with tldextract.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import tldextract.tldextract  # noqa: E402

tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True
)
