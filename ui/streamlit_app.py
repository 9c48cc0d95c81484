"""Cartable's Streamlit app: navigation and shared state; each screen is a page module."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.components import language_selector, translate
from ui.sign_in import sign_in_box

PAGES = Path(__file__).with_name("app_pages")


def main() -> None:
    """Build the navigation and run the selected page."""
    st.set_page_config(page_title="Cartable", page_icon="🗂️", layout="wide")
    language_selector()
    sign_in_box()
    _ = translate()
    pages = [
        st.Page(str(PAGES / "catalogue.py"), title=_("Catalogue"), icon="🗂️", default=True),
        st.Page(str(PAGES / "dataset.py"), title=_("Dataset"), icon="📄"),
        st.Page(str(PAGES / "impact.py"), title=_("Impact analysis"), icon="🎯"),
        st.Page(str(PAGES / "pii_review.py"), title=_("Personal-information review"), icon="🛡️"),
    ]
    st.navigation(pages).run()


main()
