// Source checks the type checker does not make, over the product folders (not the tests):
// 1. A well-known label, annotation or finalizer key (core/kinds/wellKnown.ts) is spelled only there: every other
//    use imports it. Any string or template literal containing one is reported.
// 2. User input never indexes a plain object: an element access `o[k]` (or `k in o`) where `o` has a string
//    index signature (`Record<string, …>`) and `k` is a plain `string` must be an own-property lookup: guarded
//    by `Object.hasOwn(o, k)`, or `o` a Map instead. Otherwise `kind: constructor` reads Object's constructor.
//    A write `o[k] = v` is reported too (`__proto__` would replace the prototype): use putOwn() (core/own.ts) or a Map.
// Exits 1 listing each violation with file:line.
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sourceFiles } from './sourceFiles.mjs';

const root = process.cwd();
const folders = ['core', 'cluster', 'server', 'client', 'cli', 'webhook', 'webview'];
const wellKnownFile = join(root, 'core/kinds/wellKnown.ts');

const sources = folders.flatMap((f) => sourceFiles(join(root, f), /(?<!\.d)\.ts$/));
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(sources, { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const violations = [];
const where = (sf, node) => `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;

// 1. Well-known keys: the string values of wellKnown.ts's objects.
const keys = [...readFileSync(wellKnownFile, 'utf8').matchAll(/^\s+\w+: '([^']+)',/gm)].map((m) => m[1]);
if (keys.length < 10) {
  console.error(`checkSources: read only ${keys.length} keys from core/kinds/wellKnown.ts`);
  process.exit(2);
}
const keyPattern = new RegExp(`(^|[^\\w./-])(${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?![\\w./-])`);

// 2. Plain-object lookups by an unchecked string.
const isPlainString = (t) => (t.flags & ts.TypeFlags.String) !== 0;
function hasStringIndex(t) {
  const a = checker.getApparentType(t);
  if (checker.isArrayType(a) || checker.isTupleType(a)) return false;
  const symbol = a.getSymbol?.();
  if (symbol && ['Map', 'Set', 'WeakMap', 'ReadonlyMap', 'ReadonlySet', 'URLSearchParams', 'Headers'].includes(symbol.getName())) return false;
  if (a.isUnion()) return a.types.some((x) => hasStringIndex(x));
  return checker.getIndexInfoOfType(a, ts.IndexKind.String) !== undefined;
}
/** Whether an ancestor's condition checks `Object.hasOwn(obj, key)` first, or an earlier statement returns unless it holds. */
function guarded(node, objText, keyText, sf) {
  const guard = `Object.hasOwn(${objText}, ${keyText})`;
  for (let n = node, parent = node.parent; parent; n = parent, parent = parent.parent) {
    if (ts.isConditionalExpression(parent) && n !== parent.condition && parent.condition.getText(sf).includes(guard)) return true;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && n === parent.right && parent.left.getText(sf).includes(guard)) return true;
    if (ts.isIfStatement(parent) && n !== parent.expression && parent.expression.getText(sf).includes(guard)) return true;
    if (ts.isBlock(parent)) {
      // `if (!Object.hasOwn(o, k)) return …;` before the statement.
      for (const st of parent.statements) {
        if (st === n) break;
        const exits = (x) => ts.isReturnStatement(x) || ts.isContinueStatement(x) || ts.isThrowStatement(x);
        if (ts.isIfStatement(st) && st.expression.getText(sf).includes(`!${guard}`) && exits(st.thenStatement)) return true;
      }
    }
    if (ts.isFunctionLike(parent)) return false;
  }
  return false;
}
/** Whether a write sits in the `else` of a `key === '__proto__'` test (putOwn's own shape). */
function protoGuarded(node, keyText, sf) {
  for (let n = node, parent = node.parent; parent; n = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && n === parent.elseStatement && parent.expression.getText(sf) === `${keyText} === '__proto__'`) return true;
    if (ts.isFunctionLike(parent)) return false;
  }
  return false;
}
function isWrite(node) {
  const p = node.parent;
  return ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

for (const sf of program.getSourceFiles()) {
  if (!sources.includes(sf.fileName)) continue;
  const visit = (node) => {
    if (sf.fileName !== wellKnownFile && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))) {
      const m = keyPattern.exec(node.text);
      if (m) violations.push(`${where(sf, node)}: spells the well-known key ${JSON.stringify(m[2])}: import it from core/kinds/wellKnown.ts`);
    }
    if (ts.isElementAccessExpression(node) && isPlainString(checker.getTypeAtLocation(node.argumentExpression)) && hasStringIndex(checker.getTypeAtLocation(node.expression))) {
      const objText = node.expression.getText(sf);
      const keyText = node.argumentExpression.getText(sf);
      if (isWrite(node)) {
        if (!protoGuarded(node, keyText, sf)) violations.push(`${where(sf, node)}: ${objText}[${keyText}] = …: a key from input may be "__proto__": use putOwn() (core/own.ts) or a Map`);
      } else if (!guarded(node, objText, keyText, sf)) violations.push(`${where(sf, node)}: ${objText}[${keyText}] reads inherited properties ("constructor"): guard with Object.hasOwn(${objText}, ${keyText}) or use a Map`);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && isPlainString(checker.getTypeAtLocation(node.left)) && hasStringIndex(checker.getTypeAtLocation(node.right))) {
      violations.push(`${where(sf, node)}: ${node.getText(sf)} is true for inherited properties: use Object.hasOwn or a Map`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

if (violations.length) {
  console.error('Source check violations:\n' + violations.map((v) => '  ' + v).join('\n'));
  process.exit(1);
}
console.log(`sources: ok (${keys.length} well-known keys, ${sources.length} files)`);
