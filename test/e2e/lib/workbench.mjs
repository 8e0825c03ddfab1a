// The workbench as the UI tests see it: locators and actions on VS Code's DOM (shared by the ui*.mjs suites).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';

/** Waits for the CSS animations (fade-ins) of `locator`'s element and its ancestors to finish, for a clear screenshot. */
export async function settled(locator) {
  await locator.evaluate(async (el) => {
    for (let e = el; e; e = e.parentElement) await Promise.all(e.getAnimations({ subtree: e === el }).map((a) => a.finished));
  });
}

/** Locators and actions on the workbench. */
export function workbench(page) {
  const quickInput = page.locator('.quick-input-widget input');
  return {
    quickInput,
    /** The editor's rendered line containing `text` (Monaco renders spaces as no-break spaces). */
    viewLine: (text) => page.locator('.monaco-editor .view-lines .view-line').filter({ hasText: new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \u00a0]')) }),
    async focusEditorArea() {
      await page.locator('.monaco-workbench .part.editor').click({ position: { x: 400, y: 300 } });
    },
    async openFile(name) {
      await page.keyboard.press('Control+P');
      await quickInput.waitFor({ state: 'visible' });
      await quickInput.fill(name);
      // Wait for the filtered list: the unfiltered one (recently opened) may hold `name` too, below the active file,
      // and Enter would then reopen the active file.
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor();
      await page.locator('.monaco-editor .view-lines .view-line').first().waitFor();
    },
    /** Moves the cursor to the first `needle` in the open file (Go to Line, which also scrolls it into view). */
    async goTo(file, needle) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const line = lines.findIndex((l) => l.includes(needle));
      assert.ok(line >= 0, `${needle} is in ${file}`);
      await page.keyboard.press('Control+G');
      await quickInput.waitFor({ state: 'visible' });
      await quickInput.fill(`:${line + 1}:${lines[line].indexOf(needle) + 1}`);
      await page.keyboard.press('Enter');
      await quickInput.waitFor({ state: 'hidden' });
      await page.locator('.statusbar-item', { hasText: `Ln ${line + 1}, Col ${lines[line].indexOf(needle) + 1}` }).first().waitFor();
    },
    /** Centre of the characters `needle` on the line showing `lineText`, in page pixels. */
    async pointAt(lineText, needle) {
      const line = this.viewLine(lineText).first();
      await line.waitFor();
      const box = await line.evaluate((el, word) => {
        const text = el.textContent.replace(/\u00a0/g, ' ');
        const start = text.indexOf(word);
        if (start < 0) return null;
        // Walk the line's text nodes to the characters of `word`, whatever the tokenizer split them into.
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.textContent.length;
          if (seen <= start && start < seen + len) range.setStart(node, start - seen);
          if (seen < start + word.length && start + word.length <= seen + len) {
            range.setEnd(node, start + word.length - seen);
            break;
          }
          seen += len;
        }
        const r = range.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }, needle);
      assert.ok(box, `${needle} is rendered on the line ${lineText}`);
      return box;
    },
  };
}

