"""A claim's value picture as a PNG, for the og:image link previews show.

The same SVG as the claim page's (claims.web.svg), drawn at a fixed width by resvg, a
self-contained renderer (no system library to install). Its horizontal positions are
percentages of the width, so a fixed width is all it needs; the background is made white,
as previews show images on any colour.
"""

import resvg_py

WIDTH = 1200
# The page's text takes the browser's font; here the first of these the machine has, with
# resvg falling back glyph by glyph (Chinese labels need a CJK font such as Noto Sans CJK).
FONTS = "text { font-family: 'Noto Sans CJK SC', 'Noto Sans', 'DejaVu Sans', sans-serif; }"


def png(svg_markup: str, width: int = WIDTH) -> bytes:
    sized = svg_markup.replace('width="100%"', f'width="{width}"', 1)
    return bytes(resvg_py.svg_to_bytes(svg_string=sized, background="#ffffff", style_sheet=FONTS))
