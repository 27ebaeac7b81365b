"""What a program can check of the RGAA on a page shown in Chromium: markup, keyboard, display."""

from pathlib import Path

# The checks of the markup, one function; its opening comment is left out (Playwright wants the function alone).
MARKUP = "\n".join(
    line
    for line in (Path(__file__).parent / "rgaa_markup.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)

# The text spacing of criterion 10.12 (WCAG 1.4.12), set on every element over the site's own styles (through
# the CSSOM: the Content-Security-Policy refuses a style sheet added to the page).
TEXT_SPACING = """() => document.querySelectorAll("body, body *").forEach((element) => {
  element.style.setProperty("line-height", "1.5", "important");
  element.style.setProperty("letter-spacing", "0.12em", "important");
  element.style.setProperty("word-spacing", "0.16em", "important");
  if (element.tagName === "P") element.style.setProperty("margin-bottom", "2em", "important");
})"""

# Elements whose text is cut off: they hide their overflow and hold more than they show.
CLIPPED = r"""() => Array.from(document.querySelectorAll("body *")).filter((element) => {
  const style = getComputedStyle(element);
  const hides = ["hidden", "clip"].includes(style.overflowX) || ["hidden", "clip"].includes(style.overflowY);
  const visible = element.offsetWidth > 0 && element.offsetHeight > 0 && style.visibility !== "hidden";
  const ownText = Array.from(element.childNodes).some((node) => node.nodeType === 3 && node.textContent.trim());
  // DSFR's header buttons show an icon alone by design; their text stays their name in the accessibility tree.
  const screenReaderOnly = element.closest(".fr-sr-only, .fr-hidden, [hidden], .fr-header__navbar .fr-btn");
  return hides && visible && ownText && !screenReaderOnly
    && (element.scrollWidth > element.clientWidth + 2 || element.scrollHeight > element.clientHeight + 2);
}).map((element) => element.tagName + (element.className ? "." + String(element.className).split(" ")[0] : ""))"""

# How far the page scrolls sideways, and the deepest elements that stick out to the right.
OVERFLOW = r"""() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll("body *")).filter((element) =>
    element.getBoundingClientRect().right > width + 1 && !Array.from(element.children).some(
      (child) => child.getBoundingClientRect().right > width + 1));
  return {by: document.documentElement.scrollWidth - width,
          where: wide.slice(0, 3).map((e) => e.tagName + "." + String(e.className).split(" ")[0])};
}"""

FOCUS = r"""() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  // DSFR draws some focus rings on a pseudo-element (a link that covers a whole card or the header's brand).
  const ring = (s) => s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const outline = ring(style) || ring(getComputedStyle(element, "::before"))
    || ring(getComputedStyle(element, "::after"));
  const shadow = style.boxShadow && style.boxShadow !== "none";
  // Where it sits on the page, not in the window: a page scrolled by Tab brings each link to the same place.
  const where = Math.round(box.x + scrollX) + "," + Math.round(box.y + scrollY);
  return {key: element.tagName + "#" + element.id + "." + (element.name || "") + "@" + where,
          label: (element.innerText || element.name || element.id || element.tagName).trim().slice(0, 40),
          visible: outline || shadow, inView: box.width > 0 && box.height > 0};
}"""

FOCUSABLE = r"""() => Array.from(document.querySelectorAll(
  "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, [tabindex]"))
  .filter((element) => element.tabIndex >= 0 && (element.offsetWidth || element.offsetHeight)
    && getComputedStyle(element).visibility !== "hidden" && !element.closest("[inert], [aria-hidden=true]")).length"""
