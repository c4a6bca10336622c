// The VS Code extension's grammars, tokenized as VS Code tokenizes them (npm's vscode-textmate with
// vscode-oniguruma), on every file of stdlib-rules/ and examples/: every keyword of grammar/keywords.def
// written outside strings and comments gets a keyword scope (literals: also constant.language), every
// string a string scope, every comment a comment scope. The keywords are found here by reading the table
// itself, independently of the grammar.
//   node grammar_test.mjs EXTENSION_WORK_DIR SOURCE_DIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';

const [work, source] = process.argv.slice(2).map((p) => path.resolve(p));
const require = createRequire(path.join(work, 'package.json'));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

await oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s)}),
  loadGrammar: async (scope) => {
    const file = {'source.secretc-rules': 'secretc-rules.tmLanguage.json', 'source.secretc-fact': 'secretc-fact.tmLanguage.json'}[scope];
    return file ? vsctm.parseRawGrammar(fs.readFileSync(path.join(work, 'syntaxes', file), 'utf8'), file) : null;
  },
});

// The keywords, from the table.
const keywords = [];
for (const m of fs.readFileSync(path.join(source, 'grammar', 'keywords.def'), 'utf8').matchAll(/^SECRETC_KEYWORD\(\s*(\w+)\s*,[^"]*"([^"]*)"\s*,\s*"([^"]*)"\s*\)/gm)) {
  for (const spelling of [...m[2].split('|'), ...m[3].split('|')]) keywords.push({id: m[1], spelling});
}
assert.ok(keywords.length > 60, `keywords read: ${keywords.length}`);
keywords.sort((a, b) => b.spelling.length - a.spelling.length);
const LITERALS = new Set(['True', 'False', 'Today']);

// A line's strings and comment, by a lexer of its own: [start, end) ranges.
function lexLine(line) {
  const strings = [];
  let comment = null;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '#') { comment = [i, line.length]; break; }
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      strings.push([i, Math.min(j + 1, line.length)]);
      i = j;
    }
  }
  return {strings, comment};
}
const isWord = (c) => c !== undefined && /[\p{L}\p{N}_.]/u.test(c);

function scopesAt(tokens, index) {
  const t = tokens.find((tok) => tok.startIndex <= index && index < tok.endIndex);
  return t ? t.scopes : [];
}

let keywordsSeen = 0, stringsSeen = 0, commentsSeen = 0;
const rulesGrammar = await registry.loadGrammar('source.secretc-rules');
const factGrammar = await registry.loadGrammar('source.secretc-fact');
const ruleFiles = fs.readdirSync(path.join(source, 'stdlib-rules')).filter((f) => f.endsWith('.rules')).map((f) => path.join(source, 'stdlib-rules', f));
const factFiles = fs.readdirSync(path.join(source, 'examples')).filter((f) => f.endsWith('.fact')).map((f) => path.join(source, 'examples', f));
assert.ok(ruleFiles.length > 10 && factFiles.length > 10);

for (const [files, grammar, checkKeywords] of [[ruleFiles, rulesGrammar, true], [factFiles, factGrammar, false]]) {
  for (const file of files) {
    let state = vsctm.INITIAL;
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    lines.forEach((line, n) => {
      const where = `${path.relative(source, file)}:${n + 1}`;
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      const {strings, comment} = lexLine(line);
      for (const [a, b] of strings) {
        for (let i = a; i < b; i++) assert.ok(scopesAt(r.tokens, i).some((s) => s.startsWith('string.')), `${where}: a string at column ${i + 1}`);
        stringsSeen++;
      }
      if (comment) {
        assert.ok(scopesAt(r.tokens, comment[0]).some((s) => s.startsWith('comment.')), `${where}: a comment`);
        commentsSeen++;
      }
      if (!checkKeywords) return;
      const code = [...line];  // blank out strings and comments
      for (const [a, b] of [...strings, ...(comment ? [comment] : [])]) for (let i = a; i < b; i++) code[i] = ' ';
      const text = code.join('');
      const taken = new Array(text.length).fill(false);
      for (const {id, spelling} of keywords) {
        const re = new RegExp(spelling.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'gu');
        for (const m of text.matchAll(re)) {
          const at = m.index, end = at + m[0].length;
          if (isWord(text[at - 1]) || isWord(text[end]) || taken.slice(at, end).some((x) => x)) continue;
          for (let i = at; i < end; i++) taken[i] = true;
          const scopes = scopesAt(r.tokens, at);
          const ok = scopes.some((s) => s.startsWith('keyword.')) && (!LITERALS.has(id) || scopes.some((s) => s.startsWith('constant.language')));
          assert.ok(ok, `${where}: \`${m[0]}\` (${id}) has the scopes ${scopes.join(' ')}`);
          keywordsSeen++;
        }
      }
    });
  }
}
console.log(`grammar: ${ruleFiles.length} rule files and ${factFiles.length} case files: ${keywordsSeen} keywords, ${stringsSeen} strings, ${commentsSeen} comments, each with its scope`);
