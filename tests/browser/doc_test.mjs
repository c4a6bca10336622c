// `secretc doc` in a real browser: Debian's chromium, headless, driven by playwright-core. The site of
// the Belgian rulebase (with the examples) is served from a local folder; from the index, every page is
// visited and every link followed — each must load; every rule of stdlib-rules/ (read from the files
// themselves, not from the site) must have its page, with its title; the search box must find a rule by
// its article.
//
//   node doc_test.mjs --secretc build/dev/secretc --source . --out build/dev/tests/browser
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {chromium} from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const SECRETC = path.resolve(args.secretc);
const SOURCE = path.resolve(args.source);
const OUT = path.resolve(args.out);
const SITE = path.join(OUT, 'doc-site');

fs.rmSync(SITE, {recursive: true, force: true});
execFileSync(SECRETC, ['doc', '--rules', 'stdlib-rules', '--examples', 'examples', '-o', SITE], {cwd: SOURCE});

// The rules, as the rule files declare them.
const declared = new Map();
for (const file of fs.readdirSync(path.join(SOURCE, 'stdlib-rules')).filter((f) => f.endsWith('.rules'))) {
  for (const m of fs.readFileSync(path.join(SOURCE, 'stdlib-rules', file), 'utf8').matchAll(/^(?:règle|avertissement) ([a-z0-9_]+)(?: "([^"]*)")?/gm)) {
    declared.set(m[1], m[2] || m[1]);
  }
}
assert.ok(declared.size > 40, `rules read from stdlib-rules/: ${declared.size}`);

// A local server of the folder, on 127.0.0.1.
const server = http.createServer((req, res) => {
  const file = path.join(SITE, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(SITE) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({executablePath: args.chromium || '/usr/bin/chromium', args: ['--no-sandbox']});
try {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  // Breadth-first over every page the index leads to; each link must load.
  const seen = new Set([`${origin}/index.html`]);
  const queue = [`${origin}/index.html`];
  const titles = new Map();
  while (queue.length > 0) {
    const url = queue.shift();
    const response = await page.goto(url);
    assert.equal(response.status(), 200, `${url} loads`);
    titles.set(url, await page.locator('h1').first().innerText());
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.href))) {
      const target = href.split('#')[0];
      assert.ok(target.startsWith(origin), `a link leaves the site: ${href} (on ${url})`);
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  assert.ok(requests.every((u) => u.startsWith(origin)), 'nothing is loaded from outside');
  for (const [name, title] of declared) {
    const url = `${origin}/regles/${name}.html`;
    assert.ok(titles.has(url), `the rule ${name} has its page, reached from the index`);
    assert.equal(titles.get(url), title, `the page of ${name} has its title`);
  }
  console.log(`doc: ${seen.size} pages visited, every link loads, ${declared.size} rules each with its page`);

  // The search box finds the rules of an article, and only them.
  await page.goto(`${origin}/index.html`);
  await page.fill('#recherche', '458bis');
  const shown = await page.$$eval('#resultats li:not(.hidden)', (lis) => lis.map((li) => li.innerText));
  assert.ok(shown.length > 0, 'searching 458bis finds something');
  assert.ok(shown.every((t) => t.toLowerCase().includes('458bis')), `every result is about 458bis: ${shown}`);
  await page.fill('#recherche', 'etes-vous benevole');  // « Êtes-vous bénévole » without its accents
  const folded = await page.$$eval('#resultats li:not(.hidden)', (lis) => lis.map((li) => li.innerText));
  assert.ok(folded.some((t) => t.includes('confident.benevole')), `the search folds accents: ${folded}`);
  await page.screenshot({path: path.join(OUT, 'doc-index.png'), fullPage: false});
} finally {
  await browser.close();
  server.close();
}
