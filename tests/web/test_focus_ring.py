"""The keyboard focus ring stands at 3:1 or more against every background it is drawn on."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "claims" / "static" / "claims" / "web" / "site.css"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_ring_contrasts_with_every_light_background_of_the_reader_pages():
    css = CSS.read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    ring = re.search(r":focus-visible\s*{[^}]*outline:[^;]*?(#[0-9a-fA-F]{6}|var\(--[\w-]+\))", css)
    colour = ring.group(1)
    colour = variables[colour[6:-1]] if colour.startswith("var(") else colour
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{6})", css))
    backgrounds |= {variables[name] for name in ("paper", "tint", "mark", "mark-strong")}
    # The ring sits 2px outside the focused element, on the light page, tint or quote
    # colours around it; dark-filled buttons never surround a focusable element.
    light = {b for b in backgrounds if luminance(b) > 0.4}
    assert light
    assert {b: round(contrast(colour, b), 2) for b in light if contrast(colour, b) < 3} == {}
