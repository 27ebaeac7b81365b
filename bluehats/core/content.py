"""Markdown content (announcement and legal pages): front matter, safe HTML, French typography."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import frontmatter
import markdown
import nh3
from markupsafe import Markup

from .typography import french_html

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

# What the customer's Markdown may contain once rendered; style and align are dropped so that
# the Content-Security-Policy holds and DSFR does the layout.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h2", "h3", "h4", "hr",
    "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


@dataclass(frozen=True)
class Page:
    """A Markdown page: its front matter and its body as safe HTML."""

    meta: dict[str, Any]
    html: Markup

    @property
    def title(self) -> str:
        """Return the page's title from its front matter."""
        return str(self.meta.get("title", ""))


def render_markdown(text: str) -> Markup:
    """Render Markdown to sanitised HTML with French typography."""
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    # nh3 has just sanitised this HTML: it can be marked safe.
    return Markup(french_html(clean))  # nosec


def read_page(path: Path) -> tuple[dict[str, Any], str]:
    """Read a Markdown file into its front matter and its raw Markdown body."""
    post = frontmatter.load(path)
    return dict(post.metadata), post.content


@cache
def load_page(name: str) -> Page:
    """Load content/<name>.md once per process."""
    meta, body = read_page(CONTENT_DIR / f"{name}.md")
    return Page(meta=meta, html=render_markdown(body))
