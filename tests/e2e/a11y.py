"""Accessibility checks of one page: axe-core, reflow at 320 px, 200% zoom, announced form errors."""

from collections import Counter

BLOCKING = ("serious", "critical")
WIDE, NARROW, ZOOMED = 1280, 320, 640  # 640 CSS px = a 1280 px window at 200% zoom

_REFLOW_JS = """
(width) => {
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap, .visually-hidden, .skip-link')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      offenders.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 8)};
}
"""
_SETTLE_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
# A page state: the address without `lang` (the document's language is part of the key), the
# heading, a failed form or not, and the number of sections (a calculator's result adds one).
_KEY_JS = """() => { const q = new URLSearchParams(location.search); q.delete('lang');
  return [location.pathname + (q.toString() ? '?' + q : ''), document.documentElement.lang,
  (document.querySelector('h1') || {}).textContent || '', !!document.querySelector('.error-summary'),
  document.querySelectorAll('main h2').length].join('|'); }"""


class Auditor:
    """Runs the page checks once per distinct page state and keeps a tally for the summary."""

    pages: Counter = Counter()
    findings: Counter = Counter()  # (rule, impact) -> pages, every impact, for the report

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.seen: set[str] = set()

    def audit(self, page, label: str) -> list[str]:
        """Problems on the current page: blocking axe violations and reflow failures."""
        key = page.evaluate(_KEY_JS)
        if key in self.seen:
            return []
        self.seen.add(key)
        Auditor.pages[page.evaluate("document.documentElement.lang")] += 1
        viewport = page.viewport_size
        problems = self._axe(page, label, f"{viewport['width']}px")
        for width in (NARROW, ZOOMED):
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            page.evaluate(_SETTLE_JS)
            problems += self._reflow(page, label, width)
            if width == NARROW:
                problems += self._axe(page, label, f"{width}px")
        page.set_viewport_size(viewport)
        page.evaluate(_SETTLE_JS)
        return problems

    def _axe(self, page, label: str, where: str) -> list[str]:
        violations = self.axe.run(page).response["violations"]
        problems = []
        for violation in violations:
            Auditor.findings[(violation["id"], violation["impact"])] += 1
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(
                    f"{label} [{where}] axe {violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {targets}"
                )
        return problems

    def _reflow(self, page, label: str, width: int) -> list[str]:
        result = page.evaluate(_REFLOW_JS, width)
        if result["scrollWidth"] <= width + 1:
            return []
        what = "reflow at 320 px" if width == NARROW else "200% zoom"
        return [
            f"{label} [{what}] page scrolls sideways: scrollWidth {result['scrollWidth']} > "
            f"{width}; wide elements: {result['offenders']}"
        ]

    @classmethod
    def session_summary(cls) -> str:
        if not cls.pages:
            return ""
        found = ", ".join(f"{rule} ({impact}) x{n}" for (rule, impact), n in cls.findings.items())
        pages = ", ".join(f"{lang or '?'}: {n}" for lang, n in cls.pages.items())
        return f"accessibility: page states audited by language {pages}; axe findings: {found or 'none'}"


def error_announcement_problems(page, fields: list[str]) -> list[str]:
    """Check a failed form: focused role=alert summary linking to each field, fields aria-invalid."""
    state = page.evaluate(
        """(fields) => {
          const s = document.querySelector('.error-summary');
          if (!s) return {summary: false};
          const links = [...s.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1));
          const out = {summary: true, role: s.getAttribute('role'),
                       focused: document.activeElement === s || s.contains(document.activeElement),
                       links, fields: {}};
          for (const name of fields) {
            const el = document.getElementById('field-' + name);
            const ids = ((el && el.getAttribute('aria-describedby')) || '').split(/\\s+/).filter(Boolean);
            out.fields[name] = el ? {invalid: el.getAttribute('aria-invalid'),
              described: ids.some(id => { const d = document.getElementById(id);
                                           return d && d.textContent.trim().length > 0; })} : null;
          }
          return out;
        }""",
        fields,
    )
    if not state["summary"]:
        return ["no error summary on the failed form"]
    problems = []
    if state["role"] != "alert":
        problems.append(f"error summary has role={state['role']!r}, not alert")
    if not state["focused"]:
        problems.append("error summary did not receive focus")
    for name in fields:
        info = state["fields"].get(name)
        if info is None:
            problems.append(f"field {name} missing")
            continue
        if f"field-{name}" not in state["links"]:
            problems.append(f"error summary does not link to field {name}")
        if info["invalid"] != "true":
            problems.append(f"field {name} lacks aria-invalid=true")
        if not info["described"]:
            problems.append(f"field {name} is not described by its error message")
    return problems
