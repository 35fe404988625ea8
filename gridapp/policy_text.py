"""Policy item bodies: plain text with a little formatting that office staff can type
(blank line = new paragraph, `- ` = bullet, **bold**), rendered to safe HTML."""

from __future__ import annotations

import html
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", html.escape(text))


def to_html(body: str, title: str = "", size_px: int = 0) -> str:
    """HTML for a QTextBrowser; everything the user typed is escaped first."""
    parts: list[str] = []
    if title and size_px:
        # Qt sizes headings on its own scale: give the title its size explicitly.
        parts.append(
            f'<p style="font-size:{round(size_px * 1.25)}px; font-weight:bold">'
            f"{html.escape(title)}</p>"
        )
    elif title:
        parts.append(f"<h2>{html.escape(title)}</h2>")
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("- ", "• ", "· ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    style = f' style="font-size:{size_px}px; line-height:150%"' if size_px else ""
    return f"<div{style}>{''.join(parts)}</div>"
