#include "cli/report.hpp"

#include <fmt/format.h>

namespace secretc {

namespace {

struct Words {
  const char* situation;
  const char* date;
  const char* rulebase;
  const char* answer;
  const char* duty;
  const char* conditions;
  const char* no_condition;
  const char* grounds;
  const char* no_grounds;
  const char* validity;
  const char* note;
  const char* set_aside;
  const char* set_aside_by;
  const char* sanctions;
  const char* missing;
  const char* missing_none;
  const char* conflict;
  const char* conflict_advice;
  const char* unknown;
  const char* source;
};

constexpr Words kFrench{
    "Situation", "Date retenue", "Base de règles", "Réponse", "Devoir", "Ce que vous devez respecter",
    "(rien de particulier)", "Fondements", "(aucune règle particulière : la règle générale s'applique)",
    "en vigueur", "Note", "Règles écartées", "écartée par", "En cas de violation",
    "Questions encore ouvertes (y répondre peut changer la réponse)", "Aucune question ouverte.",
    "CONFLIT entre deux règles", "La base de règles ne tranche pas ce cas : dans le doute, gardez le secret et consultez un juriste.",
    "indéterminé", "source"};

constexpr Words kEnglish{
    "Situation", "Date", "Rulebase", "Answer", "Duty", "Limits that come with the answer",
    "(none)", "Grounds", "(no particular rule: the general rule applies)",
    "in force", "Note", "Rules set aside", "set aside by", "If the duty is broken",
    "Open questions (answering them may change the answer)", "No open question.",
    "CONFLICT between two rules", "The rulebase does not settle this case: in doubt, keep the secret and ask a lawyer.",
    "undetermined", "source"};

std::string member_words(const Program& p, std::uint32_t enum_id, std::uint32_t member) {
  const EnumInfo& e = p.enums[enum_id];
  if (member < e.labels.size() && !e.labels[member].empty()) return e.labels[member];
  return e.members[member];
}

std::string output_words(const Program& p, std::uint32_t o, const OutputValue& v, const Words& w) {
  const OutputInfo& info = p.outputs[o];
  if (v.conflict) return w.conflict;
  if (!v.value.known) return w.unknown;
  return member_words(p, info.enum_id, static_cast<std::uint32_t>(v.value.payload));
}

std::vector<std::uint32_t> members_of(std::uint64_t mask) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < 64; ++i) {
    if (((mask >> i) & 1U) != 0) out.push_back(i);
  }
  return out;
}

std::string case_date(const CaseReport& r) {
  if (const auto f = r.program->find_fact("cas.date"); f && r.bound->facts[*f].known) {
    return format_date(r.bound->facts[*f].payload);
  }
  return {};
}

std::string hex_hash(std::uint64_t h) { return fmt::format("{:016x}", h); }

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
  if (const std::string d = case_date(r); !d.empty()) out += fmt::format("{} : {}\n", w.date, d);
  out += fmt::format("{} : {} ({})\n\n", w.rulebase, p.name, p.version);

  // The scalar outputs first, verdict leading: the answer in one line.
  std::vector<std::uint32_t> scalars;
  if (const auto v = p.find_output("verdict")) scalars.push_back(*v);
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    if (p.outputs[o].kind == OutputKind::Scalar && p.outputs[o].name != "verdict") scalars.push_back(o);
  }
  for (const std::uint32_t o : scalars) {
    const char* label = p.outputs[o].name == "verdict" ? w.answer : p.outputs[o].name == "obligation" ? w.duty : nullptr;
    out += fmt::format("{:<10} : {}\n", label != nullptr ? label : p.outputs[o].name.c_str(),
                       output_words(p, o, res.outputs[o], w));
  }
  for (const Conflict& c : res.conflicts) {
    out += fmt::format("\n!! {} ({}) : « {} » et « {} »\n   {}\n", w.conflict, p.outputs[c.output].name,
                       p.rules[c.first].title.empty() ? p.rules[c.first].name : p.rules[c.first].title,
                       p.rules[c.second].title.empty() ? p.rules[c.second].name : p.rules[c.second].title, w.conflict_advice);
  }

  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    const OutputInfo& info = p.outputs[o];
    if (info.kind != OutputKind::Set) continue;
    const auto members = members_of(static_cast<std::uint64_t>(res.outputs[o].value.payload));
    const char* heading = info.name == "conditions" ? w.conditions : info.name == "sanctions" ? w.sanctions : nullptr;
    out += fmt::format("\n{} :\n", heading != nullptr ? heading : info.name.c_str());
    if (members.empty()) out += fmt::format("  {}\n", w.no_condition);
    for (const auto m : members) out += fmt::format("  - {}\n", member_words(p, info.enum_id, m));
  }

  out += fmt::format("\n{} :\n", w.grounds);
  if (res.fired.empty()) out += fmt::format("  {}\n", w.no_grounds);
  for (std::size_t i = 0; i < res.fired.size(); ++i) {
    const RuleInfo& rule = p.rules[res.fired[i]];
    out += fmt::format("  {}. {} — {}\n", i + 1, rule.title.empty() ? rule.name : rule.title, rule.cite);
    if (!rule.because.empty()) out += wrap(rule.because, 5);
    if (rule.valid_from || rule.valid_until) {
      out += fmt::format("     ({} {}{}{})\n", w.validity,
                         rule.valid_from ? fmt::format("{} {}", lang == ReportLang::French ? "du" : "from", format_date(*rule.valid_from)) : "",
                         rule.valid_until ? fmt::format(" {} {}", lang == ReportLang::French ? "au" : "until", format_date(*rule.valid_until)) : "",
                         rule.validity_reason.empty() ? "" : fmt::format(" — {}", rule.validity_reason));
    }
    if (!rule.note.empty()) out += wrap(fmt::format("{} : {}", w.note, rule.note), 5);
  }
  if (!res.overridden.empty()) {
    out += fmt::format("\n{} :\n", w.set_aside);
    for (const Overridden& o : res.overridden) {
      const RuleInfo& a = p.rules[o.rule];
      const RuleInfo& b = p.rules[o.by];
      out += fmt::format("  - {} ({}) : {} {}\n", a.title.empty() ? a.name : a.title, a.cite, w.set_aside_by,
                         b.title.empty() ? b.name : b.title);
    }
  }

  out += fmt::format("\n{} :\n", w.missing);
  if (res.missing.empty()) out += fmt::format("  {}\n", w.missing_none);
  for (const auto f : res.missing) {
    const FactInfo& fact = p.facts[f];
    out += fmt::format("  - {} ({})\n", fact.question.empty() ? fact.name : fact.question, fact.name);
  }
  return out;
}

nlohmann::ordered_json render_json(const CaseReport& r) {
  const Program& p = *r.program;
  const Result& res = *r.result;
  nlohmann::ordered_json j;
  j["case"] = r.case_path;
  const std::string d = case_date(r);
  j["date"] = d.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(d);
  j["rulebase"] = {{"name", p.name}, {"version", p.version}, {"hash", hex_hash(p.source_hash)}};
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = res.outputs[o];
    if (info.kind == OutputKind::Set) {
      nlohmann::ordered_json members = nlohmann::ordered_json::array();
      for (const auto m : members_of(static_cast<std::uint64_t>(v.value.payload))) members.push_back(p.enums[info.enum_id].members[m]);
      outputs[info.name] = members;
    } else if (v.value.known && !v.conflict) {
      outputs[info.name] = p.enums[info.enum_id].members[static_cast<std::size_t>(v.value.payload)];
    } else {
      outputs[info.name] = nullptr;
    }
  }
  j["outputs"] = outputs;
  nlohmann::ordered_json grounds = nlohmann::ordered_json::array();
  for (const auto f : res.fired) {
    const RuleInfo& rule = p.rules[f];
    nlohmann::ordered_json g{{"rule", rule.name}, {"cite", rule.cite}, {"text", rule.because}};
    if (!rule.title.empty()) g["title"] = rule.title;
    if (!rule.note.empty()) g["note"] = rule.note;
    grounds.push_back(g);
  }
  j["grounds"] = grounds;
  nlohmann::ordered_json overridden = nlohmann::ordered_json::array();
  for (const Overridden& o : res.overridden) overridden.push_back({{"rule", p.rules[o.rule].name}, {"by", p.rules[o.by].name}});
  j["overridden"] = overridden;
  nlohmann::ordered_json conflicts = nlohmann::ordered_json::array();
  for (const Conflict& c : res.conflicts) {
    conflicts.push_back({{"output", p.outputs[c.output].name}, {"rules", {p.rules[c.first].name, p.rules[c.second].name}}});
  }
  j["conflicts"] = conflicts;
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (const auto f : res.missing) missing.push_back({{"fact", p.facts[f].name}, {"question", p.facts[f].question}});
  j["missing"] = missing;
  return j;
}

}  // namespace secretc
