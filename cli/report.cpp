#include "cli/report.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "runtime/utf8.hpp"

namespace secretc {

namespace {

struct Words {
  const char* situation;
  const char* date;
  const char* rulebase;
  const char* as_of;
  const char* attention;
  const char* after_as_of;  // {as_of} {date}
  const char* answer;
  const char* duty;
  const char* in_doubt;
  const char* in_every_case;
  const char* no_value;
  const char* possible_answers;
  const char* depends;
  const char* depends_none;
  const char* if_;
  const char* still_open;
  const char* provisos;
  const char* conditions;
  const char* no_condition;
  const char* may_add;
  const char* grounds;
  const char* no_grounds;
  const char* validity;
  const char* from;
  const char* until;
  const char* until_note;
  const char* note;
  const char* set_aside;
  const char* set_aside_by;
  const char* pending;
  const char* pending_facts;
  const char* pending_aside;
  const char* sanctions;
  const char* missing;
  const char* missing_none;
  const char* conflict;
  const char* conflict_advice;
  const char* unknown;
  const char* yes;
  const char* no;
  const char* or_;
  const char* adds;
  const char* nothing_more_sure;
  const char* open_verdict;   // heading of the open questions that can change the verdict
  const char* open_answer;    // … that change the duty, the limits, the sanctions
  const char* open_together;  // … that count only together with others
  const char* answers;        // "réponses"
  const char* a_date;
  const char* a_number;
  const char* a_text;
  const char* an_article;
  const char* other_facts;  // theme heading of facts without a theme
  const char* why_not;
  const char* why_not_intro;
  const char* would_apply_if;
  const char* and_;
  const char* here;  // "ici"
  const char* not_given;
  const char* might_apply;  // the rule would only possibly apply
  const char* sources;
  const char* months[12];
  TextLang text_lang;
};

constexpr Words kFrench{
    "Situation",
    "Date retenue",
    "Base de règles",
    "à jour au",
    "Attention",
    "La base de règles est à jour au {} ; cette situation est du {} : des changements de la loi postérieurs peuvent ne "
    "pas y figurer.",
    "Réponse",
    "Devoir",
    "dans le doute : la réponse n'est pas tranchée, elle dépend des questions ci-dessous",
    "dans tous les cas ; la réponse exacte dépend des questions ci-dessous",
    "indéterminé : la réponse dépend des questions ci-dessous",
    "Réponses possibles",
    "La réponse dépend de",
    "(aucune question, seule, ne tranche la réponse : il en faut plusieurs)",
    "si",
    "pas encore tranché",
    "Cette réponse suppose que",
    "Ce que vous devez respecter",
    "(rien de particulier)",
    "Selon les réponses aux questions ouvertes, pourraient s'ajouter",
    "Fondements",
    "(aucune règle particulière : la règle générale s'applique)",
    "en vigueur",
    "du",
    "jusqu'au",
    "inclus",
    "Note",
    "Règles écartées",
    "écartée par",
    "Règles qui pourraient encore s'appliquer",
    "selon les questions ouvertes",
    "sauf si s'applique",
    "En cas de violation",
    "Questions encore ouvertes (y répondre peut changer la réponse)",
    "Aucune question ouverte.",
    "CONFLIT entre deux règles",
    "La base de règles ne tranche pas ce cas : dans le doute, gardez le secret et consultez un juriste.",
    "indéterminé",
    "oui",
    "non",
    "ou",
    "s'ajoute",
    "rien de plus n'est tranché",
    "Peuvent changer la réponse",
    "Complètent la réponse (devoir, limites, sanctions)",
    "Peuvent compter avec d'autres réponses",
    "réponses",
    "une date (AAAA-MM-JJ)",
    "un nombre",
    "un texte",
    "un article (comme 371/1)",
    "Autres questions",
    "Pourquoi pas ?",
    "Exceptions qui ne s'appliquent pas, mais s'appliqueraient si une ou deux réponses étaient autres :",
    "s'appliquerait si",
    "et",
    "ici",
    "non renseigné",
    "(elle pourrait alors s'appliquer, selon les autres questions)",
    "Sources",
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
     "décembre"},
    TextLang::French};

constexpr Words kEnglish{
    "Situation",
    "Date",
    "Rulebase",
    "up to date on",
    "Warning",
    "The rulebase is up to date on {}; this situation is of {}: later changes of the law may be missing from it.",
    "Answer",
    "Duty",
    "in doubt: the answer is not settled, it depends on the questions below",
    "in every case; the exact answer depends on the questions below",
    "undetermined: the answer depends on the questions below",
    "Possible answers",
    "The answer depends on",
    "(no single question settles the answer: several are needed)",
    "if",
    "not settled yet",
    "This answer assumes that",
    "Limits that come with the answer",
    "(none)",
    "Depending on the open questions, these may be added",
    "Grounds",
    "(no particular rule: the general rule applies)",
    "in force",
    "from",
    "until",
    "included",
    "Note",
    "Rules set aside",
    "set aside by",
    "Rules that may still apply",
    "depending on the open questions",
    "unless this applies:",
    "If the duty is broken",
    "Open questions (answering them may change the answer)",
    "No open question.",
    "CONFLICT between two rules",
    "The rulebase does not settle this case: in doubt, keep the secret and ask a lawyer.",
    "undetermined",
    "yes",
    "no",
    "or",
    "adds",
    "nothing more is settled",
    "Can change the answer",
    "Complete the answer (duty, limits, sanctions)",
    "Count only together with other answers",
    "answers",
    "a date (YYYY-MM-DD)",
    "a number",
    "a text",
    "an article (like 371/1)",
    "Other questions",
    "Why not?",
    "Exceptions that do not apply, but would if one or two answers were different:",
    "would apply if",
    "and",
    "here",
    "not given",
    "(it might then apply, depending on the other questions)",
    "Sources",
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"},
    TextLang::English};

// The language a report is written in; set by render_text / render_json for the helpers below.
thread_local TextLang g_lang = TextLang::French;

std::string member_words(const Program& p, std::uint32_t enum_id, std::uint32_t member) {
  return p.member_label(enum_id, member, g_lang);
}

// A day as a reader writes it: « 1er juin 2022 », "1 June 2022".
std::string date_words(std::int64_t days, const Words& w) {
  const std::string iso = format_date(days);  // YYYY-MM-DD
  const int month = std::stoi(iso.substr(5, 2));
  const int day = std::stoi(iso.substr(8, 2));
  if (w.text_lang == TextLang::French) {
    return fmt::format("{}{} {} {}", day, day == 1 ? "er" : "", w.months[month - 1], iso.substr(0, 4));
  }
  return fmt::format("{} {} {}", day, w.months[month - 1], iso.substr(0, 4));
}

std::vector<std::uint32_t> members_of(std::uint64_t mask) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < 64; ++i) {
    if (((mask >> i) & 1U) != 0) out.push_back(i);
  }
  return out;
}

std::string rule_title(const Program& p, std::uint32_t r) {
  return p.rule_title(r, g_lang);
}

std::string hex_hash(std::uint64_t h) {
  return fmt::format("{:016x}", h);
}

}  // namespace

std::string wrap(std::string_view text, std::size_t indent, std::size_t width) {
  std::string out;
  std::size_t column = indent;
  out.append(indent, ' ');
  bool first = true;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = text.find(' ', pos);
    const std::string_view word =
        text.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    pos = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    const std::size_t chars = utf8_length(word);
    if (!first && column + 1 + chars > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += chars;
    first = false;
  }
  return out + '\n';
}

namespace {

// The value to act on of a scalar output, in words.
std::string scalar_words(const Program& p, std::uint32_t o, const OutputValue& v, const Words& w) {
  if (v.conflict) return w.conflict;
  if (!v.value.known) return w.unknown;
  return member_words(p, p.outputs[o].enum_id, static_cast<std::uint32_t>(v.value.payload));
}

// Whether the value to act on of an unsettled output is its first value in doubt (the cautious
// answer) rather than one every possible answer grants.
bool acting_in_doubt(const OutputInfo& info, const OutputValue& v) {
  return !info.doubt.empty() && v.value.known && static_cast<std::uint32_t>(v.value.payload) == info.doubt[0];
}

// A label written for a form (« Pénale ») as it reads inside a sentence (« pénale »); a word in
// capitals (« CPAS ») or a proper noun's label whose second letter is a capital stays as it is.
void to_mid_sentence(std::string& s) {
  if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  } else if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xC3 && static_cast<unsigned char>(s[1]) >= 0x80 &&
             static_cast<unsigned char>(s[1]) <= 0x9E && !(s[2] >= 'A' && s[2] <= 'Z')) {
    s[1] = static_cast<char>(static_cast<unsigned char>(s[1]) + 0x20);  // É → é, À → à (Latin-1 capitals)
  }
}

// A fact's value as a reader says it: `oui`, a member's words.
std::string fact_value_words(const Program& p, std::uint32_t fact, std::int64_t value, const Words& w) {
  const Type t = p.facts[fact].type;
  if (t.kind == TypeKind::Bool) return value != 0 ? w.yes : w.no;
  if (t.kind == TypeKind::Enum) {
    std::string s = member_words(p, t.enum_id, static_cast<std::uint32_t>(value));
    std::replace(s.begin(), s.end(), '_', ' ');
    to_mid_sentence(s);
    return s;
  }
  return p.format_value(t, Value::of(value));
}

std::string fact_words(const Program& p, std::uint32_t f) {
  const std::string& q = p.question_of(f, g_lang);
  return q.empty() ? p.facts[f].name : fmt::format("{} ({})", q, p.facts[f].name);
}

// The answers a question allows, in words: « oui, non »; the members' labels with the word a case file
// writes when it differs; the kind of value otherwise.
std::string allowed_answers(const Program& p, std::uint32_t f, const Words& w) {
  const Type t = p.facts[f].type;
  switch (t.kind) {
    case TypeKind::Bool:
      return fmt::format("{}, {}", w.yes, w.no);
    case TypeKind::Enum: {
      std::vector<std::string> items;
      const EnumInfo& e = p.enums[t.enum_id];
      for (std::uint32_t m = 0; m < e.members.size(); ++m) {
        std::string label = p.member_label(t.enum_id, m, g_lang);
        std::string plain = e.members[m];
        std::replace(plain.begin(), plain.end(), '_', ' ');
        items.push_back(label == plain ? fmt::format("`{}`", e.members[m])
                                       : fmt::format("{} (`{}`)", label, e.members[m]));
      }
      return fmt::format("{}", fmt::join(items, ", "));
    }
    case TypeKind::Date:
      return w.a_date;
    case TypeKind::Integer:
      return w.a_number;
    case TypeKind::Article:
      return w.an_article;
    default:
      return w.a_text;
  }
}

// Outputs in the order a reader wants them: `verdict` first, then the other scalars, then the sets.
std::vector<std::uint32_t> scalar_order(const Program& p) {
  std::vector<std::uint32_t> out;
  if (const auto v = p.find_output("verdict")) out.push_back(*v);
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    if (p.outputs[o].kind == OutputKind::Scalar && p.outputs[o].name != "verdict") out.push_back(o);
  }
  return out;
}

// An output's answer in a conditional branch, in words.
std::string branch_words(const Program& p, std::uint32_t o, const OutputValue& v, const Words& w) {
  const OutputInfo& info = p.outputs[o];
  std::string text;
  if (info.kind == OutputKind::Set) {
    std::vector<std::string> items;
    for (const auto m : members_of(v.possible)) items.push_back(member_words(p, info.enum_id, m));
    text = items.empty() ? std::string(w.no_condition) : fmt::format("{}", fmt::join(items, " "));
  } else {
    text = scalar_words(p, o, v, w);
  }
  if (!v.settled) text += fmt::format(" ({})", w.still_open);
  return text;
}

// The text of a program-wide proviso, and the facts it reads (added to `facts`).
std::string provisos_text(const Program& p, std::size_t k, std::vector<std::uint32_t>& facts) {
  std::size_t base = 0;
  for (const RuleInfo& r : p.rules) {
    if (k < base + r.provisos.size()) {
      const ProvisoInfo& proviso = r.provisos[k - base];
      for (const std::uint32_t f : proviso.facts_read) {
        if (std::find(facts.begin(), facts.end(), f) == facts.end()) facts.push_back(f);
      }
      return proviso.text;
    }
    base += r.provisos.size();
  }
  return {};
}

// Conditional answers in the order a reader needs them: those that change the verdict, then the other
// scalar outputs, then the sets (limits and sanctions); within each, in fact order.
std::vector<Dependence> ranked(const Program& p, const std::vector<Dependence>& deps) {
  const auto rank = [&](const Dependence& d) {
    int best = 3;
    for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
      if (d.changes[o] == 0) continue;
      best = std::min(best, p.outputs[o].name == "verdict" ? 0 : p.outputs[o].kind == OutputKind::Scalar ? 1 : 2);
    }
    return best;
  };
  std::vector<Dependence> out = deps;
  std::stable_sort(out.begin(), out.end(), [&](const Dependence& a, const Dependence& b) { return rank(a) < rank(b); });
  return out;
}

// The rule a program-wide proviso number belongs to.
std::uint32_t proviso_rule(const Program& p, std::size_t k) {
  std::size_t base = 0;
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
    base += p.rules[r].provisos.size();
    if (k < base) return r;
  }
  return 0;
}

// The rules that decided, in the order a reader needs them: the one that gave the verdict its value,
// then the other rules on the verdict, the duty, the limits, and the sanctions last; within each
// group, in program order. Warnings are not grounds. Into `out` (group, rule), which keeps its room.
void grounds_order(const Program& p, const Result& res, std::vector<std::pair<int, std::uint32_t>>& out) {
  const std::optional<std::uint32_t> verdict = p.find_output("verdict");
  const auto group = [&](std::uint32_t rule) {
    int best = 5;
    for (const Effect& e : p.rules[rule].effects) {
      const OutputInfo& o = p.outputs[e.output];
      int g = 3;
      if (verdict && e.output == *verdict) {
        const OutputValue& v = res.outputs[e.output];
        g = v.value.known && static_cast<std::uint64_t>(v.value.payload) == e.value ? 0 : 1;
      } else if (o.kind == OutputKind::Scalar) {
        g = 2;
      } else if (o.name == "sanctions") {
        g = 4;
      }
      best = std::min(best, g);
    }
    return best;
  };
  out.clear();
  for (const std::uint32_t f : res.fired) {
    if (p.rules[f].kind != RuleKind::Warning) out.emplace_back(group(f), f);
  }
  // Stable by group: (group, position in `fired`) would do as well, and `fired` is in program order.
  std::sort(out.begin(), out.end());
}

std::vector<std::uint32_t> grounds_order(const Program& p, const Result& res) {
  std::vector<std::pair<int, std::uint32_t>> order;
  grounds_order(p, res, order);
  std::vector<std::uint32_t> out;
  out.reserve(order.size());
  for (const auto& [group, rule] : order) out.push_back(rule);
  return out;
}

}  // namespace

void analyse_case(Machine& machine, const BoundCase& bound, bool why_not, CaseAnalysis& a) {
  a.result = machine.evaluate(bound.facts, &bound.given);
  a.dependences.clear();
  a.near_misses.clear();
  bool settled = true;
  for (const OutputValue& v : a.result.outputs) settled = settled && v.settled;
  if (!settled) a.dependences = conditional_answers(machine, bound.facts, &bound.given, a.result);
  if (why_not) a.near_misses = near_misses(machine, bound.facts, &bound.given, a.result);
}

std::optional<std::int64_t> case_day(const Program& program, const BoundCase& bound) {
  if (program.date_fact && bound.facts[*program.date_fact].known) return bound.facts[*program.date_fact].payload;
  return std::nullopt;
}

CaseAnalysis analyse_case(Machine& machine, const BoundCase& bound, bool why_not) {
  CaseAnalysis a;
  analyse_case(machine, bound, why_not, a);
  return a;
}

std::string render_text(const CaseReport& r, ReportLang lang) {
  const Words& w = lang == ReportLang::French ? kFrench : kEnglish;
  g_lang = lang;
  const Program& p = *r.program;
  const Result& res = *r.result;
  std::string out;
  std::string title;
  if (const auto t = p.title_fact(); t && r.bound->facts[*t].known) title = r.bound->format(p, *t);
  out += fmt::format("{} : {}{}\n", w.situation, title.empty() ? r.case_path : fmt::format("« {} »", title),
                     title.empty() ? "" : fmt::format(" ({})", r.case_path));
  const std::optional<std::int64_t> day = case_day(*r.program, *r.bound);
  if (day) out += fmt::format("{} : {}\n", w.date, format_date(*day));
  out += fmt::format("{} : {} ({}){}\n", w.rulebase, p.name, p.version,
                     p.law_as_of ? fmt::format(", {} {}", w.as_of, format_date(*p.law_as_of)) : "");

  // Warnings first: the law may have changed since the rulebase was written.
  std::vector<std::string> warnings;
  if (p.law_as_of && day && *day > *p.law_as_of) {
    warnings.push_back(wrap(fmt::format(fmt::runtime(w.after_as_of), format_date(*p.law_as_of), format_date(*day)), 4));
  }
  for (const std::uint32_t f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    if (rule.kind != RuleKind::Warning) continue;
    std::string text =
        wrap(rule.cite.empty() ? rule_title(p, f) : fmt::format("{} — {}", rule_title(p, f), rule.cite), 4);
    if (const std::string& because = p.rule_because(f, lang); !because.empty()) text += wrap(because, 4);
    if (const std::string& note = p.rule_note(f, lang); !note.empty())
      text += wrap(fmt::format("{} : {}", w.note, note), 4);
    warnings.push_back(std::move(text));
  }
  if (!warnings.empty()) {
    out += fmt::format("\n!! {} :\n", w.attention);
    for (std::string& text : warnings) {
      text.replace(0, 4, "  - ");
      out += text;
    }
  }
  out += "\n";

  // The answer in one line per scalar output, verdict leading.
  for (const std::uint32_t o : scalar_order(p)) {
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = res.outputs[o];
    const char* label = info.name == "verdict" ? w.answer : info.name == "obligation" ? w.duty : nullptr;
    const std::string head = fmt::format("{:<10} : ", label != nullptr ? label : info.name.c_str());
    if (v.settled || v.conflict) {
      out += head + scalar_words(p, o, v, w) + "\n";
      continue;
    }
    if (v.value.known) {
      out += head + scalar_words(p, o, v, w) + "\n";
      out += wrap(fmt::format("({})", acting_in_doubt(info, v) ? w.in_doubt : w.in_every_case), 13);
    } else {
      out += head + w.no_value + "\n";
    }
    std::vector<std::string> possible;
    for (const auto m : members_of(v.possible))
      possible.push_back(fmt::format("« {} »", member_words(p, info.enum_id, m)));
    out += wrap(fmt::format("{} : {}", w.possible_answers, fmt::join(possible, fmt::format(" {} ", w.or_))), 13);
  }
  for (const Conflict& c : res.conflicts) {
    out += fmt::format("\n!! {} ({}) : « {} » et « {} »\n   {}\n", w.conflict, p.outputs[c.output].name,
                       rule_title(p, c.first), rule_title(p, c.second), w.conflict_advice);
  }

  // What the open questions would change, computed by evaluating the case again.
  bool unsettled = false;
  for (const OutputValue& v : res.outputs) unsettled = unsettled || !v.settled;
  if (r.dependences != nullptr && unsettled) {
    out += fmt::format("\n{} :\n", w.depends);
    if (r.dependences->empty()) out += fmt::format("  {}\n", w.depends_none);
    for (const Dependence& d : ranked(p, *r.dependences)) {
      out += wrap(fact_words(p, d.fact), 4).replace(0, 4, "  - ");
      for (const Branch& b : d.branches) {
        std::vector<std::string> values;
        for (const auto v : b.values) values.push_back(fact_value_words(p, d.fact, v, w));
        std::vector<std::string> answer;
        for (const std::uint32_t o : scalar_order(p)) {
          if (d.changes[o] == 0) continue;
          const std::string words = branch_words(p, o, b.outputs[o], w);
          answer.push_back(p.outputs[o].name == "verdict" ? words : fmt::format("{} : {}", p.outputs[o].name, words));
        }
        for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
          if (d.changes[o] == 0 || p.outputs[o].kind != OutputKind::Set) continue;
          // A set in a branch: what it then holds beyond what it holds now.
          const OutputValue& v = b.outputs[o];
          const auto now = static_cast<std::uint64_t>(res.outputs[o].value.payload);
          std::vector<std::string> added;
          for (const auto m : members_of(static_cast<std::uint64_t>(v.value.payload) & ~now)) {
            added.push_back(fmt::format("« {} »", member_words(p, p.outputs[o].enum_id, m)));
          }
          if (!added.empty()) answer.push_back(fmt::format("{} {}", w.adds, fmt::join(added, " ")));
        }
        if (answer.empty()) answer.push_back(w.nothing_more_sure);
        out += wrap(
            fmt::format("{} {} : {}", w.if_, fmt::join(values, fmt::format(" {} ", w.or_)), fmt::join(answer, " ; ")),
            6);
      }
    }
  }

  if (!res.provisos.empty()) {
    out += fmt::format("\n{} :\n", w.provisos);
    for (const std::uint32_t k : res.provisos) {
      std::vector<std::uint32_t> facts;
      std::string text = provisos_text(p, k, facts);
      std::vector<std::string> names;
      for (const std::uint32_t f : facts) {
        if (!r.bound->facts[f].known) names.push_back(p.facts[f].name);
      }
      if (text.empty()) {
        std::vector<std::string> questions;
        for (const std::uint32_t f : facts) questions.push_back(fact_words(p, f));
        text = fmt::format("{}", fmt::join(questions, " ; "));
      } else if (!names.empty()) {
        text += fmt::format(" ({})", fmt::join(names, ", "));
      }
      out += wrap(text, 4).replace(0, 4, "  - ");
    }
  }

  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    const OutputInfo& info = p.outputs[o];
    if (info.kind != OutputKind::Set) continue;
    const OutputValue& v = res.outputs[o];
    const auto sure = static_cast<std::uint64_t>(v.value.payload);
    const char* heading = info.name == "conditions" ? w.conditions : info.name == "sanctions" ? w.sanctions : nullptr;
    out += fmt::format("\n{} :\n", heading != nullptr ? heading : info.name.c_str());
    if (sure == 0 && v.settled) out += fmt::format("  {}\n", w.no_condition);
    for (const auto m : members_of(sure)) out += wrap(member_words(p, info.enum_id, m), 4).replace(0, 4, "  - ");
    if (!v.settled) {
      out += fmt::format("  {} :\n", w.may_add);
      for (const auto m : members_of(v.possible & ~sure))
        out += wrap(member_words(p, info.enum_id, m), 6).replace(0, 6, "    ? ");
    }
  }

  out += fmt::format("\n{} :\n", w.grounds);
  std::size_t shown = 0;
  for (const std::uint32_t f : grounds_order(p, res)) {
    const RuleInfo& rule = p.rules[f];
    out += fmt::format("  {}. {} — {}\n", ++shown, rule_title(p, f), rule.cite);
    if (const std::string& because = p.rule_because(f, lang); !because.empty()) out += wrap(because, 5);
    if (rule.valid_from || rule.valid_until) {
      // The last day in force is the day before `valid_until`, the first day the rule no longer applies.
      std::string period;
      if (rule.valid_from) period += fmt::format(" {} {}", w.from, date_words(*rule.valid_from, w));
      if (rule.valid_until)
        period += fmt::format(" {} {} {}", w.until, date_words(*rule.valid_until - 1, w), w.until_note);
      const std::string& reason = p.rule_validity_reason(f, lang);
      out += wrap(fmt::format("({}{}{})", w.validity, period, reason.empty() ? "" : fmt::format(" — {}", reason)), 5);
    }
    if (const std::string& note = p.rule_note(f, lang); !note.empty())
      out += wrap(fmt::format("{} : {}", w.note, note), 5);
  }
  if (shown == 0) out += fmt::format("  {}\n", w.no_grounds);
  if (!res.overridden.empty()) {
    out += fmt::format("\n{} :\n", w.set_aside);
    for (const Overridden& o : res.overridden) {
      const RuleInfo& a = p.rules[o.rule];
      out += wrap(fmt::format("{} ({}) : {} {}", rule_title(p, o.rule), a.cite, w.set_aside_by, rule_title(p, o.by)), 4)
                 .replace(0, 4, "  - ");
    }
  }
  std::string pending;
  for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
    const RuleInfo& info = p.rules[rule];
    if (res.applies[rule] != Truth::Unknown || info.kind == RuleKind::Warning) continue;
    bool matters = false;
    for (const Effect& e : info.effects) matters = matters || !res.outputs[e.output].settled;
    if (!matters) continue;
    std::string why = w.pending_facts;
    if (res.conditions[rule] == Truth::True) {
      std::vector<std::string> by;
      for (const std::uint32_t s : info.overriders) {
        if (res.conditions[s] == Truth::Unknown) by.push_back(fmt::format("« {} »", rule_title(p, s)));
      }
      why = fmt::format("{} {}", w.pending_aside, fmt::join(by, fmt::format(" {} ", w.or_)));
    }
    pending += wrap(fmt::format("{} ({}) : {}", rule_title(p, rule), info.cite, why), 4).replace(0, 4, "  - ");
  }
  if (!pending.empty()) out += fmt::format("\n{} :\n{}", w.pending, pending);

  // « Pourquoi pas ? »: the exceptions that came close, and what they would need.
  if (r.near_misses != nullptr && !r.near_misses->empty()) {
    out += fmt::format("\n{}\n", w.why_not);
    out += wrap(w.why_not_intro, 2);
    for (const NearMiss& m : *r.near_misses) {
      out += wrap(fmt::format("{} ({})", rule_title(p, m.rule), p.rules[m.rule].cite), 4).replace(0, 4, "  - ");
      std::vector<std::string> needs;
      for (const NearMiss::Change& c : m.changes) {
        std::vector<std::string> values;
        for (const std::int64_t v : c.values) values.push_back(fact_value_words(p, c.fact, v, w));
        const std::string now = r.bound->facts[c.fact].known
                                    ? fact_value_words(p, c.fact, r.bound->facts[c.fact].payload, w)
                                    : std::string(w.not_given);
        needs.push_back(fmt::format("« {} » : {} ({} : {})", fact_words(p, c.fact),
                                    fmt::join(values, fmt::format(" {} ", w.or_)), w.here, now));
      }
      out += wrap(fmt::format("{} {}{}", w.would_apply_if, fmt::join(needs, fmt::format(" {} ", w.and_)),
                              m.would_be_settled ? "" : fmt::format(" {}", w.might_apply)),
                  6);
    }
  }

  // Open questions, ranked (runtime/explain.hpp): those that can change the verdict first, then those
  // that complete the answer; within each, by theme, with the answers each allows.
  out += fmt::format("\n{} :\n", w.missing);
  if (res.missing.empty()) out += fmt::format("  {}\n", w.missing_none);
  const std::vector<OpenQuestion> questions =
      open_questions(p, res, r.dependences != nullptr ? *r.dependences : std::vector<Dependence>{});
  std::optional<int> group;
  std::optional<std::uint32_t> theme_shown;
  bool first_theme = true;
  for (const OpenQuestion& q : questions) {
    const int g = q.rank == QuestionRank::Verdict ? 0 : q.rank == QuestionRank::Together ? 2 : 1;
    if (group != g) {
      group = g;
      out += fmt::format("  {} :\n", g == 0 ? w.open_verdict : g == 1 ? w.open_answer : w.open_together);
      first_theme = true;
    }
    const std::optional<std::uint32_t> t = p.theme_of(q.fact);
    const std::uint32_t theme = t ? *t : static_cast<std::uint32_t>(p.themes.size());
    if (first_theme || theme_shown != theme) {
      out += fmt::format("    [{}]\n", t ? p.theme_label(*t, lang) : std::string(w.other_facts));
      theme_shown = theme;
      first_theme = false;
    }
    out += wrap(fact_words(p, q.fact), 6).replace(0, 6, "    - ");
    out += wrap(fmt::format("{} : {}", w.answers, allowed_answers(p, q.fact, w)), 8);
  }
  return out;
}

namespace {

// A bool or member value of a fact, as JSON: true/false, or the member's name.
void fact_value_json(JsonWriter& w, const Program& p, std::uint32_t fact, std::int64_t v) {
  const Type t = p.facts[fact].type;
  if (t.kind == TypeKind::Bool) {
    w.value(v != 0);
  } else if (t.kind == TypeKind::Enum) {
    w.value(p.enums[t.enum_id].members[static_cast<std::size_t>(v)]);
  } else {
    w.value(p.format_value(t, Value::of(v)));
  }
}

void members_json(JsonWriter& w, const Program& p, std::uint32_t enum_id, std::uint64_t mask) {
  w.begin_array();
  for (std::uint64_t rest = mask; rest != 0; rest &= rest - 1)
    w.value(p.enums[enum_id].members[std::countr_zero(rest)]);
  w.end_array();
}

}  // namespace

void output_value_json(JsonWriter& w, const Program& p, std::uint32_t o, const OutputValue& v) {
  const OutputInfo& info = p.outputs[o];
  if (info.kind == OutputKind::Set) {
    members_json(w, p, info.enum_id, static_cast<std::uint64_t>(v.value.payload));
  } else if (v.value.known && !v.conflict) {
    w.value(p.enums[info.enum_id].members[static_cast<std::size_t>(v.value.payload)]);
  } else {
    w.null();
  }
}

namespace {

// How settled an output is (the members of an open object): the values still possible, and why the
// value to act on is the one given.
void status_members(JsonWriter& w, const Program& p, std::uint32_t o, const OutputValue& v) {
  const OutputInfo& info = p.outputs[o];
  w.member("settled", v.settled);
  w.key("possible");
  members_json(w, p, info.enum_id, v.possible);
  if (info.kind == OutputKind::Scalar && !v.settled) {
    w.member("value_is", !v.value.known ? "none" : acting_in_doubt(info, v) ? "in_doubt" : "in_every_case");
  }
}

void date_or_null(JsonWriter& w, const std::optional<std::int64_t>& day) {
  if (day) {
    w.value(format_date(*day));
  } else {
    w.null();
  }
}

}  // namespace

JsonParts::JsonParts(const Program& program, ReportLang lang)
    : program_(program),
      lang_(lang),
      ground_(program.rules.size()),
      warning_(program.rules.size()),
      output_base_(program.outputs.size()) {
  std::size_t base = 0;
  for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
    output_base_[o] = base;
    base += 2 * program.enums[program.outputs[o].enum_id].members.size();
  }
  settled_.resize(base);
}

void report_json_members(JsonWriter& w, const CaseReport& r, ReportLang lang) {
  g_lang = lang;
  const Program& p = *r.program;
  const Result& res = *r.result;
  std::optional<JsonParts> own;
  JsonParts& parts = r.json_parts != nullptr && r.json_parts->serves(p, lang) ? *r.json_parts : own.emplace(p, lang);
  const std::optional<std::int64_t> day = case_day(*r.program, *r.bound);
  w.key("date");
  date_or_null(w, day);
  w.key("rulebase").json(parts.part(parts.rulebase_, [&](JsonWriter& rw) {
    rw.begin_object();
    rw.member("name", p.name).member("version", p.version).member("hash", hex_hash(p.source_hash)).key("as_of");
    date_or_null(rw, p.law_as_of);
    rw.end_object();
  }));
  w.key("warnings").begin_array();
  if (p.law_as_of && day && *day > *p.law_as_of) {
    w.begin_object().member("kind", "after_as_of").member("as_of", format_date(*p.law_as_of)).end_object();
  }
  for (const std::uint32_t f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    if (rule.kind != RuleKind::Warning) continue;
    w.json(parts.part(parts.warning_[f], [&](JsonWriter& ww) {
      ww.begin_object().member("kind", "warning").member("rule", rule.name).member("title", p.rule_title(f, lang));
      ww.member("cite", rule.cite).member("text", p.rule_because(f, lang));
      if (const std::string& note = p.rule_note(f, lang); !note.empty()) ww.member("note", note);
      ww.end_object();
    }));
  }
  w.end_array();
  // A scalar output settled on a member: its value and its status are parts; anything else is written.
  const auto settled_slot = [&](std::uint32_t o) -> std::optional<std::size_t> {
    const OutputValue& v = res.outputs[o];
    if (p.outputs[o].kind != OutputKind::Scalar || !v.settled || !v.value.known || v.conflict) return std::nullopt;
    const auto member = static_cast<std::uint64_t>(v.value.payload);
    if (v.possible != std::uint64_t{1} << member) return std::nullopt;
    return parts.output_base_[o] + 2 * member;
  };
  w.key("outputs").begin_object();
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    w.key(p.outputs[o].name);
    if (const auto slot = settled_slot(o)) {
      w.json(parts.part(parts.settled_[*slot], [&](JsonWriter& vw) { output_value_json(vw, p, o, res.outputs[o]); }));
    } else {
      output_value_json(w, p, o, res.outputs[o]);
    }
  }
  w.end_object();
  w.key("status").begin_object();
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto status = [&](JsonWriter& sw) {
      sw.begin_object();
      status_members(sw, p, o, res.outputs[o]);
      sw.end_object();
    };
    w.key(p.outputs[o].name);
    if (const auto slot = settled_slot(o)) {
      w.json(parts.part(parts.settled_[*slot + 1], status));
    } else {
      status(w);
    }
  }
  w.end_object();
  w.key("provisos").begin_array();
  for (const std::uint32_t k : res.provisos) {
    std::vector<std::uint32_t> facts;
    const std::string text = provisos_text(p, k, facts);
    w.begin_object().member("rule", p.rules[proviso_rule(p, k)].name).member("text", text).key("facts").begin_array();
    for (const std::uint32_t f : facts) {
      if (!r.bound->facts[f].known) w.value(p.facts[f].name);
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("grounds").begin_array();
  grounds_order(p, res, parts.order_);
  for (const auto& grouped : parts.order_) {
    const std::uint32_t f = grouped.second;  // (a name, not a structured binding: clang 14 builds the fuzzers)
    w.json(parts.part(parts.ground_[f], [&](JsonWriter& gw) {
      const RuleInfo& rule = p.rules[f];
      gw.begin_object().member("rule", rule.name).member("cite", rule.cite).member("text", p.rule_because(f, lang));
      if (!rule.title.empty()) gw.member("title", p.rule_title(f, lang));
      if (const std::string& note = p.rule_note(f, lang); !note.empty()) gw.member("note", note);
      if (rule.valid_from) gw.member("valid_from", format_date(*rule.valid_from));
      if (rule.valid_until)
        gw.member("valid_until", format_date(*rule.valid_until));  // the first day it no longer applies
      gw.end_object();
    }));
  }
  w.end_array();
  w.key("overridden").begin_array();
  for (const Overridden& o : res.overridden) {
    w.begin_object().member("rule", p.rules[o.rule].name).member("by", p.rules[o.by].name).end_object();
  }
  w.end_array();
  w.key("may_apply").begin_array();
  for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
    if (res.applies[rule] != Truth::Unknown || p.rules[rule].kind == RuleKind::Warning) continue;
    w.begin_object()
        .member("rule", p.rules[rule].name)
        .member("fires", res.conditions[rule] == Truth::True ? "yes" : "maybe");
    w.key("may_be_set_aside_by").begin_array();
    for (const std::uint32_t s : p.rules[rule].overriders) {
      if (res.conditions[s] == Truth::Unknown) w.value(p.rules[s].name);
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("conflicts").begin_array();
  for (const Conflict& c : res.conflicts) {
    w.begin_object().member("output", p.outputs[c.output].name).key("rules").begin_array();
    w.value(p.rules[c.first].name).value(p.rules[c.second].name).end_array().end_object();
  }
  w.end_array();
  w.key("depends_on").begin_array();
  if (r.dependences != nullptr) {
    for (const Dependence& d : *r.dependences) {
      w.begin_object().member("fact", p.facts[d.fact].name).member("question", p.question_of(d.fact, lang));
      w.key("cases").begin_array();
      for (const Branch& b : d.branches) {
        w.begin_object().key("values").begin_array();
        for (const auto v : b.values) fact_value_json(w, p, d.fact, v);
        w.end_array().key("answers").begin_object();
        for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
          if (d.changes[o] == 0) continue;
          w.key(p.outputs[o].name).begin_object();
          status_members(w, p, o, b.outputs[o]);
          w.key("value");
          output_value_json(w, p, o, b.outputs[o]);
          w.end_object();
        }
        w.end_object().end_object();
      }
      w.end_array().end_object();
    }
  }
  w.end_array();
  // « Pourquoi pas ? », when it was looked for (`check --jsonl` leaves it out unless asked).
  if (r.near_misses != nullptr) {
    w.key("why_not").begin_array();
    for (const NearMiss& m : *r.near_misses) {
      w.begin_object().member("rule", p.rules[m.rule].name).member("title", p.rule_title(m.rule, lang));
      w.member("cite", p.rules[m.rule].cite).key("needs").begin_array();
      for (const NearMiss::Change& c : m.changes) {
        w.begin_object()
            .member("fact", p.facts[c.fact].name)
            .member("question", p.question_of(c.fact, lang))
            .key("now");
        const Value now = r.bound->facts[c.fact];
        if (now.known) {
          fact_value_json(w, p, c.fact, now.payload);
        } else {
          w.null();
        }
        w.key("values").begin_array();
        for (const std::int64_t v : c.values) fact_value_json(w, p, c.fact, v);
        w.end_array().end_object();
      }
      w.end_array().member("would_apply_for_sure", m.would_be_settled).end_object();
    }
    w.end_array();
  }
  // Ranked as in the text (runtime/explain.hpp open_questions).
  w.key("missing").begin_array();
  if (!res.missing.empty()) {
    const std::vector<OpenQuestion> questions =
        open_questions(p, res, r.dependences != nullptr ? *r.dependences : std::vector<Dependence>{});
    constexpr const char* kRanks[] = {"verdict", "answer", "limits", "together"};
    for (const OpenQuestion& q : questions) {
      const std::optional<std::uint32_t> t = p.theme_of(q.fact);
      w.begin_object()
          .member("fact", p.facts[q.fact].name)
          .member("question", p.question_of(q.fact, lang))
          .key("theme");
      if (t) {
        w.value(p.themes[*t].name);
      } else {
        w.null();
      }
      w.member("rank", kRanks[static_cast<int>(q.rank)]).end_object();
    }
  }
  w.end_array();
}

std::string render_json_text(const CaseReport& r, ReportLang lang) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().member("case", r.case_path);
  report_json_members(w, r, lang);
  w.end_object();
  return out;
}

nlohmann::ordered_json render_json(const CaseReport& r, ReportLang lang) {
  return nlohmann::ordered_json::parse(render_json_text(r, lang));
}

}  // namespace secretc
