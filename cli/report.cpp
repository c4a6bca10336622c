#include "cli/report.hpp"

#include <algorithm>

#include <fmt/format.h>

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
};

constexpr Words kFrench{
    "Situation", "Date retenue", "Base de règles", "à jour au", "Attention",
    "La base de règles est à jour au {} ; cette situation est du {} : des changements de la loi postérieurs peuvent ne pas y figurer.",
    "Réponse", "Devoir",
    "dans le doute : la réponse n'est pas tranchée, elle dépend des questions ci-dessous",
    "dans tous les cas ; la réponse exacte dépend des questions ci-dessous",
    "indéterminé : la réponse dépend des questions ci-dessous", "Réponses possibles",
    "La réponse dépend de", "(aucune question, seule, ne tranche la réponse : il en faut plusieurs)", "si", "pas encore tranché",
    "Cette réponse suppose que", "Ce que vous devez respecter", "(rien de particulier)",
    "Selon les réponses aux questions ouvertes, pourraient s'ajouter", "Fondements",
    "(aucune règle particulière : la règle générale s'applique)", "en vigueur", "du", "jusqu'au", "inclus", "Note",
    "Règles écartées", "écartée par", "Règles qui pourraient encore s'appliquer", "selon les questions ouvertes",
    "sauf si s'applique", "En cas de violation",
    "Questions encore ouvertes (y répondre peut changer la réponse)", "Aucune question ouverte.",
    "CONFLIT entre deux règles",
    "La base de règles ne tranche pas ce cas : dans le doute, gardez le secret et consultez un juriste.",
    "indéterminé", "oui", "non", "ou", "s'ajoute", "rien de plus n'est tranché"};

constexpr Words kEnglish{
    "Situation", "Date", "Rulebase", "up to date on", "Warning",
    "The rulebase is up to date on {}; this situation is of {}: later changes of the law may be missing from it.",
    "Answer", "Duty", "in doubt: the answer is not settled, it depends on the questions below",
    "in every case; the exact answer depends on the questions below",
    "undetermined: the answer depends on the questions below", "Possible answers", "The answer depends on",
    "(no single question settles the answer: several are needed)", "if", "not settled yet",
    "This answer assumes that", "Limits that come with the answer", "(none)",
    "Depending on the open questions, these may be added", "Grounds", "(no particular rule: the general rule applies)",
    "in force", "from", "until", "included", "Note", "Rules set aside", "set aside by", "Rules that may still apply",
    "depending on the open questions", "unless this applies:", "If the duty is broken",
    "Open questions (answering them may change the answer)", "No open question.", "CONFLICT between two rules",
    "The rulebase does not settle this case: in doubt, keep the secret and ask a lawyer.", "undetermined", "yes",
    "no", "or", "adds", "nothing more is settled"};

std::string member_words(const Program& p, std::uint32_t enum_id, std::uint32_t member) {
  const EnumInfo& e = p.enums[enum_id];
  if (member < e.labels.size() && !e.labels[member].empty()) return e.labels[member];
  return e.members[member];
}

std::vector<std::uint32_t> members_of(std::uint64_t mask) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < 64; ++i) {
    if (((mask >> i) & 1U) != 0) out.push_back(i);
  }
  return out;
}

std::string rule_title(const RuleInfo& r) { return r.title.empty() ? r.name : r.title; }

std::string hex_hash(std::uint64_t h) { return fmt::format("{:016x}", h); }

// The situation's day: the program's date fact, when the case has one.
std::optional<std::int64_t> case_day(const CaseReport& r) {
  if (r.program->date_fact && r.bound->facts[*r.program->date_fact].known) return r.bound->facts[*r.program->date_fact].payload;
  return std::nullopt;
}

// Folds a text into lines of at most `width` characters (UTF-8 aware), each after `indent` spaces.
std::string wrap(std::string_view text, std::size_t indent, std::size_t width = 100) {
  std::string out;
  std::size_t column = indent;
  out.append(indent, ' ');
  bool first = true;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = text.find(' ', pos);
    const std::string_view word = text.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    pos = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    std::size_t chars = 0;
    for (const char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
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

// A fact's value as a reader says it: `oui`, a member's words.
std::string fact_value_words(const Program& p, std::uint32_t fact, std::int64_t value, const Words& w) {
  const Type t = p.facts[fact].type;
  if (t.kind == TypeKind::Bool) return value != 0 ? w.yes : w.no;
  if (t.kind == TypeKind::Enum) {
    std::string s = member_words(p, t.enum_id, static_cast<std::uint32_t>(value));
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
  }
  return p.format_value(t, Value::of(value));
}

std::string fact_words(const FactInfo& f) { return f.question.empty() ? f.name : fmt::format("{} ({})", f.question, f.name); }

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

}  // namespace

std::string render_text(const CaseReport& r, ReportLang lang) {
  const Words& w = lang == ReportLang::French ? kFrench : kEnglish;
  const Program& p = *r.program;
  const Result& res = *r.result;
  std::string out;
  std::string title;
  if (const auto t = p.find_fact("cas.titre"); t && r.bound->facts[*t].known) title = r.bound->format(p, *t);
  out += fmt::format("{} : {}{}\n", w.situation, title.empty() ? r.case_path : fmt::format("« {} »", title),
                     title.empty() ? "" : fmt::format(" ({})", r.case_path));
  const std::optional<std::int64_t> day = case_day(r);
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
    std::string text = wrap(rule.cite.empty() ? rule_title(rule) : fmt::format("{} — {}", rule_title(rule), rule.cite), 4);
    if (!rule.because.empty()) text += wrap(rule.because, 4);
    if (!rule.note.empty()) text += wrap(fmt::format("{} : {}", w.note, rule.note), 4);
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
    for (const auto m : members_of(v.possible)) possible.push_back(fmt::format("« {} »", member_words(p, info.enum_id, m)));
    out += wrap(fmt::format("{} : {}", w.possible_answers, fmt::join(possible, fmt::format(" {} ", w.or_))), 13);
  }
  for (const Conflict& c : res.conflicts) {
    out += fmt::format("\n!! {} ({}) : « {} » et « {} »\n   {}\n", w.conflict, p.outputs[c.output].name,
                       rule_title(p.rules[c.first]), rule_title(p.rules[c.second]), w.conflict_advice);
  }

  // What the open questions would change, computed by evaluating the case again.
  bool unsettled = false;
  for (const OutputValue& v : res.outputs) unsettled = unsettled || !v.settled;
  if (r.dependences != nullptr && unsettled) {
    out += fmt::format("\n{} :\n", w.depends);
    if (r.dependences->empty()) out += fmt::format("  {}\n", w.depends_none);
    for (const Dependence& d : ranked(p, *r.dependences)) {
      out += wrap(fact_words(p.facts[d.fact]), 4).replace(0, 4, "  - ");
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
        out += wrap(fmt::format("{} {} : {}", w.if_, fmt::join(values, fmt::format(" {} ", w.or_)), fmt::join(answer, " ; ")), 6);
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
        for (const std::uint32_t f : facts) questions.push_back(fact_words(p.facts[f]));
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
      for (const auto m : members_of(v.possible & ~sure)) out += wrap(member_words(p, info.enum_id, m), 6).replace(0, 6, "    ? ");
    }
  }

  out += fmt::format("\n{} :\n", w.grounds);
  std::size_t shown = 0;
  for (const std::uint32_t f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    if (rule.kind == RuleKind::Warning) continue;
    out += fmt::format("  {}. {} — {}\n", ++shown, rule_title(rule), rule.cite);
    if (!rule.because.empty()) out += wrap(rule.because, 5);
    if (rule.valid_from || rule.valid_until) {
      // The last day in force is the day before `valid_until`, the first day the rule no longer applies.
      std::string period;
      if (rule.valid_from) period += fmt::format(" {} {}", w.from, format_date(*rule.valid_from));
      if (rule.valid_until) period += fmt::format(" {} {} {}", w.until, format_date(*rule.valid_until - 1), w.until_note);
      out += fmt::format("     ({}{}{})\n", w.validity, period,
                         rule.validity_reason.empty() ? "" : fmt::format(" — {}", rule.validity_reason));
    }
    if (!rule.note.empty()) out += wrap(fmt::format("{} : {}", w.note, rule.note), 5);
  }
  if (shown == 0) out += fmt::format("  {}\n", w.no_grounds);
  if (!res.overridden.empty()) {
    out += fmt::format("\n{} :\n", w.set_aside);
    for (const Overridden& o : res.overridden) {
      const RuleInfo& a = p.rules[o.rule];
      out += wrap(fmt::format("{} ({}) : {} {}", rule_title(a), a.cite, w.set_aside_by, rule_title(p.rules[o.by])), 4)
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
        if (res.conditions[s] == Truth::Unknown) by.push_back(fmt::format("« {} »", rule_title(p.rules[s])));
      }
      why = fmt::format("{} {}", w.pending_aside, fmt::join(by, fmt::format(" {} ", w.or_)));
    }
    pending += wrap(fmt::format("{} ({}) : {}", rule_title(info), info.cite, why), 4).replace(0, 4, "  - ");
  }
  if (!pending.empty()) out += fmt::format("\n{} :\n{}", w.pending, pending);

  // Open questions: first those whose answer, alone, changes the answer.
  out += fmt::format("\n{} :\n", w.missing);
  if (res.missing.empty()) out += fmt::format("  {}\n", w.missing_none);
  std::vector<std::uint32_t> ordered;
  if (r.dependences != nullptr) {
    for (const Dependence& d : ranked(p, *r.dependences)) ordered.push_back(d.fact);
  }
  for (const auto f : res.missing) {
    if (std::find(ordered.begin(), ordered.end(), f) == ordered.end()) ordered.push_back(f);
  }
  for (const auto f : ordered) out += wrap(fact_words(p.facts[f]), 4).replace(0, 4, "  - ");
  return out;
}

namespace {

nlohmann::ordered_json members_json(const Program& p, std::uint32_t enum_id, std::uint64_t mask) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto m : members_of(mask)) a.push_back(p.enums[enum_id].members[m]);
  return a;
}

nlohmann::ordered_json value_json(const Program& p, std::uint32_t o, const OutputValue& v) {
  const OutputInfo& info = p.outputs[o];
  if (info.kind == OutputKind::Set) return members_json(p, info.enum_id, static_cast<std::uint64_t>(v.value.payload));
  if (v.value.known && !v.conflict) return p.enums[info.enum_id].members[static_cast<std::size_t>(v.value.payload)];
  return nullptr;
}

// How settled an output is: the values still possible, and why the value to act on is the one given.
nlohmann::ordered_json status_json(const Program& p, std::uint32_t o, const OutputValue& v) {
  const OutputInfo& info = p.outputs[o];
  nlohmann::ordered_json s;
  s["settled"] = v.settled;
  s["possible"] = members_json(p, info.enum_id, v.possible);
  if (info.kind == OutputKind::Scalar) {
    if (!v.settled) {
      s["value_is"] = !v.value.known ? "none" : acting_in_doubt(info, v) ? "in_doubt" : "in_every_case";
    }
  }
  return s;
}

}  // namespace

nlohmann::ordered_json render_json(const CaseReport& r) {
  const Program& p = *r.program;
  const Result& res = *r.result;
  nlohmann::ordered_json j;
  j["case"] = r.case_path;
  const std::optional<std::int64_t> day = case_day(r);
  j["date"] = day ? nlohmann::ordered_json(format_date(*day)) : nlohmann::ordered_json();
  j["rulebase"] = {{"name", p.name}, {"version", p.version}, {"hash", hex_hash(p.source_hash)},
                   {"as_of", p.law_as_of ? nlohmann::ordered_json(format_date(*p.law_as_of)) : nlohmann::ordered_json()}};
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  if (p.law_as_of && day && *day > *p.law_as_of) {
    warnings.push_back({{"kind", "after_as_of"}, {"as_of", format_date(*p.law_as_of)}});
  }
  for (const std::uint32_t f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    if (rule.kind != RuleKind::Warning) continue;
    nlohmann::ordered_json w{{"kind", "warning"}, {"rule", rule.name}, {"title", rule.title}, {"cite", rule.cite},
                             {"text", rule.because}};
    if (!rule.note.empty()) w["note"] = rule.note;
    warnings.push_back(w);
  }
  j["warnings"] = warnings;
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  nlohmann::ordered_json status = nlohmann::ordered_json::object();
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    outputs[p.outputs[o].name] = value_json(p, o, res.outputs[o]);
    status[p.outputs[o].name] = status_json(p, o, res.outputs[o]);
  }
  j["outputs"] = outputs;
  j["status"] = status;
  nlohmann::ordered_json provisos = nlohmann::ordered_json::array();
  for (const std::uint32_t k : res.provisos) {
    std::vector<std::uint32_t> facts;
    const std::string text = provisos_text(p, k, facts);
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    for (const std::uint32_t f : facts) {
      if (!r.bound->facts[f].known) names.push_back(p.facts[f].name);
    }
    provisos.push_back({{"rule", p.rules[proviso_rule(p, k)].name}, {"text", text}, {"facts", names}});
  }
  j["provisos"] = provisos;
  nlohmann::ordered_json grounds = nlohmann::ordered_json::array();
  for (const auto f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    if (rule.kind == RuleKind::Warning) continue;
    nlohmann::ordered_json g{{"rule", rule.name}, {"cite", rule.cite}, {"text", rule.because}};
    if (!rule.title.empty()) g["title"] = rule.title;
    if (!rule.note.empty()) g["note"] = rule.note;
    grounds.push_back(g);
  }
  j["grounds"] = grounds;
  nlohmann::ordered_json overridden = nlohmann::ordered_json::array();
  for (const Overridden& o : res.overridden) overridden.push_back({{"rule", p.rules[o.rule].name}, {"by", p.rules[o.by].name}});
  j["overridden"] = overridden;
  nlohmann::ordered_json may_apply = nlohmann::ordered_json::array();
  for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
    if (res.applies[rule] != Truth::Unknown || p.rules[rule].kind == RuleKind::Warning) continue;
    nlohmann::ordered_json entry{{"rule", p.rules[rule].name}, {"fires", res.conditions[rule] == Truth::True ? "yes" : "maybe"}};
    nlohmann::ordered_json by = nlohmann::ordered_json::array();
    for (const std::uint32_t s : p.rules[rule].overriders) {
      if (res.conditions[s] == Truth::Unknown) by.push_back(p.rules[s].name);
    }
    entry["may_be_set_aside_by"] = by;
    may_apply.push_back(entry);
  }
  j["may_apply"] = may_apply;
  nlohmann::ordered_json conflicts = nlohmann::ordered_json::array();
  for (const Conflict& c : res.conflicts) {
    conflicts.push_back({{"output", p.outputs[c.output].name}, {"rules", {p.rules[c.first].name, p.rules[c.second].name}}});
  }
  j["conflicts"] = conflicts;
  nlohmann::ordered_json depends = nlohmann::ordered_json::array();
  if (r.dependences != nullptr) {
    for (const Dependence& d : *r.dependences) {
      nlohmann::ordered_json cases = nlohmann::ordered_json::array();
      for (const Branch& b : d.branches) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (const auto v : b.values) {
          const Type t = p.facts[d.fact].type;
          if (t.kind == TypeKind::Bool) {
            values.push_back(v != 0);
          } else {
            values.push_back(p.enums[t.enum_id].members[static_cast<std::size_t>(v)]);
          }
        }
        nlohmann::ordered_json answers = nlohmann::ordered_json::object();
        for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
          if (d.changes[o] == 0) continue;
          nlohmann::ordered_json a = status_json(p, o, b.outputs[o]);
          a["value"] = value_json(p, o, b.outputs[o]);
          answers[p.outputs[o].name] = a;
        }
        cases.push_back({{"values", values}, {"answers", answers}});
      }
      depends.push_back({{"fact", p.facts[d.fact].name}, {"question", p.facts[d.fact].question}, {"cases", cases}});
    }
  }
  j["depends_on"] = depends;
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (const auto f : res.missing) missing.push_back({{"fact", p.facts[f].name}, {"question", p.facts[f].question}});
  j["missing"] = missing;
  return j;
}

}  // namespace secretc
