"""Cartable's Streamlit app: navigation by role and shared state; each screen is a page
module in ``app_pages``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.components import language_selector, translate
from ui.navigation import PAGES, WELCOME, visible_pages
from ui.sign_in import sign_in_box, signed_in

PAGE_FOLDER = Path(__file__).with_name("app_pages")


def main() -> None:
    """Build the navigation the signed-in account may see, and run the selected page."""
    st.set_page_config(page_title="Cartable", page_icon="🗂️", layout="wide")
    language_selector()
    sign_in_box()
    _ = translate()
    account = signed_in()
    names = visible_pages(account.roles if account else None)
    pages = []
    for name in names:
        if name == WELCOME:
            pages.append(st.Page(str(PAGE_FOLDER / "welcome.py"), title=_("Welcome"), icon="🗂️"))
            continue
        spec = PAGES[name]
        pages.append(
            st.Page(
                str(PAGE_FOLDER / f"{name}.py"),
                title=_(spec.title),
                icon=spec.icon,
                default=name == names[0],
            )
        )
    st.navigation(pages).run()


main()
