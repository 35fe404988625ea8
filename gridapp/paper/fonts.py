"""The shipped CJK font, registered with reportlab once per process.

reportlab embeds TrueType outlines only (Noto CJK/Source Han are CFF and fail), and
its built-in CID fonts are not embedded: a printer without a CJK font would print
boxes. WenQuanYi Micro Hei ships with the app, so every PDF carries its glyphs."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from gridapp.resources import font_path

FONT = "WQYMicroHei"
_lock = threading.Lock()


def register_font() -> str:
    """The font's reportlab name, registering it on first use (parsing the .ttc takes
    ~0.1 s, so never per document)."""
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


def text_width(text: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, FONT, size))


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of at most `width` points. Chinese breaks between any two characters,
    so a greedy per-character fill is the right rule; explicit newlines are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if line and text_width(line + ch, size) > width:
                lines.append(line)
                line = ch
            else:
                line += ch
        lines.append(line)
    return lines
