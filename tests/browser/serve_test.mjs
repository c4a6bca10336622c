// `secretc serve` in a real browser: Debian's chromium, headless, driven by playwright-core (no browser
// is downloaded). For seed examples, the form is filled as a person would fill it; the verdict, the
// grounds and the open questions the page shows must be those `secretc check --format json` gives for
// the same file; the downloaded case file must get the same answer from `secretc check`; a case file
// is opened; the interview offers the decisive question. Screenshots go to the build folder.
//
//   node serve_test.mjs --secretc build/dev/secretc --source . --out build/dev/tests/browser
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {chromium} from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const SECRETC = path.resolve(args.secretc);
const SOURCE = path.resolve(args.source);
const OUT = path.resolve(args.out);
const CHROMIUM = args.chromium || '/usr/bin/chromium';
fs.mkdirSync(OUT, {recursive: true});

const started = Date.now();
function step(what) { console.log(`browser: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`); }

function check(file) {
  // `secretc check` exits 0 or 1 (a conflict); its JSON is the answer either way.
  try {
    return JSON.parse(execFileSync(SECRETC, ['check', '--format', 'json', file], {cwd: SOURCE, encoding: 'utf8'}));
  } catch (e) {
    throw new Error(`secretc check ${file} failed: ${e.stderr || e.message}`);
  }
}

// A case file's lines as values, read independently of secretc (the oracle is `secretc check`).
function readFact(file) {
  const facts = [];
  for (const raw of fs.readFileSync(path.join(SOURCE, file), 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-z_.0-9]+)\s*=\s*(.*?)\s*$/.exec(line);
    assert.ok(m, `unexpected line in ${file}: ${line}`);
    let value = m[2];
    if (value.startsWith('"')) value = JSON.parse(value);
    else if (['oui', 'true', 'vrai'].includes(value)) value = true;
    else if (['non', 'false', 'faux'].includes(value)) value = false;
    else if (value === '?' || value === 'inconnu') value = null;
    facts.push([m[1], value]);
  }
  return facts;
}

async function startServer(extra = []) {
  const child = spawn(SECRETC, ['serve', '--port', '0', ...extra], {cwd: SOURCE, stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`secretc serve printed no address: ${out} ${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^secretc: serving on (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`secretc serve exited with ${code}: ${stderr}`)));
  });
  return {child, url, stderr: () => stderr};
}

// Waits until the page shows the answer to everything set so far.
async function settled(page) {
  await page.waitForFunction(() => document.body.dataset.pending === 'no', null, {timeout: 15000});
}

async function fill(page, facts) {
  for (const [name, value] of facts) {
    const box = page.locator(`#form [data-fact="${name}"]`);
    assert.equal(await box.count(), 1, `no field for ${name}`);
    const control = await box.getAttribute('data-control');
    const wanted = value === null ? 'unknown' : String(value);
    if (control === 'radio') {
      await box.locator(`input[type=radio][value="${wanted}"]`).check();
    } else if (control === 'select') {
      await box.locator('select').selectOption(wanted);
    } else if (value === null) {
      await box.locator('input[type=checkbox]').check();
    } else {
      await box.locator('input:not([type=checkbox])').fill(String(value));
    }
  }
  await settled(page);
}

// The answer a field of the form holds: a member, 'true'/'false', 'unknown', or '' when none.
async function formValue(page, fact) {
  return page.evaluate((f) => {
    const box = document.querySelector(`#form [data-fact="${f}"]`);
    if (box.dataset.control === 'radio') return box.querySelector('input:checked')?.value ?? '';
    if (box.dataset.control === 'select') return box.querySelector('select').value;
    return box.querySelector('input[type=checkbox]').checked ? 'unknown' : box.querySelector('input').value;
  }, fact);
}

// What the page shows, read from the DOM.
async function shown(page) {
  return page.evaluate(() => {
    const verdict = document.querySelector('#report .verdict');
    return {
      verdict: verdict ? verdict.dataset.value : undefined,
      settled: verdict ? verdict.dataset.settled === 'true' : undefined,
      verdictText: verdict ? verdict.querySelector('.value').textContent : '',
      grounds: [...document.querySelectorAll('#report .grounds-list > li')].map((li) => ({
        rule: li.dataset.rule,
        cite: li.querySelector('cite').textContent,
        text: (li.querySelector('.because') || {textContent: ''}).textContent,
      })),
      questions: [...document.querySelectorAll('#report .open-questions > li')].map((li) => li.dataset.fact),
      depends: [...document.querySelectorAll('#report .depends [data-fact]')].map((li) => li.dataset.fact),
      conditions: [...document.querySelectorAll('#report .set-conditions ul.members:not(.maybe) > li')].map((li) => li.dataset.member),
      provisos: [...document.querySelectorAll('#report .provisos li')].map((li) => li.dataset.rule),
      whyNot: [...document.querySelectorAll('#report .why-not li')].map((li) => li.dataset.rule),
    };
  });
}

function sameAnswer(page, expected, label) {
  assert.equal(page.verdict, expected.outputs.verdict, `${label}: verdict`);
  assert.equal(page.settled, expected.status.verdict.settled, `${label}: settled`);
  assert.deepEqual(page.grounds.map((g) => g.rule), expected.grounds.map((g) => g.rule), `${label}: grounds`);
  assert.deepEqual(page.grounds.map((g) => g.cite), expected.grounds.map((g) => g.cite), `${label}: citations`);
  assert.deepEqual(page.grounds.map((g) => g.text), expected.grounds.map((g) => g.text), `${label}: reasons`);
  assert.deepEqual([...page.questions].sort(), expected.missing.map((m) => m.fact).sort(), `${label}: open questions`);
  assert.deepEqual(page.depends, expected.depends_on.map((d) => d.fact), `${label}: depends on`);
  assert.deepEqual(page.conditions, expected.outputs.conditions, `${label}: limits`);
  assert.deepEqual(page.provisos, expected.provisos.map((p) => p.rule), `${label}: provisos`);
  assert.deepEqual(page.whyNot, expected.why_not.map((m) => m.rule), `${label}: why not`);
}

function strip(report) {
  const r = structuredClone(report);
  delete r.case;
  return r;
}

async function downloadAndCheck(page, name, expected) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = path.join(OUT, `${name}.downloaded.fact`);
  await download.saveAs(saved);
  const again = check(saved);
  assert.deepEqual(strip(again), strip(expected), `${name}: the downloaded case file gets another answer`);
}

const LOADED = (page) => page.waitForFunction(() => document.body.dataset.ready === 'yes', null, {timeout: 15000});

async function main() {
  for (const tool of [SECRETC, CHROMIUM]) assert.ok(fs.existsSync(tool), `${tool} is missing (scripts/bootstrap.sh installs chromium)`);
  const server = await startServer();
  step(`secretc serve at ${server.url}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-extensions',
      '--no-first-run'],
  });
  const problems = [];
  const foreign = [];
  try {
    step(`chromium ${browser.version()}`);
    const context = await browser.newContext({viewport: {width: 1280, height: 900}, acceptDownloads: true});
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:')) foreign.push(r.url()); });
    await page.goto(server.url);
    await LOADED(page);
    await settled(page);

    // Every control has a name a screen reader says; the form is in French by default.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('#form input, #form select')]
      .filter((c) => c.labels.length === 0 && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
      .map((c) => c.name || c.id));
    assert.deepEqual(unlabelled, [], 'controls without a label');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.ok((await page.textContent('h1')).startsWith('Secret professionnel'));

    // 1. A settled case, filled field by field.
    const first = 'examples/psychiatre_madame_l.fact';
    await fill(page, readFact(first));
    const firstExpected = check(first);
    sameAnswer(await shown(page), firstExpected, first);
    await page.screenshot({path: path.join(OUT, 'psychiatre_madame_l.png'), fullPage: true});
    await downloadAndCheck(page, 'psychiatre_madame_l', firstExpected);
    step(`${first}: ${firstExpected.outputs.verdict}, ${firstExpected.grounds.length} grounds, page and check agree`);

    // 2. A case whose answer is not settled: the page says what it depends on.
    await page.click('#reset');
    await settled(page);
    const second = 'examples/mediateur_tribunal_procedure_inconnue.fact';
    await fill(page, readFact(second));
    const secondExpected = check(second);
    assert.equal(secondExpected.status.verdict.settled, false);
    const secondShown = await shown(page);
    sameAnswer(secondShown, secondExpected, second);
    await page.screenshot({path: path.join(OUT, 'mediateur_tribunal_procedure_inconnue.png'), fullPage: true});
    await downloadAndCheck(page, 'mediateur_tribunal_procedure_inconnue', secondExpected);
    step(`${second}: ${secondExpected.outputs.verdict} (not settled), depends on ${secondShown.depends.join(', ')}`);

    // 3. The interview offers the question that decides, and its answer changes the verdict as `check` says.
    await page.check('input[name=mode][value=interview]');
    const asked = await page.getAttribute('#interview .question', 'data-fact');
    assert.equal(asked, secondExpected.depends_on[0].fact, 'the interview asks the decisive question first');
    const branch = secondExpected.depends_on[0].cases[0];
    await page.click(`#interview .answers button[data-value="${branch.values[0]}"]`);
    await settled(page);
    const withAnswer = path.join(OUT, 'mediateur_with_answer.fact');
    fs.writeFileSync(withAnswer, fs.readFileSync(path.join(SOURCE, second), 'utf8') + `${asked} = ${branch.values[0]}\n`);
    const answered = check(withAnswer);
    assert.equal(answered.outputs.verdict, branch.answers.verdict.value);
    sameAnswer(await shown(page), answered, 'after the interview answer');
    await page.screenshot({path: path.join(OUT, 'interview.png'), fullPage: true});
    // Keyboard: the focus is on the next question's answers; « je ne sais pas » by keyboard alone.
    if (await page.locator('#interview .question').count() > 0) {
      const next = await page.getAttribute('#interview .question', 'data-fact');
      assert.equal(await page.evaluate(() => document.activeElement.closest('#interview .answers') !== null), true,
        'the focus is on the next answers');
      await page.focus('#interview .answers button[data-value="unknown"]');
      await page.keyboard.press('Enter');
      await settled(page);
      assert.equal(await formValue(page, next), 'unknown', 'the keyboard answer is in the form');
      const after = await page.locator('#interview .question').count() > 0
        ? await page.getAttribute('#interview .question', 'data-fact') : null;
      assert.notEqual(after, next, '« je ne sais pas » is not asked again');
    }
    await page.check('input[name=mode][value=form]');
    step(`interview: asked ${asked}, answered ${branch.values[0]} → ${answered.outputs.verdict}`);

    // 4. Opening a case file shows its facts and its answer.
    await page.click('#reset');
    await settled(page);
    await page.setInputFiles('#open-file', path.join(SOURCE, first));
    await page.waitForFunction(() => document.querySelector('#form [data-fact="confident.fonction"] select')?.value === 'psychiatre');
    await settled(page);
    const opened = check(first);
    sameAnswer(await shown(page), opened, 'opened file');
    step('opened a case file');

    // 5. On a phone.
    const phone = await browser.newContext({viewport: {width: 390, height: 844}, isMobile: true, hasTouch: true});
    const small = await phone.newPage();
    small.on('pageerror', (e) => problems.push(String(e)));
    await small.goto(server.url);
    await LOADED(small);
    await small.setInputFiles('#open-file', path.join(SOURCE, second));
    await small.waitForFunction(() => document.querySelector('#form [data-fact="confident.fonction"] select')?.value === 'mediateur');
    await settled(small);
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is wider than the phone: ${width}px`);
    sameAnswer(await shown(small), secondExpected, 'phone');
    await small.screenshot({path: path.join(OUT, 'phone.png'), fullPage: true});
    step('phone layout');

    // 6. In English.
    const english = await startServer(['--lang', 'en']);
    try {
      const en = await context.newPage();
      en.on('pageerror', (e) => problems.push(String(e)));
      await en.goto(english.url);
      await LOADED(en);
      await settled(en);
      assert.equal(await en.getAttribute('html', 'lang'), 'en');
      assert.ok((await en.textContent('h1')).startsWith('Professional secrecy'));
      await en.screenshot({path: path.join(OUT, 'english.png'), fullPage: true});
    } finally {
      english.child.kill('SIGTERM');
    }

    assert.deepEqual(problems, [], 'errors in the page');
    assert.deepEqual(foreign, [], 'requests to another address');
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
  const code = server.child.exitCode ?? await new Promise((resolve) => server.child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, 'secretc serve exits 0 on SIGTERM');
  assert.equal(server.stderr(), '', 'secretc serve wrote nothing on standard error');
  step(`done; screenshots in ${OUT}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
