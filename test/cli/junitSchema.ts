/**
 * An XSD-like check of kvstorage's JUnit XML, after the shape of Jenkins' junit-10.xsd (what GitLab, Azure
 * Pipelines and the GitHub test-report actions read too): it parses the XML (elements, attributes, text,
 * the five predefined entities and character references; no DTD, CDATA or comments, which the writer never
 * emits) and checks element nesting, required attributes, integer counts that add up, and at most one
 * failure or skipped per test case. Returns the problems found; none means valid. No XML parser is a
 * dependency of the project, hence this small one.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, problems: string[]): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) {
      problems.push(`a bare '&' in ${JSON.stringify(s.slice(0, 40))}`);
      return m;
    }
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    if (!(ref in entities)) problems.push(`unknown entity &${ref};`);
    return entities[ref] ?? m;
  });
}

/** Parses the document; problems collects what is not well-formed. */
export function parseXml(xml: string, problems: string[]): XmlElement | undefined {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) problems.push('missing <?xml version="1.0" encoding="UTF-8"?> declaration');
  const token = /<\/([A-Za-z][\w-]*)\s*>|<([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  token.lastIndex = decl ? decl[0].length : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = token.lastIndex;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const [, close, open, attrText, selfClose, text, stray] = m;
    if (stray !== undefined) {
      problems.push(`malformed markup at offset ${m.index}: ${JSON.stringify(xml.slice(m.index, m.index + 40))}`);
      break;
    }
    pos = token.lastIndex;
    if (text !== undefined) {
      if (stack.length === 0) {
        if (text.trim() !== '') problems.push(`text outside the root element: ${JSON.stringify(text.slice(0, 40))}`);
        continue;
      }
      stack.at(-1)!.text += decode(text, problems);
      continue;
    }
    if (close !== undefined) {
      const top = stack.pop();
      if (top?.name !== close) problems.push(`</${close}> closes <${top?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(/([A-Za-z][\w-]*)="([^"]*)"/g)) {
      if (a[1]! in attributes) problems.push(`<${open}> repeats attribute ${a[1]}`);
      attributes[a[1]!] = decode(a[2]!, problems);
    }
    const el: XmlElement = { name: open!, attributes, children: [], text: '' };
    if (stack.length > 0) stack.at(-1)!.children.push(el);
    else if (root) problems.push(`a second root element <${open}>`);
    else root = el;
    if (selfClose !== '/') stack.push(el);
  }
  if (pos < xml.length && !problems.some((p) => p.startsWith('malformed'))) problems.push(`unparsed input at offset ${pos}`);
  if (stack.length > 0) problems.push(`unclosed <${stack.map((e) => e.name).join('>, <')}>`);
  if (!root) problems.push('no root element');
  return root;
}

function count(el: XmlElement, attr: string, path: string, problems: string[]): number {
  const v = el.attributes[attr];
  if (v === undefined || !/^\d+$/.test(v)) {
    problems.push(`${path}: ${attr} must be a non-negative integer, is ${JSON.stringify(v)}`);
    return NaN;
  }
  return Number(v);
}

function only(el: XmlElement, allowed: readonly string[], path: string, problems: string[]): void {
  for (const attr of Object.keys(el.attributes)) if (!allowed.includes(attr)) problems.push(`${path}: unexpected attribute ${attr}`);
}

/** Problems with `xml` as a JUnit report; [] when it is valid. */
export function junitErrors(xml: string): string[] {
  const problems: string[] = [];
  const root = parseXml(xml, problems);
  if (!root) return problems;
  if (root.name !== 'testsuites') return [...problems, `root is <${root.name}>, not <testsuites>`];
  only(root, ['name', 'tests', 'failures', 'errors', 'skipped', 'time'], 'testsuites', problems);
  const totals = { tests: 0, failures: 0, skipped: 0 };
  root.children.forEach((suite, i) => {
    const at = `testsuite[${i}]`;
    if (suite.name !== 'testsuite') return void problems.push(`${at}: <${suite.name}> inside <testsuites>`);
    only(suite, ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'timestamp', 'hostname', 'id', 'package'], at, problems);
    if (!suite.attributes['name']) problems.push(`${at}: no name`);
    if (suite.text.trim() !== '') problems.push(`${at}: text content`);
    let failures = 0;
    let skipped = 0;
    suite.children.forEach((c, j) => {
      const cat = `${at}.testcase[${j}]`;
      if (c.name !== 'testcase') return void problems.push(`${cat}: <${c.name}> inside <testsuite>`);
      only(c, ['name', 'classname', 'time', 'assertions', 'status'], cat, problems);
      if (!c.attributes['name']) problems.push(`${cat}: no name`);
      if (!c.attributes['classname']) problems.push(`${cat}: no classname`);
      if (c.text.trim() !== '') problems.push(`${cat}: text content`);
      const kinds = c.children.map((x) => x.name);
      for (const k of kinds) if (!['skipped', 'failure', 'error', 'system-out', 'system-err'].includes(k)) problems.push(`${cat}: <${k}> inside <testcase>`);
      for (const k of ['skipped', 'failure', 'system-out']) if (kinds.filter((x) => x === k).length > 1) problems.push(`${cat}: more than one <${k}>`);
      if (kinds.includes('skipped') && kinds.includes('failure')) problems.push(`${cat}: both skipped and failed`);
      for (const x of c.children) {
        if (x.name === 'failure') only(x, ['message', 'type'], `${cat}.failure`, problems);
        if (x.name === 'skipped') only(x, ['message'], `${cat}.skipped`, problems);
        if (x.name === 'system-out') only(x, [], `${cat}.system-out`, problems);
        if (x.children.length > 0) problems.push(`${cat}.${x.name}: child elements`);
      }
      if (kinds.includes('failure')) failures++;
      if (kinds.includes('skipped')) skipped++;
    });
    const tests = suite.children.length;
    if (count(suite, 'tests', at, problems) !== tests) problems.push(`${at}: tests="${suite.attributes['tests']}" but ${tests} test cases`);
    if (count(suite, 'failures', at, problems) !== failures) problems.push(`${at}: failures="${suite.attributes['failures']}" but ${failures} failed`);
    if (count(suite, 'skipped', at, problems) !== skipped) problems.push(`${at}: skipped="${suite.attributes['skipped']}" but ${skipped} skipped`);
    count(suite, 'errors', at, problems);
    totals.tests += tests;
    totals.failures += failures;
    totals.skipped += skipped;
  });
  for (const k of ['tests', 'failures', 'skipped'] as const) {
    if (count(root, k, 'testsuites', problems) !== totals[k]) problems.push(`testsuites: ${k}="${root.attributes[k]}" but ${totals[k]} in the suites`);
  }
  return problems;
}
