// `secretc vocab`: the words a case file may use — every fact of a rulebase with its type, members and
// their labels, default, question, help text and theme; the outputs — for people (text) and for programs
// that build a form from it (JSON; `serve` answers `GET /api/vocabulary` with the same object).
#include "cli/vocab_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace secretc {

namespace {

std::string type_word(const Program& p, Type t) {
  return t.kind == TypeKind::Enum ? "enum" : p.type_name(t);
}

TextLang text_lang(ReportLang lang) {
  return lang == ReportLang::English ? TextLang::English : TextLang::French;
}

const std::string& label_of(const Program& p, std::uint32_t enum_id, std::uint32_t m, ReportLang lang) {
  static const std::string kNone;
  const EnumInfo& e = p.enums[enum_id];
  const std::string& written = m < e.labels.size() ? e.labels[m] : kNone;
  const std::string& translated = m < e.labels_tr.size() ? e.labels_tr[m] : kNone;
  return text_in(text_lang(lang), e.lang, written, translated);
}

nlohmann::ordered_json members_json(const Program& p, std::uint32_t enum_id, ReportLang lang) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const EnumInfo& e = p.enums[enum_id];
  for (std::uint32_t m = 0; m < e.members.size(); ++m) {
    nlohmann::ordered_json member{{"name", e.members[m]}, {"label", label_of(p, enum_id, m, lang)}};
    nlohmann::ordered_json synonyms = nlohmann::ordered_json::array();
    if (m < e.synonyms.size()) {
      for (const std::string& s : e.synonyms[m]) synonyms.push_back(s);
    }
    member["synonyms"] = synonyms;
    out.push_back(member);
  }
  return out;
}

// The facts in the order a form shows them: by theme in the order the themes are declared, then the
// facts of no declared theme; within a theme, in declaration order.
std::vector<std::uint32_t> fact_order(const Program& p) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t t = 0; t <= p.themes.size(); ++t) {
    for (std::uint32_t f = 0; f < p.facts.size(); ++f) {
      const auto theme = p.theme_of(f);
      if ((t < p.themes.size() && theme == t) || (t == p.themes.size() && !theme)) out.push_back(f);
    }
  }
  return out;
}

}  // namespace

nlohmann::ordered_json vocabulary_json(const Program& p, ReportLang lang) {
  const TextLang want = text_lang(lang);
  nlohmann::ordered_json j;
  j["rulebase"] = {
      {"name", p.name},
      {"version", p.version},
      {"as_of", p.law_as_of ? nlohmann::ordered_json(format_date(*p.law_as_of)) : nlohmann::ordered_json()}};
  nlohmann::ordered_json themes = nlohmann::ordered_json::array();
  for (const ThemeInfo& t : p.themes) {
    themes.push_back({{"name", t.name}, {"label", text_in(want, t.lang, t.label, t.label_tr)}});
  }
  j["themes"] = themes;
  nlohmann::ordered_json facts = nlohmann::ordered_json::array();
  for (const std::uint32_t f : fact_order(p)) {
    const FactInfo& info = p.facts[f];
    nlohmann::ordered_json fact{{"name", info.name}, {"type", type_word(p, info.type)}};
    const auto theme = p.theme_of(f);
    fact["theme"] = theme ? nlohmann::ordered_json(p.themes[*theme].name) : nlohmann::ordered_json();
    fact["question"] = text_in(want, info.lang, info.question, info.question_tr);
    fact["help"] = text_in(want, info.lang, info.help, info.help_tr);
    if (info.type.kind == TypeKind::Enum) fact["members"] = members_json(p, info.type.enum_id, lang);
    switch (info.default_kind) {
      case DefaultKind::None:
        fact["default"] = nullptr;
        break;
      case DefaultKind::Today:
        fact["default"] = "today";
        break;
      case DefaultKind::Constant:
        if (info.type.kind == TypeKind::Bool) {
          fact["default"] = info.default_value.payload != 0;
        } else if (info.type.kind == TypeKind::Integer) {
          fact["default"] = info.default_value.payload;
        } else {
          fact["default"] = p.format_value(info.type, info.default_value);
        }
        break;
    }
    facts.push_back(fact);
  }
  j["facts"] = facts;
  nlohmann::ordered_json outputs = nlohmann::ordered_json::array();
  for (const OutputInfo& o : p.outputs) {
    nlohmann::ordered_json out{{"name", o.name},
                               {"kind", o.kind == OutputKind::Set ? "set" : "scalar"},
                               {"members", members_json(p, o.enum_id, lang)}};
    out["default"] =
        o.has_default ? nlohmann::ordered_json(p.enums[o.enum_id].members[o.default_member]) : nlohmann::ordered_json();
    nlohmann::ordered_json doubt = nlohmann::ordered_json::array();
    for (const std::uint32_t m : o.doubt) doubt.push_back(p.enums[o.enum_id].members[m]);
    out["in_doubt"] = doubt;
    outputs.push_back(out);
  }
  j["outputs"] = outputs;
  return j;
}

std::string vocabulary_text(const Program& p, ReportLang lang) {
  const bool fr = lang == ReportLang::French;
  const TextLang want = text_lang(lang);
  std::string out = fmt::format(
      "{} ({}){}\n", p.name, p.version,
      p.law_as_of ? fmt::format(fmt::runtime(fr ? ", à jour au {}" : ", as of {}"), format_date(*p.law_as_of)) : "");
  std::optional<std::uint32_t> shown_theme;
  bool first = true;
  for (const std::uint32_t f : fact_order(p)) {
    const FactInfo& info = p.facts[f];
    const auto theme = p.theme_of(f);
    if (first || theme != shown_theme) {
      const std::string heading =
          theme ? text_in(want, p.themes[*theme].lang, p.themes[*theme].label, p.themes[*theme].label_tr)
                : std::string(fr ? "Autres faits" : "Other facts");
      out += fmt::format("\n{}\n", heading);
      shown_theme = theme;
      first = false;
    }
    std::string type;
    switch (info.type.kind) {
      case TypeKind::Bool:
        type = fr ? "oui / non" : "yes / no";
        break;
      case TypeKind::Date:
        type = fr ? "date AAAA-MM-JJ" : "date YYYY-MM-DD";
        break;
      case TypeKind::Integer:
        type = fr ? "nombre entier" : "whole number";
        break;
      case TypeKind::String:
        type = fr ? "texte entre guillemets" : "text in double quotes";
        break;
      case TypeKind::Article:
        type = fr ? "article du Code, entre guillemets (\"375\", \"371/1\")"
                  : "article of the Code, in double quotes (\"375\", \"371/1\")";
        break;
      case TypeKind::Enum:
        type = fr ? "un choix" : "one choice";
        break;
      case TypeKind::Set:
        type = "?";
        break;
    }
    out += fmt::format("  {} : {}\n", info.name, type);
    const std::string& question = text_in(want, info.lang, info.question, info.question_tr);
    if (!question.empty()) out += fmt::format("      {}\n", question);
    const std::string& help = text_in(want, info.lang, info.help, info.help_tr);
    if (!help.empty()) out += fmt::format("      ({})\n", help);
    if (info.type.kind == TypeKind::Enum) {
      const EnumInfo& e = p.enums[info.type.enum_id];
      for (std::uint32_t m = 0; m < e.members.size(); ++m) {
        const std::string& label = label_of(p, info.type.enum_id, m, lang);
        std::string synonyms;
        if (m < e.synonyms.size() && !e.synonyms[m].empty()) {
          synonyms = fmt::format(fmt::runtime(fr ? " (aussi : {})" : " (also: {})"), fmt::join(e.synonyms[m], ", "));
        }
        out += fmt::format("      - {}{}{}\n", e.members[m], label.empty() ? "" : " : " + label, synonyms);
      }
    }
    if (info.default_kind == DefaultKind::Today)
      out += fr ? "      par défaut : aujourd'hui\n" : "      default: today\n";
    if (info.default_kind == DefaultKind::Constant) {
      std::string value = p.format_value(info.type, info.default_value);
      if (info.type.kind == TypeKind::Bool)
        value = info.default_value.payload != 0 ? (fr ? "oui" : "yes") : (fr ? "non" : "no");
      out += fmt::format(fmt::runtime(fr ? "      par défaut : {}\n" : "      default: {}\n"), value);
    }
  }
  out += fmt::format("\n{}\n", fr ? "Réponses (sorties)" : "Answers (outputs)");
  for (const OutputInfo& o : p.outputs) {
    std::vector<std::string> members;
    for (const auto& m : p.enums[o.enum_id].members) members.push_back(m);
    out += fmt::format("  {} : {}{}\n", o.name, o.kind == OutputKind::Set ? (fr ? "ensemble de " : "set of ") : "",
                       fmt::join(members, ", "));
  }
  return out;
}

}  // namespace secretc
