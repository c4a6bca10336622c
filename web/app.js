// The page of `secretc serve`: a form built from the rulebase's vocabulary (GET /api/vocabulary), the
// answer recomputed by the server as facts are set (POST /api/answer), an interview that offers the
// most decisive open question, and case files downloaded and opened (POST /api/case-file,
// /api/parse-case). Nothing is stored: the case lives in this page only. No framework, no external file;
// text is always set as text, never as HTML.
'use strict';

// Each text of the page, French then English, side by side.
const STRINGS = {
  title: ['Secret professionnel : puis-je parler ?',
    'Professional secrecy: may I speak?'],
  skip_to_answer: ['Aller à la réponse',
    'Skip to the answer'],
  see_answer: ['Voir la réponse complète',
    'See the whole answer'],
  read_rules: ['Lire les règles de la base',
    'Read the rulebase (in French)'],
  summary: ['Réponse : {0}',
    'Answer: {0}'],
  summary_open: ['Réponse : {0} (pas tranchée)',
    'Answer: {0} (not settled)'],
  mode: ['Mode',
    'Mode'],
  mode_form: ['Formulaire',
    'Form'],
  mode_interview: ['Entretien (une question à la fois)',
    'Interview (one question at a time)'],
  download: ['Télécharger le dossier',
    'Download the case file'],
  open: ['Ouvrir un dossier…',
    'Open a case file…'],
  reset: ['Tout effacer',
    'Clear everything'],
  situation: ['La situation',
    'The situation'],
  intro: ['Répondez à ce que vous savez ; laissez le reste. « Je ne sais pas » est toujours une réponse possible : la réponse dira alors ce qui en dépend.',
    'Answer what you know; leave the rest. “I don\'t know” is always an answer: the result then says what depends on it.'],
  answer: ['La réponse',
    'The answer'],
  privacy: ['Cette page fonctionne sur votre ordinateur seulement : rien de ce que vous écrivez n\'est enregistré ni envoyé ailleurs.',
    'This page runs on your computer only: nothing you write is stored or sent anywhere.'],
  yes: ['Oui',
    'Yes'],
  no: ['Non',
    'No'],
  unknown: ['Je ne sais pas',
    'I don\'t know'],
  choose: ['— choisir —',
    '— choose —'],
  clear: ['Effacer',
    'Clear'],
  clear_label: ['Effacer la réponse : {0}',
    'Clear the answer: {0}'],
  default_is: ['Par défaut : {0}.',
    'Default: {0}.'],
  today: ['aujourd\'hui',
    'today'],
  other_facts: ['Autres faits',
    'Other facts'],
  as_of: ['à jour au {0}',
    'up to date on {0}'],
  verdict: ['Réponse',
    'Answer'],
  duty: ['Devoir',
    'Duty'],
  settled: ['Réponse tranchée.',
    'Settled answer.'],
  in_doubt: ['Pas tranchée : dans le doute, c\'est la réponse prudente. Elle dépend des questions ci-dessous.',
    'Not settled: in doubt, this is the cautious answer. It depends on the questions below.'],
  in_every_case: ['Pas tranchée, mais vraie dans tous les cas ; la réponse exacte dépend des questions ci-dessous.',
    'Not settled, but true in every case; the exact answer depends on the questions below.'],
  no_value: ['Indéterminée : la réponse dépend des questions ci-dessous.',
    'Undetermined: the answer depends on the questions below.'],
  possible: ['Réponses possibles : {0}',
    'Possible answers: {0}'],
  depends: ['La réponse dépend de',
    'The answer depends on'],
  if_: ['si {0} : {1}',
    'if {0}: {1}'],
  provisos: ['Cette réponse suppose que',
    'This answer assumes that'],
  conditions: ['Ce que vous devez respecter',
    'Limits that come with the answer'],
  may_add: ['Selon les questions ouvertes, pourraient s\'ajouter',
    'Depending on the open questions, these may be added'],
  nothing: ['Rien de particulier.',
    'None.'],
  adds: ['s\'ajoute',
    'adds'],
  nothing_more: ['rien de plus n\'est tranché',
    'nothing more is settled'],
  grounds: ['Fondements',
    'Grounds'],
  no_grounds: ['Aucune règle particulière : la règle générale s\'applique.',
    'No particular rule: the general rule applies.'],
  in_force: ['En vigueur {0}.',
    'In force {0}.'],
  from: ['du {0}',
    'from {0}'],
  until: ['jusqu\'au {0} inclus',
    'until {0} included'],
  note: ['Note : {0}',
    'Note: {0}'],
  overridden: ['Règles écartées',
    'Rules set aside'],
  set_aside_by: ['écartée par « {0} »',
    'set aside by “{0}”'],
  may_apply: ['Règles qui pourraient encore s\'appliquer',
    'Rules that may still apply'],
  why_not: ['Pourquoi pas ?',
    'Why not?'],
  why_not_intro: ['Exceptions qui ne s\'appliquent pas, mais s\'appliqueraient si une ou deux réponses étaient autres :',
    'Exceptions that do not apply, but would if one or two answers were different:'],
  would_apply_if: ['s\'appliquerait si',
    'would apply if'],
  might_apply: ['(elle pourrait alors s\'appliquer, selon les autres questions)',
    '(it might then apply, depending on the other questions)'],
  here: ['ici',
    'here'],
  not_given: ['non renseigné',
    'not given'],
  may_apply_fires: ['ses conditions sont réunies, mais elle pourrait être écartée par {0}',
    'its conditions hold, but it may be set aside by {0}'],
  may_apply_maybe: ['selon les réponses aux questions ouvertes',
    'depending on the answers to the open questions'],
  sanctions: ['En cas de violation',
    'If the duty is broken'],
  warnings: ['Attention',
    'Warning'],
  after_as_of: ['La base de règles est à jour au {0} ; cette situation est postérieure : des changements de la loi peuvent y manquer.',
    'The rulebase is up to date on {0}; this situation is later: changes of the law may be missing from it.'],
  conflict: ['Conflit entre deux règles ({0}) : « {1} » et « {2} ». La base de règles ne tranche pas ce cas : dans le doute, gardez le secret et consultez un juriste.',
    'Conflict between two rules ({0}): “{1}” and “{2}”. The rulebase does not settle this case: in doubt, keep the secret and ask a lawyer.'],
  questions: ['Questions encore ouvertes',
    'Open questions'],
  questions_none: ['Aucune question ouverte.',
    'No open question.'],
  rank_verdict: ['peut changer la réponse',
    'may change the answer'],
  rank_answer: ['peut changer le devoir',
    'may change the duty'],
  rank_limits: ['peut changer les limites',
    'may change the limits'],
  rank_together: ['compte avec d\'autres réponses',
    'counts with other answers'],
  answer_it: ['Répondre',
    'Answer'],
  interview_title: ['Question suivante',
    'Next question'],
  interview_why_verdict: ['Pourquoi cette question ? Sa réponse, seule, peut changer la réponse.',
    'Why this question? Its answer alone may change the answer.'],
  interview_why_answer: ['Pourquoi cette question ? Sa réponse peut changer le devoir qui s\'applique.',
    'Why this question? Its answer may change which duty applies.'],
  interview_why_limits: ['Pourquoi cette question ? Sa réponse peut changer les limites à respecter.',
    'Why this question? Its answer may change the limits to respect.'],
  interview_why_together: ['Pourquoi cette question ? Avec d\'autres réponses, elle peut changer la réponse.',
    'Why this question? With other answers, it may change the answer.'],
  interview_done: ['Plus aucune question ne peut changer la réponse. Vous pouvez télécharger le dossier.',
    'No question left can change the answer. You may download the case file.'],
  interview_back: ['Revenir à la question précédente',
    'Back to the previous question'],
  interview_count: ['{0} question(s) encore ouverte(s)',
    '{0} open question(s)'],
  loading: ['Calcul de la réponse…',
    'Computing the answer…'],
  server_error: ['Le serveur n\'a pas pu répondre : {0}',
    'The server could not answer: {0}'],
  file_errors: ['Ce dossier ne peut pas être ouvert :',
    'This case file cannot be opened:'],
  file_notes: ['Lu dans le dossier :',
    'Read in the case file:'],
  case_errors: ['Certaines réponses ne sont pas comprises :',
    'Some answers are not understood:'],
  answered: ['{0} réponse(s) données',
    '{0} answer(s) given'],
  text_placeholder: ['texte',
    'text'],
};

const LANG = document.documentElement.lang === 'en' ? 'en' : 'fr';
const T = Object.fromEntries(
  Object.entries(STRINGS).map(([key, texts]) => [key, texts[LANG === 'en' ? 1 : 0]]));

function t(key, ...args) {
  return T[key].replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
}

// el('p', {class: 'x'}, 'text', child…): an element whose text is always text.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function words(name) { return name.replaceAll('_', ' '); }

// A quotation as each language writes it.
function quoted(text) { return LANG === 'fr' ? `« ${text} »` : `“${text}”`; }

// --- state -------------------------------------------------------------------------------------------

const state = {
  vocabulary: null,
  facts: new Map(),   // fact name → JSON value (null: « je ne sais pas »); absent: not answered
  caseName: null,     // the name of an opened case file
  answer: null,       // the last POST /api/answer reply
  history: [],        // interview: the facts answered, to go back
  sequence: 0,        // the last request sent; older replies are dropped
};

const factsByName = new Map();
const outputsByName = new Map();

function memberLabel(members, name) {
  const m = (members || []).find((x) => x.name === name);
  return m && m.label ? m.label : words(name);
}

function outputLabel(output, member) {
  const o = outputsByName.get(output);
  return o ? memberLabel(o.members, member) : words(member);
}

function factQuestion(name) {
  const f = factsByName.get(name);
  return f && f.question ? f.question : name;
}

function valueWords(fact, value) {
  const f = factsByName.get(fact);
  if (value === null) return T.unknown;
  if (typeof value === 'boolean') return value ? T.yes : T.no;
  if (f && f.members) return memberLabel(f.members, value);
  return String(value);
}

// --- the form ----------------------------------------------------------------------------------------

function fieldId(name) { return 'fact-' + name.replace(/[^a-z0-9_]/g, '-'); }

function defaultWords(f) {
  if (f.default === null || f.default === undefined) return null;
  if (f.default === 'today' && f.type === 'date') return T.today;
  return valueWords(f.name, f.default);
}

function helpNode(f, id) {
  const parts = [];
  if (f.help) parts.push(f.help);
  const d = defaultWords(f);
  if (d !== null) parts.push(t('default_is', d));
  if (parts.length === 0) return null;
  return el('p', {class: 'help', id}, parts.join(' '));
}

// Radios for yes/no and short choices; a list for the others. Each ends with « je ne sais pas ».
function choiceField(f, choices) {
  const id = fieldId(f.name);
  const helpId = id + '-help';
  const help = helpNode(f, helpId);
  if (choices.length <= 4) {
    const options = [...choices, {value: 'unknown', label: T.unknown}].map((c) =>
      el('label', {class: 'choice'},
        el('input', {type: 'radio', name: f.name, value: c.value, onchange: () => setFact(f.name, parseChoice(f, c.value))}),
        ' ', c.label));
    return el('fieldset', {class: 'field', 'data-fact': f.name, 'data-type': f.type, 'data-control': 'radio', id,
                           'aria-describedby': help ? helpId : null},
      el('legend', {}, f.question || f.name, ' ', el('code', {class: 'name'}, f.name)),
      help,
      el('div', {class: 'choices'}, options,
        el('button', {type: 'button', class: 'clear', 'aria-label': t('clear_label', f.question || f.name),
                      onclick: () => setFact(f.name, undefined, {show: true})}, T.clear)));
  }
  const select = el('select', {id: id + '-input', name: f.name, 'aria-describedby': help ? helpId : null,
                               onchange: (e) => setFact(f.name, e.target.value === '' ? undefined : parseChoice(f, e.target.value))},
    el('option', {value: ''}, T.choose),
    choices.map((c) => el('option', {value: c.value}, c.label)),
    el('option', {value: 'unknown'}, T.unknown));
  return el('div', {class: 'field', 'data-fact': f.name, 'data-type': f.type, 'data-control': 'select', id},
    el('label', {for: id + '-input'}, f.question || f.name, ' ', el('code', {class: 'name'}, f.name)),
    help, select);
}

function parseChoice(f, value) {
  if (value === 'unknown') return null;
  if (f.type === 'bool') return value === 'true';
  return value;
}

// Dates, numbers, texts: an input, and « je ne sais pas » beside it.
function inputField(f) {
  const id = fieldId(f.name);
  const helpId = id + '-help';
  const help = helpNode(f, helpId);
  const type = f.type === 'date' ? 'date' : f.type === 'integer' ? 'number' : 'text';
  const input = el('input', {id: id + '-input', type, name: f.name, 'aria-describedby': help ? helpId : null,
                             inputmode: f.type === 'integer' ? 'numeric' : null, step: f.type === 'integer' ? '1' : null});
  const unknown = el('input', {type: 'checkbox', id: id + '-unknown'});
  const read = () => {
    input.disabled = unknown.checked;
    if (unknown.checked) return setFact(f.name, null);
    const v = input.value.trim();
    if (v === '') return setFact(f.name, undefined);
    setFact(f.name, f.type === 'integer' && /^[+-]?\d+$/.test(v) ? Number(v) : v);
  };
  input.addEventListener(type === 'text' ? 'input' : 'change', read);
  if (type !== 'text') input.addEventListener('input', read);
  unknown.addEventListener('change', read);
  return el('div', {class: 'field', 'data-fact': f.name, 'data-type': f.type, 'data-control': 'input', id},
    el('label', {for: id + '-input'}, f.question || f.name, ' ', el('code', {class: 'name'}, f.name)),
    help,
    el('div', {class: 'input-line'}, input,
      el('label', {class: 'choice', for: id + '-unknown'}, unknown, ' ', T.unknown)));
}

function fieldFor(f) {
  if (f.type === 'bool') return choiceField(f, [{value: 'true', label: T.yes}, {value: 'false', label: T.no}]);
  if (f.type === 'enum') return choiceField(f, f.members.map((m) => ({value: m.name, label: m.label || words(m.name)})));
  return inputField(f);
}

// Fields grouped by theme, in the vocabulary's order. A rulebase that declares no theme at all gets its
// facts grouped by the first part of their names (`danger.*` together), so that the form stays readable.
function buildForm(vocabulary) {
  const form = document.getElementById('form');
  form.replaceChildren();
  const themes = new Map(vocabulary.themes.map((th) => [th.name, th.label || words(th.name)]));
  const groups = new Map();
  for (const f of vocabulary.facts) {
    if (f.type.startsWith('set')) continue;  // a case cannot give a set
    const prefix = f.name.includes('.') ? f.name.slice(0, f.name.indexOf('.')) : null;
    const key = f.theme ?? (themes.size === 0 ? prefix : null);
    if (!groups.has(key)) {
      const title = key === null ? T.other_facts
        : themes.get(key) || words(key).charAt(0).toUpperCase() + words(key).slice(1);
      const group = el('fieldset', {class: 'theme', 'data-theme': key ?? ''}, el('legend', {}, title));
      groups.set(key, group);
    }
    groups.get(key).append(fieldFor(f));
  }
  // Facts of no theme come last.
  const last = groups.get(null);
  for (const [key, group] of groups) if (key !== null) form.append(group);
  if (last) form.append(last);
}

// Shows `state.facts` in the controls (after opening a file, going back, or an interview answer).
function showFact(name) {
  const box = document.querySelector(`#form [data-fact="${CSS.escape(name)}"]`);
  if (!box) return;
  const value = state.facts.has(name) ? state.facts.get(name) : undefined;
  const control = box.dataset.control;
  if (control === 'radio') {
    const wanted = value === undefined ? null : value === null ? 'unknown' : String(value);
    for (const r of box.querySelectorAll('input[type=radio]')) r.checked = r.value === wanted;
  } else if (control === 'select') {
    box.querySelector('select').value = value === undefined ? '' : value === null ? 'unknown' : String(value);
  } else {
    const input = box.querySelector('input:not([type=checkbox])');
    const unknown = box.querySelector('input[type=checkbox]');
    unknown.checked = value === null;
    input.disabled = value === null;
    input.value = value === undefined || value === null ? '' : String(value);
  }
}

function setFact(name, value, options = {}) {
  if (value === undefined) state.facts.delete(name);
  else state.facts.set(name, value);
  if (options.show) showFact(name);
  scheduleAnswer();
}

// --- talking to the server ---------------------------------------------------------------------------

function caseJson() {
  const facts = {};
  for (const f of state.vocabulary.facts) {
    if (state.facts.has(f.name)) facts[f.name] = state.facts.get(f.name);
  }
  const c = {facts};
  if (state.caseName) c.case = state.caseName;
  return c;
}

async function post(path, body, type = 'application/json') {
  const response = await fetch(path, {method: 'POST', headers: {'Content-Type': type},
                                      body: type === 'application/json' ? JSON.stringify(body) : body,
                                      cache: 'no-store'});
  const text = await response.text();
  return {status: response.status, text, json: () => JSON.parse(text)};
}

// `data-pending` says whether the answer shown is the answer to everything set (tests wait on it).
let timer = null;
function scheduleAnswer() {
  clearTimeout(timer);
  document.body.dataset.pending = 'yes';
  timer = setTimeout(() => {
    timer = null;
    refreshAnswer();
  }, 120);
}

function answerShown() {
  document.body.dataset.state = 'ready';
  if (timer === null) document.body.dataset.pending = 'no';
}

async function refreshAnswer() {
  const sequence = ++state.sequence;
  const report = document.getElementById('report');
  report.setAttribute('aria-busy', 'true');
  document.body.dataset.state = 'computing';
  document.body.dataset.pending = 'yes';
  let reply;
  try {
    reply = await post('/api/answer', caseJson());
  } catch (e) {
    if (sequence === state.sequence) showServerError(String(e));
    return;
  }
  if (sequence !== state.sequence) return;  // a newer answer is on its way
  if (reply.status === 200) {
    state.answer = reply.json();
    renderAnswer(state.answer);
  } else if (reply.status === 400) {
    renderCaseErrors(reply.json());
  } else {
    showServerError(`HTTP ${reply.status}`);
  }
  report.setAttribute('aria-busy', 'false');
  answerShown();
}

function showServerError(message) {
  document.getElementById('report').replaceChildren(el('p', {class: 'errors', role: 'alert'}, t('server_error', message)));
  answerShown();
}

function renderCaseErrors(j) {
  document.getElementById('report').replaceChildren(
    el('div', {class: 'errors', role: 'alert'}, el('p', {}, T.case_errors),
      el('ul', {}, j.errors.map((e) => el('li', {}, e.path ? `${e.path.replace(/^\/facts\//, '')}${LANG === 'fr' ? ' : ' : ': '}` : '', e.message,
                                            e.hint ? ` (${e.hint})` : '')))));
}

// --- the answer --------------------------------------------------------------------------------------

function section(title, cls, ...content) {
  return el('section', {class: 'part ' + cls}, el('h3', {}, title), ...content);
}

function ruleText(name) {
  const texts = state.answer && state.answer.texts.rules[name];
  return texts || null;
}

function ruleTitle(name) {
  const r = ruleText(name);
  return r && r.title ? r.title : name;
}

function statusWords(status) {
  if (status.settled) return T.settled;
  if (status.value_is === 'in_doubt') return T.in_doubt;
  if (status.value_is === 'in_every_case') return T.in_every_case;
  return T.no_value;
}

function scalarBlock(report, output, heading, cls) {
  const value = report.outputs[output];
  const status = report.status[output];
  const shown = value === null ? T.no_value : outputLabel(output, value);
  const block = el('div', {class: 'scalar ' + cls, 'data-output': output, 'data-value': value === null ? '' : value,
                           'data-settled': String(status.settled)},
    el('p', {class: 'label'}, heading),
    el('p', {class: 'value'}, shown));
  if (!status.settled) {
    block.append(el('p', {class: 'status'}, statusWords(status)));
    block.append(el('p', {class: 'possible'},
      t('possible', status.possible.map((m) => quoted(outputLabel(output, m))).join(LANG === 'fr' ? ' ou ' : ' or '))));
  }
  return block;
}

function setBlock(report, output, title, cls) {
  const sure = report.outputs[output] || [];
  const status = report.status[output];
  const list = el('ul', {class: 'members'}, sure.map((m) => el('li', {'data-member': m}, outputLabel(output, m))));
  const content = [sure.length === 0 && status.settled ? el('p', {}, T.nothing) : list];
  const maybe = status.possible.filter((m) => !sure.includes(m));
  if (!status.settled && maybe.length > 0) {
    content.push(el('p', {class: 'may-add'}, T.may_add + (LANG === 'fr' ? ' :' : ':')),
      el('ul', {class: 'members maybe'}, maybe.map((m) => el('li', {'data-member': m}, outputLabel(output, m)))));
  }
  return section(title, cls, ...content);
}

function dependsBlock(report) {
  if (report.depends_on.length === 0) return null;
  return section(T.depends, 'depends',
    el('ul', {}, report.depends_on.map((d) => el('li', {'data-fact': d.fact},
      el('p', {class: 'question'}, factQuestion(d.fact)),
      el('ul', {class: 'cases'}, d.cases.map((c) => {
        const values = c.values.map((v) => valueWords(d.fact, v)).join(LANG === 'fr' ? ' ou ' : ' or ');
        // As the text report says it: the verdict in words, another output by its name, and for a set
        // what it would hold beyond what it holds now.
        const parts = [];
        for (const [o, a] of Object.entries(c.answers)) {
          if (Array.isArray(a.value)) {
            const now = report.outputs[o] || [];
            const added = a.value.filter((m) => !now.includes(m)).map((m) => quoted(outputLabel(o, m)));
            if (added.length > 0) parts.push(`${T.adds} ${added.join(' ')}`);
          } else {
            const v = a.value === null ? T.no_value : outputLabel(o, a.value);
            parts.push(o === 'verdict' ? v : `${o === 'obligation' ? T.duty : o}${LANG === 'fr' ? ' : ' : ': '}${v}`);
          }
        }
        const answers = parts.length > 0 ? parts.join(' ; ') : T.nothing_more;
        return el('li', {}, t('if_', values, answers));
      }))))));
}

function groundsBlock(report) {
  if (report.grounds.length === 0) return section(T.grounds, 'grounds', el('p', {}, T.no_grounds));
  return section(T.grounds, 'grounds', el('ol', {class: 'grounds-list'}, report.grounds.map((g) => {
    const r = ruleText(g.rule) || {};
    const period = [];
    if (r.valid_from) period.push(t('from', r.valid_from));
    if (r.last_day) period.push(t('until', r.last_day));
    return el('li', {'data-rule': g.rule},
      el('p', {class: 'rule-title'}, el('strong', {}, r.title || g.title || g.rule), ' — ', el('cite', {}, g.cite)),
      (r.text || g.text) ? el('p', {class: 'because'}, r.text || g.text) : null,
      period.length ? el('p', {class: 'validity'}, t('in_force', period.join(' ')), r.validity_reason ? ` (${r.validity_reason})` : '') : null,
      (r.note || g.note) ? el('p', {class: 'note'}, t('note', r.note || g.note)) : null);
  })));
}

function warningsBlock(report) {
  if (report.warnings.length === 0) return null;
  return section(T.warnings, 'warnings', el('ul', {}, report.warnings.map((w) => {
    if (w.kind === 'after_as_of') return el('li', {'data-warning': 'after_as_of'}, t('after_as_of', w.as_of));
    const r = ruleText(w.rule) || {};
    return el('li', {'data-warning': w.rule}, el('strong', {}, r.title || w.title || w.rule), w.cite ? ` — ${w.cite}` : '',
      el('p', {}, r.text || w.text), (r.note || w.note) ? el('p', {class: 'note'}, t('note', r.note || w.note)) : null);
  })));
}

function questionsBlock(answer) {
  const qs = answer.questions;
  if (qs.length === 0) return section(T.questions, 'questions', el('p', {}, T.questions_none));
  return section(T.questions, 'questions', el('ol', {class: 'open-questions'}, qs.map((q) =>
    el('li', {'data-fact': q.fact, 'data-rank': q.rank},
      el('span', {class: 'question'}, factQuestion(q.fact)), ' ',
      el('span', {class: 'rank rank-' + q.rank}, T['rank_' + q.rank]), ' ',
      el('button', {type: 'button', class: 'link', onclick: () => goToFact(q.fact)}, T.answer_it)))));
}

function goToFact(name) {
  if (document.body.dataset.mode === 'interview') {
    renderInterview(name);
    return;
  }
  const box = document.querySelector(`#form [data-fact="${CSS.escape(name)}"]`);
  if (!box) return;
  box.scrollIntoView({block: 'center'});
  const control = box.querySelector('input, select');
  if (control) control.focus();
}

function renderAnswer(answer) {
  const report = answer.report;
  const parts = [];
  parts.push(warningsBlock(report));
  for (const c of report.conflicts) {
    parts.push(el('p', {class: 'errors conflict', role: 'alert'}, t('conflict', c.output, ruleTitle(c.rules[0]), ruleTitle(c.rules[1]))));
  }
  const head = el('div', {class: 'head'});
  if (report.outputs.verdict !== undefined) head.append(scalarBlock(report, 'verdict', T.verdict, 'verdict'));
  for (const o of state.vocabulary.outputs) {
    if (o.kind !== 'scalar' || o.name === 'verdict') continue;
    head.append(scalarBlock(report, o.name, o.name === 'obligation' ? T.duty : o.name, 'other'));
  }
  parts.push(head);
  parts.push(dependsBlock(report));
  if (report.provisos.length > 0) {
    parts.push(section(T.provisos, 'provisos', el('ul', {}, report.provisos.map((p, i) =>
      el('li', {'data-rule': p.rule}, answer.texts.provisos[i] || p.text || p.facts.map(factQuestion).join(' ; '))))));
  }
  for (const o of state.vocabulary.outputs) {
    if (o.kind !== 'set' || o.name === 'sanctions') continue;
    parts.push(setBlock(report, o.name, o.name === 'conditions' ? T.conditions : o.name, 'set-' + o.name));
  }
  parts.push(groundsBlock(report));
  if (report.overridden.length > 0) {
    parts.push(section(T.overridden, 'overridden', el('ul', {}, report.overridden.map((x) =>
      el('li', {'data-rule': x.rule}, ruleTitle(x.rule), ' — ', t('set_aside_by', ruleTitle(x.by)))))));
  }
  if (report.may_apply.length > 0) {
    parts.push(section(T.may_apply, 'may-apply', el('ul', {}, report.may_apply.map((m) =>
      el('li', {'data-rule': m.rule}, ruleTitle(m.rule), ' — ',
        m.fires === 'yes' && m.may_be_set_aside_by.length > 0
          ? t('may_apply_fires', m.may_be_set_aside_by.map((r) => quoted(ruleTitle(r))).join(LANG === 'fr' ? ' ou ' : ' or '))
          : T.may_apply_maybe)))));
  }
  if (report.why_not && report.why_not.length > 0) {
    // « Pourquoi pas ? »: the exceptions that came close, found by secretc (report.why_not), in words.
    const or = LANG === 'fr' ? ' ou ' : ' or ';
    const and = LANG === 'fr' ? ' et ' : ' and ';
    parts.push(section(T.why_not, 'why-not', el('p', {}, T.why_not_intro), el('ul', {}, report.why_not.map((m) =>
      el('li', {'data-rule': m.rule}, el('strong', {}, ruleTitle(m.rule)), ` (${m.cite}) — ${T.would_apply_if} `,
        m.needs.map((n) => `${quoted(factQuestion(n.fact))} : ${n.values.map((v) => valueWords(n.fact, v)).join(or)}` +
          ` (${T.here} : ${n.now === null ? T.not_given : valueWords(n.fact, n.now)})`).join(and),
        m.would_apply_for_sure ? '' : ' ' + T.might_apply)))));
  }
  if (report.outputs.sanctions !== undefined) parts.push(setBlock(report, 'sanctions', T.sanctions, 'set-sanctions'));
  parts.push(questionsBlock(answer));
  document.getElementById('report').replaceChildren(...parts.filter(Boolean));

  const verdict = report.outputs.verdict;
  const summary = verdict === undefined ? '' : verdict === null ? T.no_value : outputLabel('verdict', verdict);
  const open = report.status.verdict && !report.status.verdict.settled;
  document.getElementById('summary').textContent = t(open ? 'summary_open' : 'summary', summary);
  for (const box of document.querySelectorAll('#form [data-fact]')) box.classList.remove('open', 'decisive');
  for (const q of answer.questions) {
    const box = document.querySelector(`#form [data-fact="${CSS.escape(q.fact)}"]`);
    if (box) box.classList.add('open', ...(q.rank === 'verdict' ? ['decisive'] : []));
  }
  if (document.body.dataset.mode === 'interview') renderInterview();
}

// --- the interview -----------------------------------------------------------------------------------

// The most decisive open question not yet answered — « je ne sais pas » is an answer, never asked again.
function nextQuestion() {
  if (!state.answer) return null;
  const q = state.answer.questions.find((x) => !state.facts.has(x.fact));
  return q || null;
}

function renderInterview(forced) {
  const box = document.getElementById('interview');
  // Whoever answered with the keyboard keeps answering: the focus moves to the next question's answers.
  const hadFocus = box.contains(document.activeElement) || document.activeElement === document.body || forced;
  const q = forced ? (state.answer.questions.find((x) => x.fact === forced) || {fact: forced, rank: 'together'}) : nextQuestion();
  const back = state.history.length > 0
    ? el('button', {type: 'button', class: 'secondary', onclick: interviewBack}, T.interview_back) : null;
  if (!q) {
    box.replaceChildren(...[el('h3', {}, T.interview_title), el('p', {class: 'done'}, T.interview_done), back].filter(Boolean));
    return;
  }
  const f = factsByName.get(q.fact);
  const answer = (value) => {
    state.history.push(q.fact);
    setFact(q.fact, value, {show: true});
  };
  let controls;
  if (f.type === 'bool' || f.type === 'enum') {
    const choices = f.type === 'bool'
      ? [{value: true, label: T.yes}, {value: false, label: T.no}]
      : f.members.map((m) => ({value: m.name, label: m.label || words(m.name)}));
    controls = el('div', {class: 'answers', role: 'group', 'aria-labelledby': 'interview-question'},
      choices.map((c) => el('button', {type: 'button', 'data-value': String(c.value), onclick: () => answer(c.value)}, c.label)),
      el('button', {type: 'button', class: 'secondary', 'data-value': 'unknown', onclick: () => answer(null)}, T.unknown));
  } else {
    const input = el('input', {type: f.type === 'date' ? 'date' : f.type === 'integer' ? 'number' : 'text', id: 'interview-input',
                               'aria-labelledby': 'interview-question'});
    controls = el('form', {class: 'answers', onsubmit: (e) => {
      e.preventDefault();
      const v = input.value.trim();
      if (v !== '') answer(f.type === 'integer' && /^[+-]?\d+$/.test(v) ? Number(v) : v);
    }}, input, el('button', {type: 'submit'}, 'OK'),
    el('button', {type: 'button', class: 'secondary', 'data-value': 'unknown', onclick: () => answer(null)}, T.unknown));
  }
  box.replaceChildren(...[
    el('h3', {}, T.interview_title, ' ', el('span', {class: 'count'}, t('interview_count', state.answer.questions.filter((x) => !state.facts.has(x.fact)).length))),
    el('p', {class: 'question', id: 'interview-question', 'data-fact': q.fact}, f.question || f.name),
    f.help ? el('p', {class: 'help'}, f.help) : null,
    el('p', {class: 'why'}, T['interview_why_' + q.rank]),
    controls, back].filter(Boolean));
  const first = box.querySelector('.answers button, .answers input');
  if (first && hadFocus) first.focus();
}

function interviewBack() {
  const last = state.history.pop();
  if (last === undefined) return;
  setFact(last, undefined, {show: true});
}

function setMode(mode) {
  document.body.dataset.mode = mode;
  const interview = document.getElementById('interview');
  interview.hidden = mode !== 'interview';
  document.getElementById('form').classList.toggle('dimmed', mode === 'interview');
  if (mode === 'interview') renderInterview();
}

// --- case files --------------------------------------------------------------------------------------

async function download() {
  const reply = await post('/api/case-file', caseJson());
  if (reply.status !== 200) {
    renderCaseErrors(reply.json());
    return;
  }
  const blob = new Blob([reply.text], {type: 'text/plain;charset=utf-8'});
  const url = URL.createObjectURL(blob);
  const a = el('a', {href: url, download: state.caseName ? state.caseName.replace(/^.*[\\/]/, '') : (LANG === 'fr' ? 'dossier.fact' : 'case.fact')});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function openFile(file) {
  const errors = document.getElementById('file-errors');
  errors.hidden = true;
  const text = await file.text();
  const reply = await post('/api/parse-case?name=' + encodeURIComponent(file.name), text, 'text/plain; charset=utf-8');
  const j = reply.json();
  if (reply.status !== 200) {
    errors.replaceChildren(el('p', {}, T.file_errors),
      el('ul', {}, j.errors.map((e) => el('li', {}, `${e.file}:${e.line}:${e.column}: ${e.message}`, e.hint ? ` (${e.hint})` : ''))));
    errors.hidden = false;
    return;
  }
  state.facts.clear();
  state.history = [];
  state.caseName = file.name;
  for (const [name, value] of Object.entries(j.facts)) state.facts.set(name, value);
  for (const f of state.vocabulary.facts) showFact(f.name);
  if (j.notes.length > 0) {
    errors.replaceChildren(el('p', {}, T.file_notes),
      el('ul', {}, j.notes.map((e) => el('li', {}, `${e.file}:${e.line}:${e.column}: ${e.message}`))));
    errors.hidden = false;
  }
  scheduleAnswer();
}

function reset() {
  state.facts.clear();
  state.history = [];
  state.caseName = null;
  for (const f of state.vocabulary.facts) showFact(f.name);
  document.getElementById('file-errors').hidden = true;
  scheduleAnswer();
}

// --- start -------------------------------------------------------------------------------------------

async function start() {
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = T[node.dataset.text];
  document.title = T.title + ' — secretc';
  const response = await fetch('/api/vocabulary', {cache: 'no-store'});
  state.vocabulary = await response.json();
  for (const f of state.vocabulary.facts) factsByName.set(f.name, f);
  for (const o of state.vocabulary.outputs) outputsByName.set(o.name, o);
  const rb = state.vocabulary.rulebase;
  document.getElementById('rulebase').textContent =
    `${rb.name} (${rb.version})${rb.as_of ? ', ' + t('as_of', rb.as_of) : ''}`;
  buildForm(state.vocabulary);
  for (const r of document.querySelectorAll('input[name=mode]')) r.addEventListener('change', (e) => setMode(e.target.value));
  document.getElementById('download').addEventListener('click', download);
  const fileInput = document.getElementById('open-file');
  document.getElementById('open').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    if (fileInput.files.length > 0) openFile(fileInput.files[0]);
    fileInput.value = '';
  });
  document.getElementById('reset').addEventListener('click', reset);
  setMode('form');
  await refreshAnswer();
  document.body.dataset.ready = 'yes';
}

start().catch((e) => showServerError(String(e)));
