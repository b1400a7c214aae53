"""Text colours that read on a projector: the status colours (Okabe-Ito, ipdata/figures/theme.py)
as fills keep white text only where white contrasts more than dark text does (not on sky blue,
orange or grey, about 2.2–2.9 : 1), and as text on white are darkened to 4.5 : 1 (WCAG AA)."""

from __future__ import annotations

DARK_TEXT, WHITE = "#222222", "#FFFFFF"
AA = 4.5  # contrast a text needs at any size


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2)."""
    h = hex_colour.lstrip("#")

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(h[k:k + 2], 16) / 255) for k in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink(fill: str) -> str:
    """The text colour on `fill`: white or dark, whichever contrasts more."""
    return WHITE if contrast(WHITE, fill) >= contrast(DARK_TEXT, fill) else DARK_TEXT


def on_white(colour: str, needed: float = AA) -> str:
    """`colour` as text on white: itself where it reads, else darkened (same hue) until it does."""
    h = colour.lstrip("#")
    rgb = [int(h[k:k + 2], 16) for k in (0, 2, 4)]
    out = colour if colour.startswith("#") else "#" + colour
    while contrast(out, WHITE) < needed:
        rgb = [int(c * 0.92) for c in rgb]
        out = "#" + "".join(f"{c:02X}" for c in rgb)
    return out
