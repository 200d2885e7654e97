/**
 * Accessibility checks run against a loaded page: WCAG AA text contrast computed in the page, and accessible
 * names of controls and island roots as Chromium's accessibility tree computes them.
 *
 * @module
 */
import type { Page } from "playwright-core";

/** A visible text whose colour does not reach the WCAG AA ratio against what is behind it. */
export interface ContrastFailure {
  /** The element holding the text (tag, id and classes). */
  element: string;
  text: string;
  /** Contrast ratio found (NaN when it cannot be measured: text over a background image). */
  ratio: number;
  /** 4.5 for normal text, 3 for large text (≥ 24 px, or ≥ 18.66 px bold). */
  required: number;
  color: string;
  background: string;
}

/**
 * Runs inside the page (self-contained: serialised by `page.evaluate`). For every element with visible text,
 * and every filled or placeholder-showing text field, the text colour is compared with the colour behind it.
 *
 * Transparency: the background is found by walking up the DOM from the element, stacking every non-transparent
 * `background-color` until the first opaque one (the canvas is white when none is opaque); semi-transparent
 * layers are alpha-composited over the ones below them. A semi-transparent text colour is composited over that
 * background, its alpha first multiplied by the `opacity` of the element and its ancestors. Only DOM ancestors
 * count (an absolutely positioned element is assumed to sit on its ancestors' backgrounds), and a background
 * image (gradient, picture) makes the text unmeasurable, which is reported as a failure. CSS filters are not
 * applied (the page's only one, grayscale while reconnecting, keeps lightness about the same).
 */
function auditContrastInPage(): ContrastFailure[] {
  type RGBA = [number, number, number, number];
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  const parse = (css: string): RGBA => {
    const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css);
    if (m) {
      const a = m[4] === undefined ? 1 : m[4].endsWith("%") ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
      return [+m[1], +m[2], +m[3], a];
    }
    // Other colour syntaxes (color(), oklch(), …): let the canvas convert them to sRGB.
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top: RGBA, bottom: RGBA): RGBA => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = (c: RGBA) => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  };
  const show = (c: RGBA) =>
    `rgba(${c.slice(0, 3).map((v) => Math.round(v)).join(", ")}, ${+c[3].toFixed(2)})`;
  const describe = (el: Element) =>
    el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") +
    [...el.classList].map((c) => `.${c}`).join("");

  /** The composited background behind `el`, or null when a background image is in the way. */
  const background = (el: Element): RGBA | null => {
    const layers: RGBA[] = [];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.backgroundImage !== "none") return null;
      const c = parse(cs.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg: RGBA = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const opacity = (el: Element) => {
    let o = 1;
    for (let n: Element | null = el; n; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity);
    return o;
  };
  /** Hidden, clipped to nothing (visually hidden text), disabled or off screen: not visible text to check. */
  const skipped = (el: Element) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return true;
    if (el.closest(":disabled, [aria-disabled='true'], svg, canvas")) return true;
    const r = el.getBoundingClientRect();
    if (r.right <= 0 || r.bottom <= 0 || r.left >= document.documentElement.scrollWidth) return true;
    for (let n: Element | null = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      const box = n.getBoundingClientRect();
      if ((box.width <= 1 || box.height <= 1) && (cs.overflow !== "visible" || cs.clip !== "auto")) {
        return true;
      }
    }
    return false;
  };

  const failures: ContrastFailure[] = [];
  const check = (el: Element, text: string, colorCss: string) => {
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(cs.fontWeight, 10) >= 700);
    const required = large ? 3 : 4.5;
    const bg = background(el);
    const fg = parse(colorCss);
    if (bg === null) {
      failures.push({
        element: describe(el),
        text,
        ratio: NaN,
        required,
        color: show(fg),
        background: "image",
      });
      return;
    }
    const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const [hi, lo] = [luminance(shown), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < required) {
      failures.push({
        element: describe(el),
        text: text.slice(0, 60),
        ratio: Math.round(ratio * 100) / 100,
        required,
        color: show(shown),
        background: show(bg),
      });
    }
  };

  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent?.trim() ?? "";
    if (!el || text === "" || seen.has(el) || el.closest("script, style, noscript, template")) continue;
    seen.add(el);
    if (!skipped(el)) check(el, text, getComputedStyle(el).color);
  }
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")) {
    if (["hidden", "checkbox", "radio", "range", "color", "image"].includes(el.type) || skipped(el)) continue;
    if (el.value !== "") check(el, el.value, getComputedStyle(el).color);
    else if (el.placeholder) check(el, el.placeholder, getComputedStyle(el, "::placeholder").color);
  }
  return failures;
}

/** Visible texts of `page` below WCAG AA contrast (see {@linkcode auditContrastInPage} for the method). */
export async function contrastFailures(page: Page): Promise<ContrastFailure[]> {
  return await page.evaluate(auditContrastInPage);
}

/** Elements that need an accessible name: form controls, buttons, links and the root elements of islands. */
const NEEDS_NAME = [
  "button",
  "input:not([type=hidden])",
  "select",
  "textarea",
  "a[href]",
  "[role=button]",
  "[role=link]",
  "[role=tab]",
  "[role=img]",
  "x-island > *",
].join(", ");

/**
 * Elements of `page` that need an accessible name and have none, as Chromium's accessibility tree computes it
 * (aria-labelledby, aria-label, label, text content, title…); their opening tags. Elements not in the
 * accessibility tree (not rendered) are left out.
 */
export async function unnamedElements(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
    const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: NEEDS_NAME });
    const unnamed: string[] = [];
    for (const nodeId of nodeIds) {
      const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
      const node = nodes[0];
      const hidden = node?.ignoredReasons?.some((r) =>
        ["notRendered", "ariaHiddenElement", "ariaHiddenSubtree", "notVisible"].includes(r.name)
      );
      if (!node || hidden) continue;
      if (String(node.name?.value ?? "").trim() === "") {
        const { outerHTML } = await cdp.send("DOM.getOuterHTML", { nodeId });
        unnamed.push(outerHTML.slice(0, outerHTML.indexOf(">") + 1));
      }
    }
    return unnamed;
  } finally {
    await cdp.detach();
  }
}
