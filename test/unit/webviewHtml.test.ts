// A webview page's HTML (client/webviews/html.ts): a Content-Security-Policy of default-src 'none' with a script
// nonce, the one script loaded from the bundle with that nonce, no inline script, and a title that cannot inject.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageHtml } from '../../client/webviews/html.js';

test("the page: default-src 'none', the bundle's script with the nonce, styles by nonce, nothing else", () => {
  const html = pageHtml({ title: 'Ops <b>"x"</b>', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/runs.js', cspSource: 'https://*.vscode-cdn.net', nonce: 'abc123' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.equal(csp, "default-src 'none'; script-src 'nonce-abc123'; style-src https://*.vscode-cdn.net 'nonce-abc123'; font-src https://*.vscode-cdn.net");
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.deepEqual(scripts.map((m) => [m[1]!.trim(), m[2]]), [['nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/runs.js"', '']]);
  assert.match(html, /<title>Ops &lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/);
  assert.match(html, /<style nonce="abc123">/);
  assert.match(html, /var\(--vscode-foreground\)/, 'the theme colours');
});
