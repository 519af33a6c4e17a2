/* Quote, link and see what changed, without leaving the page.
 *
 * - The source page's panel: the new-quote form (filled from the selection by workbench.js)
 *   and the link form post to the source admin's JSON endpoints (claims/admin_inplace.py).
 *   The text's highlights and the quote list are replaced by the server's rendering of them,
 *   the scroll positions kept, and the panel says what the save did to the claim.
 * - Anywhere a value is typed as words (input[data-value-preview]): its reading in the
 *   claim's unit is shown as it is typed; with no words, the value the quote gives is filled
 *   in, and sent only if the reviewer changes it (else the server reads it from the quote).
 * - The claim page's assertion rows fold their exact bounds (low, high, kind, unit) away.
 */
"use strict";
{
    const BOUND_COLUMNS = ["low", "high", "value_kind", "unit"];

    function fieldValue(scope, name) {
        const field = scope.querySelector(`[name="${name}"], [name$="-${name}"]`);
        return field ? field.value : "";
    }

    function scopeOf(input) {
        return input.closest("tr.form-row") || input.form || document;
    }

    // The reading filled in from the quote, left as it was: the server reads it again itself.
    function untouched(input) {
        return input.dataset.read !== undefined && input.value === input.dataset.read;
    }

    function forget(input) {
        input.value = "";
        delete input.dataset.read;
    }

    function say(output, text, invalid = false) {
        if (output) {
            output.textContent = text;
            output.classList.toggle("invalid", invalid);
        }
    }

    async function asJson(response) {
        const type = response.headers.get("Content-Type") || "";
        if (!type.includes("json")) {
            return {error: gettext("Your login may have expired: reload the page. Nothing was saved.")};
        }
        return response.json();
    }

    // Reads the words of one value input through the claim admin's preview.
    function watchValue(input) {
        if (input.readValue) {
            return input.readValue;
        }
        const output = input.parentElement.querySelector("output.value-preview");
        let timer = null;
        let asked = 0;
        async function read() {
            const scope = scopeOf(input);
            const claim = input.dataset.claim || fieldValue(scope, "claim");
            const quote = input.dataset.quote || fieldValue(scope, "quote");
            const text = untouched(input) ? "" : input.value.trim();
            if (!claim || (!text && !quote)) {
                say(output, "");
                return;
            }
            const params = new URLSearchParams({claim, text});
            if (quote) {
                params.set("quote", quote);
            }
            const mine = ++asked;
            let answer;
            try {
                const response = await fetch(`${input.dataset.valuePreview}?${params}`, {
                    credentials: "same-origin",
                    headers: {Accept: "application/json"},
                });
                answer = await asJson(response);
            } catch {
                answer = {error: gettext("The value could not be read just now.")};
            }
            if (mine !== asked) {
                return; // a later reading is on its way
            }
            if (answer.error) {
                say(output, answer.error, true);
            } else if (!answer.value) {
                if (untouched(input)) {
                    forget(input);
                }
                say(output, answer.read_from === "quote" ? gettext("The quote gives no value in this claim's unit.") : "");
            } else if (answer.read_from === "quote") {
                if (!input.value || untouched(input)) {
                    input.value = answer.value.shown;
                    input.dataset.read = answer.value.shown;
                }
                say(output, interpolate(gettext("Read from the quote: %s"), [answer.value.shown]));
            } else {
                say(output, interpolate(gettext("Reads as %s"), [answer.value.shown]));
            }
        }
        input.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(read, 250);
        });
        input.readValue = read;
        return read;
    }

    // Another claim or quote: a reading filled in from the old one no longer holds.
    function onClaimOrQuoteChange(event) {
        const field = event.target;
        if (!field.name || !/(^|-)(claim|quote)$/.test(field.name)) {
            return;
        }
        const scope = field.closest("tr.form-row") || field.form;
        if (!scope) {
            return;
        }
        for (const input of scope.querySelectorAll("input[data-value-preview]")) {
            if (untouched(input)) {
                forget(input);
            }
            watchValue(input)();
        }
    }

    function foldBounds(fieldset) {
        const table = fieldset.querySelector("table");
        if (!table) {
            return;
        }
        const toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "bounds-toggle";
        const fold = (folded) => {
            fieldset.classList.toggle("bounds-folded", folded);
            toggle.setAttribute("aria-expanded", String(!folded));
            toggle.textContent = folded
                ? gettext("Show exact bounds (low, high, kind, unit)")
                : gettext("Hide exact bounds");
        };
        toggle.addEventListener("click", () => fold(!fieldset.classList.contains("bounds-folded")));
        table.before(toggle);
        const erring = BOUND_COLUMNS.some((name) => fieldset.querySelector(`td.field-${name} .errorlist`));
        fold(!erring);
    }

    // The source page's panel.

    async function send(url, body, button) {
        button.disabled = true;
        try {
            const response = await fetch(url, {
                method: "POST",
                body,
                credentials: "same-origin",
                headers: {Accept: "application/json"},
            });
            return {ok: response.ok, answer: await asJson(response)};
        } catch {
            return {ok: false, answer: {error: gettext("The server could not be reached. Nothing was saved.")}};
        } finally {
            button.disabled = false;
        }
    }

    function showErrors(form, answer) {
        const box = form.querySelector("[data-panel-errors]");
        box.textContent = answer.error || gettext("Nothing was saved.");
        box.hidden = false;
    }

    function hideErrors(form) {
        form.querySelector("[data-panel-errors]").hidden = true;
    }

    function anchor(text, href) {
        const link = document.createElement("a");
        link.href = href;
        link.textContent = text;
        return link;
    }

    function setUpPanel() {
        const panel = document.getElementById("quote-panel");
        const quoteForm = document.getElementById("quote-form");
        if (!panel || !quoteForm || !window.fetch) {
            return;
        }
        const linkForm = document.getElementById("link-form");
        const result = document.getElementById("panel-result");
        const text = document.getElementById("source-text");
        const list = document.getElementById("quote-list");
        const valueInput = linkForm && linkForm.querySelector("input[data-value-preview]");
        const readValue = valueInput ? watchValue(valueInput) : () => {};

        // The server's rendering of the text and the quote list, where the reviewer was.
        function replacePage(answer) {
            const [top, x, y] = [text.scrollTop, window.scrollX, window.scrollY];
            if (answer.text_html !== undefined) {
                text.innerHTML = answer.text_html;
            }
            if (answer.quotes_html !== undefined) {
                list.innerHTML = answer.quotes_html;
            }
            text.scrollTop = top;
            window.scrollTo(x, y);
        }

        function report(...lines) {
            result.replaceChildren(...lines);
            result.hidden = false;
            panel.scrollTop = 0;
        }

        function startLinking(id, exact) {
            if (!linkForm) {
                return;
            }
            hideErrors(linkForm);
            linkForm.querySelector('[name="quote"]').value = id;
            linkForm.querySelector("[data-linking-id]").textContent = `#${id}`;
            linkForm.querySelector("[data-linking-text]").textContent = exact;
            linkForm.hidden = false;
            if (valueInput) {
                forget(valueInput);
            }
            readValue();
            quoteForm.classList.add("is-folded");
            panel.scrollTop = 0;
        }

        // While a quote is being linked, the new-quote form folds to its heading until the
        // next selection (or a click on the heading, to type a passage).
        const heading = quoteForm.querySelector("h3");
        const unfold = () => quoteForm.classList.remove("is-folded");
        heading.addEventListener("click", unfold);
        heading.title = gettext("Select a passage, or click here to type one");

        quoteForm.addEventListener("selection:filled", () => {
            unfold();
            panel.classList.add("has-selection");
            hideErrors(quoteForm);
        });

        quoteForm.addEventListener("submit", async (event) => {
            event.preventDefault();
            const button = quoteForm.querySelector('[type="submit"]');
            const {ok, answer} = await send(panel.dataset.quoteUrl, new FormData(quoteForm), button);
            if (!ok) {
                showErrors(quoteForm, answer);
                return;
            }
            hideErrors(quoteForm);
            replacePage(answer);
            for (const name of ["exact", "start", "end", "prefix", "suffix"]) {
                quoteForm.querySelector(`[data-selection="${name}"]`).value = "";
            }
            document.getElementById("selection-preview").hidden = true;
            panel.classList.remove("has-selection");
            const saved = document.createElement("p");
            saved.textContent = answer.message;
            report(saved);
            startLinking(answer.quote.id, answer.quote.exact);
        });

        if (!linkForm) {
            return;
        }
        linkForm.addEventListener("submit", async (event) => {
            event.preventDefault();
            const body = new FormData(linkForm);
            if (valueInput && untouched(valueInput)) {
                body.set(valueInput.name, "");
            }
            const button = linkForm.querySelector('[type="submit"]');
            const {ok, answer} = await send(panel.dataset.linkUrl, body, button);
            if (!ok) {
                showErrors(linkForm, answer);
                return;
            }
            hideErrors(linkForm);
            replacePage(answer);
            const summary = document.createElement("p");
            summary.className = "recorded-summary";
            summary.textContent = answer.summary;
            const links = document.createElement("p");
            links.append(
                anchor(gettext("The claim"), answer.claim.url),
                " · ",
                anchor(gettext("its dispute"), answer.claim.dispute_url),
            );
            report(summary, links);
            if (valueInput) {
                forget(valueInput);
                say(valueInput.parentElement.querySelector("output.value-preview"), "");
            }
            linkForm.querySelector('[name="note"]').value = "";
        });

        list.addEventListener("click", (event) => {
            const link = event.target.closest("[data-link-quote]");
            if (link) {
                event.preventDefault();
                startLinking(link.dataset.linkQuote, link.dataset.quoteText);
            }
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        for (const input of document.querySelectorAll("input[data-value-preview]")) {
            if (!input.name.includes("__prefix__")) {
                watchValue(input);
            }
        }
        for (const fieldset of document.querySelectorAll("fieldset.value-bounds")) {
            foldBounds(fieldset);
        }
        setUpPanel();
        // Select2 (the admin's autocomplete) tells of a choice through jQuery only.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(document).on("change", "select", onClaimOrQuoteChange);
        } else {
            document.addEventListener("change", onClaimOrQuoteChange);
        }
    });

    // Controls a screen reader would announce without a name: the autocompletes' boxes
    // (select2 labels them by their empty choice) and the fields of an inline table's rows
    // (named by their column's heading).
    function nameControls(scope) {
        for (const select of scope.querySelectorAll("select.admin-autocomplete")) {
            const label = select.id && document.querySelector(`label[for="${select.id}"]`);
            const container = select.nextElementSibling;
            if (!label || !container || !container.classList.contains("select2")) {
                continue;
            }
            label.id ||= `${select.id}-label`;
            const name = label.textContent.replace(/[:：]\s*$/, "").trim();
            container.querySelector(".select2-selection")?.setAttribute("aria-labelledby", label.id);
            for (const box of container.querySelectorAll(".select2-selection__rendered, .select2-search__field")) {
                box.setAttribute("aria-label", name);
            }
        }
        for (const cell of scope.querySelectorAll("table td")) {
            const heading = cell.closest("table").tHead?.rows[0]?.cells[cell.cellIndex];
            const name = heading && heading.textContent.trim();
            if (!name) {
                continue;
            }
            for (const control of cell.querySelectorAll("input:not([type=hidden]), select, textarea")) {
                if (!control.labels?.length && !control.hasAttribute("aria-label")
                        && !control.classList.contains("admin-autocomplete")) {
                    control.setAttribute("aria-label", name);
                }
            }
        }
    }
    // Select2 builds (and rebuilds) its boxes after the page has loaded: name them as they come.
    window.addEventListener("load", () => {
        nameControls(document);
        new MutationObserver((changes) => {
            if (changes.some((change) => change.addedNodes.length)) {
                nameControls(document);
            }
        }).observe(document.body, {childList: true, subtree: true});
    });

    // Rows added on the claim page ("Add another assertion").
    document.addEventListener("formset:added", (event) => {
        for (const input of event.target.querySelectorAll("input[data-value-preview]")) {
            watchValue(input);
        }
        setTimeout(() => nameControls(event.target));
    });

    // A reading filled in from the quote and left alone is not the reviewer's own value.
    document.addEventListener("submit", (event) => {
        if (event.defaultPrevented) {
            return; // the panel sends its own forms, and leaves such a reading out itself
        }
        for (const input of event.target.querySelectorAll("input[data-value-preview]")) {
            if (untouched(input)) {
                input.value = "";
            }
        }
    });
}
