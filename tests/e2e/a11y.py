"""Accessibility checks run in a Playwright page: axe-core (the npm package pinned in
package-lock.json, injected into the page), sideways scrolling, and where the keyboard focus is."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots" / "a11y"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = ("serious", "critical")
# Rules that fail whatever impact axe gives them, because the issue named them.
ALWAYS = ("empty-table-header",)


def with_axe(context):
    """Gives every page of this browser context axe-core. An init script, not a <script> tag: the
    app's CSP (script-src 'self' and a nonce) refuses an injected inline script, and turning the CSP
    off (bypass_csp) would let inline styles and scripts work in the test that production blocks."""
    assert AXE.exists(), "axe-core is missing: npm ci (make test-tools) installs it from package-lock.json"
    context.add_init_script(path=str(AXE))
    return context


def axe_problems(page, exclude=()):
    """Every serious or critical axe-core violation on the page (and any of the ALWAYS rules), as
    "rule-id (impact): selector — help (what is wrong)" lines. `exclude`: selectors of parts not checked."""
    assert page.evaluate("typeof window.axe !== 'undefined'"), "axe-core is not in this page: use with_axe(context)"
    results = page.evaluate(
        """async (exclude) => {
        const context = exclude.length ? {include: [document], exclude: exclude.map(s => [s])} : document;
        const results = await axe.run(context, {resultTypes: ["violations"]});
        return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
        }));
    }""",
        list(exclude),
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}{_detail(node)}"
        for violation in results
        if violation["impact"] in BLOCKING or violation["id"] in ALWAYS
        for node in violation["nodes"]
    ]


def _detail(node):
    """The line of axe's failure summary that says what is wrong (the contrast ratio and colours)."""
    lines = [line.strip() for line in node["summary"].splitlines()[1:] if line.strip()]
    return f" ({lines[0]})" if lines else ""


def sideways_overflow(page):
    """What sticks out sideways: `extra`, how many CSS pixels the page is wider than the window (0 when
    it does not scroll sideways) and its widest `culprits`; and `clipped`, what sticks out of a card
    (which then scrolls sideways) without being a table: only tables may scroll inside their card."""
    return page.evaluate("""() => {
        const name = (element) => {
            const classes = typeof element.className === "string" ? element.className.trim().split(/\\s+/) : [];
            return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
                (classes[0] ? "." + classes.join(".") : "");
        };
        const scrolls = (element) => {
            for (let up = element.parentElement; up; up = up.parentElement) {
                if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) return true;
            }
            return false;
        };
        const width = window.innerWidth, extra = document.documentElement.scrollWidth - width;
        const culprits = [];
        if (extra > 0) {
            for (const element of document.body.querySelectorAll("*")) {
                const box = element.getBoundingClientRect();
                if (box.width > 0 && box.right > width + 1 && !scrolls(element)) {
                    culprits.push(`${name(element)} (right edge at ${Math.round(box.right)} px)`);
                }
            }
        }
        const clipped = [];
        for (const card of document.querySelectorAll(".card")) {
            if (card.scrollWidth <= card.clientWidth + 1) continue;
            const edge = card.getBoundingClientRect().right;
            for (const element of card.querySelectorAll("*")) {
                const box = element.getBoundingClientRect();
                if (box.width > 0 && box.right > edge + 1 && !element.closest("table, .table-scroll")) {
                    clipped.push(`${name(element)} (right edge ${Math.round(box.right - edge)} px past its card)`);
                }
            }
        }
        return {extra: Math.max(extra, 0), culprits: culprits.slice(0, 8), clipped: clipped.slice(0, 8)};
    }""")


def focused(page):
    """The focused element, described: its tag, id, role, text, href, name, the id of its section and
    whether an outline or box shadow makes the focus visible."""
    return page.evaluate("""() => {
        const element = document.activeElement;
        if (!element || element === document.body || element === document.documentElement) return {tag: "body"};
        const style = getComputedStyle(element);
        const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
                        (style.boxShadow && style.boxShadow !== "none");
        return {tag: element.tagName.toLowerCase(), id: element.id, role: element.getAttribute("role") || "",
                text: (element.innerText || element.value || element.getAttribute("aria-label") || "")
                    .trim().slice(0, 80),
                href: element.getAttribute("href") || "", name: element.getAttribute("name") || "",
                panel: (element.closest("section[id]") || {}).id || "", visible};
    }""")


def screenshot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
