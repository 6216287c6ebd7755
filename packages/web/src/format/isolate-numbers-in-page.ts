/**
 * Numbers isolated in every text the page shows (issue 15 item 4): names and descriptions the
 * server gives in the reader's language, catalogue and user text, messages. A MutationObserver on
 * the app's root passes each text node, as React writes it, through `isolateNumbersFor` (right-to-left
 * page: every text; left-to-right page: text with right-to-left letters), so no page has to think
 * of it. The change is idempotent (what is already isolated is left alone), so the observer's own
 * writes end there. Text that is data rather than reading is never touched: form fields and their
 * options, code, scripts and styles, editable regions.
 */
import { isolateNumbersFor } from './isolate-numbers.ts';

/** Elements whose text is a value, code or program, not prose: left as they are. */
const UNTOUCHED = new Set(['TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'SCRIPT', 'STYLE', 'CODE', 'PRE', 'KBD', 'SAMP']);

function touchable(node: Text): boolean {
  for (let el = node.parentElement; el; el = el.parentElement) {
    if (UNTOUCHED.has(el.tagName) || el.isContentEditable) return false;
  }
  return true;
}

function pageDir(): 'rtl' | 'ltr' {
  return document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr';
}

/**
 * The text nodes this module just wrote, with what it wrote: the observer is told of its own writes, and passing
 * them again (the regular expressions of isolate-numbers.ts once more over every number of a large table) would
 * find nothing to change.
 */
const written = new WeakMap<Text, string>();

function isolateText(node: Text, dir: 'rtl' | 'ltr'): void {
  const text = node.data;
  if (written.get(node) === text) return;
  // Only text with a digit, then a separator, then a digit can change: a quick test first.
  if (!/\p{Nd}\D{1,3}\p{Nd}/u.test(text)) return;
  const isolated = isolateNumbersFor(text, dir);
  if (isolated !== text && touchable(node)) {
    node.data = isolated;
    written.set(node, isolated);
  }
}

function isolateUnder(root: Node, dir: 'rtl' | 'ltr'): void {
  if (root.nodeType === Node.TEXT_NODE) {
    isolateText(root as Text, dir);
    return;
  }
  if (root.nodeType !== Node.ELEMENT_NODE || UNTOUCHED.has((root as Element).tagName)) return;
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) isolateText(n as Text, dir);
}

/** Starts isolating the numbers of everything under `root` now and as it changes; returns the stop. */
export function isolateNumbersInPage(root: HTMLElement): () => void {
  isolateUnder(root, pageDir());
  const observer = new MutationObserver((records) => {
    const dir = pageDir();
    for (const r of records) {
      if (r.type === 'characterData') isolateUnder(r.target, dir);
      else for (const n of r.addedNodes) isolateUnder(n, dir);
    }
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  // The language changed: what was already there is passed again for the new direction.
  const onDir = new MutationObserver(() => isolateUnder(root, pageDir()));
  onDir.observe(document.documentElement, { attributes: true, attributeFilter: ['dir'] });
  return () => {
    observer.disconnect();
    onDir.disconnect();
  };
}
