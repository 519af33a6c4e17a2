/* The source page's quoting workbench: a passage selected in the article text fills the
 * new-quote form (exact text, offsets, context) and tells the form so ("selection:filled").
 *
 * The text container holds nothing but the text's characters (some inside <mark>), so a
 * position inside it is a position in the stored text, counted in UTF-16 units. The server
 * counts code points, so offsets are converted before they are sent: a character outside
 * the Basic Multilingual Plane is two units here and one there.
 */
"use strict";
{
    const CONTEXT = 32; // characters of prefix and suffix, as domain/anchoring.py keeps

    const codePoints = (text) => Array.from(text);

    const isLowSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

    // Where a boundary point falls in the container's text, in UTF-16 units.
    function offsetIn(container, node, offset) {
        if (!container.contains(node)) {
            const follows = container.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
            return follows ? container.textContent.length : 0;
        }
        const range = document.createRange();
        range.setStart(container, 0);
        range.setEnd(node, offset);
        return range.toString().length;
    }

    function selectionIn(container) {
        const selection = window.getSelection();
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
            return null;
        }
        const range = selection.getRangeAt(0);
        if (!range.intersectsNode(container)) {
            return null;
        }
        const text = container.textContent;
        let start = offsetIn(container, range.startContainer, range.startOffset);
        let end = offsetIn(container, range.endContainer, range.endOffset);
        if (start > 0 && isLowSurrogate(text.charCodeAt(start))) {
            start -= 1;
        }
        if (end < text.length && isLowSurrogate(text.charCodeAt(end))) {
            end += 1;
        }
        // White space the drag picked up at either end is not part of the quote.
        while (start < end && /\s/.test(text[start])) {
            start += 1;
        }
        while (end > start && /\s/.test(text[end - 1])) {
            end -= 1;
        }
        return start < end ? {text, start, end} : null;
    }

    function fill(form, preview, {text, start, end}) {
        const field = (name) => form.querySelector(`[data-selection="${name}"]`);
        const before = codePoints(text.slice(0, start));
        const exact = text.slice(start, end);
        const length = codePoints(exact).length;
        field("exact").value = exact;
        field("start").value = before.length;
        field("end").value = before.length + length;
        field("prefix").value = before.slice(-CONTEXT).join("");
        field("suffix").value = codePoints(text.slice(end)).slice(0, CONTEXT).join("");
        preview.textContent = interpolate(
            gettext("Selected %(length)s characters, %(start)s–%(end)s."),
            {length, start: before.length, end: before.length + length},
            true,
        );
        preview.hidden = false;
        form.dispatchEvent(new CustomEvent("selection:filled", {bubbles: true}));
    }

    function clearOffsets(form) {
        for (const name of ["start", "end", "prefix", "suffix"]) {
            form.querySelector(`[data-selection="${name}"]`).value = "";
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        const container = document.getElementById("source-text");
        const form = document.getElementById("quote-form");
        if (!container || !form) {
            return;
        }
        const preview = document.getElementById("selection-preview");
        const onSelect = () => {
            const found = selectionIn(container);
            if (found) {
                fill(form, preview, found);
            }
        };
        document.addEventListener("mouseup", onSelect);
        container.addEventListener("keyup", onSelect);
        // Typed text is searched for in the source; offsets from an old selection would not fit it.
        form.querySelector('[data-selection="exact"]').addEventListener("input", () => {
            clearOffsets(form);
            preview.hidden = true;
        });
    });
}
