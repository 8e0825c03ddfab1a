/** A webview page's HTML: the CSP, the nonce, the theme's colours. No vscode here, so test/unit checks it. */

/** The page's HTML; the pure part of hosting, tested in test/unit without an editor. */
export function pageHtml(opts: { title: string; scriptUri: string; cspSource: string; nonce: string }): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${opts.nonce}'`,
    // vscode-elements styles its components through constructable stylesheets; the page's own rules are inline.
    `style-src ${opts.cspSource} 'nonce-${opts.nonce}'`,
    `font-src ${opts.cspSource}`,
  ].join('; ');
  const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escape(opts.title)}</title>
<style nonce="${opts.nonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
  h2 { font-size: 1.1em; margin: 1.2em 0 0.4em; }
  header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  header p { flex: 1 1 auto; color: var(--vscode-descriptionForeground); }
  .error { color: var(--vscode-errorForeground); }
  .empty, .status, .why { color: var(--vscode-descriptionForeground); }
  .changed { background: var(--vscode-diffEditor-insertedTextBackground); }
  pre { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background); padding: 6px 8px; }
  h3 { font-size: 1em; margin: 0.8em 0 0.2em; }
  :focus-visible { outline: 1px solid var(--vscode-focusBorder); }
</style>
</head>
<body>
<main id="root" aria-live="polite"><p>Loading…</p></main>
<script nonce="${opts.nonce}" src="${opts.scriptUri}"></script>
</body>
</html>`;
}
