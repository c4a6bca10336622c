// `secretc diff OLD NEW`: loads both versions, asks analysis/diff what changed, prints it (text or
// JSON) and writes the witnesses.
#include <algorithm>
#include <filesystem>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/diff.hpp"
#include "cli/inputs.hpp"
#include "cli/maintainer_commands.hpp"
#include "compiler/compile.hpp"
#include "grammar/keywords.hpp"
#include "runtime/bytecode.hpp"

namespace secretc {

namespace fs = std::filesystem;

namespace {

// One version: rule sources (a file or a folder), a .secbc, or `-` for the embedded rulebase. From
// sources, `keywords` is set to their language.
std::optional<Program> load_version(const std::string& path, std::string_view embedded, Output& o,
                                    std::optional<Keywords>& keywords) {
  std::string source;
  std::vector<std::string> rules;
  if (path != "-") rules.push_back(path);  // `-`: the embedded rulebase
  std::optional<Program> program = load_rules(rules, embedded, o.err, std::nullopt, &source);
  if (program && !source.empty()) keywords = keywords_of_source(source);
  return program;
}

// ----- text ----------------------------------------------------------------------------------------

std::string clause_word(const std::string& clause, Keywords k) {
  const bool fr = k == Keywords::French;
  const TextLang l = fr ? TextLang::French : TextLang::English;
  if (clause == "title") return fr ? "titre" : "title";
  if (clause == "cite") return std::string(keyword_text(Kw::Cite, l));
  if (clause == "validity") return fr ? "validité" : "validity";
  if (clause == "overrides") return std::string(keyword_text(Kw::Overrides, l));
  if (clause == "when") return std::string(keyword_text(Kw::When, l));
  if (clause == "provided") return std::string(keyword_text(Kw::Provided, l));
  if (clause == "kind") return fr ? "nature" : "kind";
  if (clause == "then") return std::string(keyword_text(Kw::Then, l));
  if (clause == "because") return std::string(keyword_text(Kw::Because, l));
  if (clause == "note") return std::string(keyword_text(Kw::Note, l));
  return clause;
}

std::string rule_word(Keywords k, bool warning = false) {
  return std::string(
      keyword_text(warning ? Kw::Warning : Kw::Rule, k == Keywords::French ? TextLang::French : TextLang::English));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const auto nl = text.find('\n', from);
    out.push_back(text.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  return out;
}

void text_rule(std::string& out, char mark, const RuleText& r, Keywords k) {
  out += fmt::format("{} {} {}{}\n", mark, rule_word(k, r.warning), r.name,
                     r.where.empty() ? "" : fmt::format("  ({})", r.where));
  for (const auto& [clause, text] : r.clauses) {
    if (clause == "title" || clause == "validity") {
      out += fmt::format("    {}\n", text);
    } else if (clause == "provided") {
      for (const std::string& line : lines_of(text)) out += fmt::format("    {} {}\n", clause_word(clause, k), line);
    } else {
      out += fmt::format("    {} {}\n", clause_word(clause, k), text);
    }
  }
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < list.size()) {
    const auto comma = list.find(", ", from);
    out.push_back(list.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (comma == std::string::npos) break;
    from = comma + 2;
  }
  return out;
}

void text_change(std::string& out, const ClauseChange& c, std::string_view label) {
  out += fmt::format("    {}{}\n", label, c.same_meaning ? "  (written otherwise, same meaning on every case)" : "");
  if (c.clause == "overrides") {
    // A list of rules: what left it, what joined it.
    const auto before = split_names(c.old_text), after = split_names(c.new_text);
    for (const auto& n : before) {
      if (std::find(after.begin(), after.end(), n) == after.end()) out += fmt::format("      - {}\n", n);
    }
    for (const auto& n : after) {
      if (std::find(before.begin(), before.end(), n) == before.end()) out += fmt::format("      + {}\n", n);
    }
    return;
  }
  if (c.clause == "provided") {
    for (const std::string& line : lines_of(c.old_text)) out += line.empty() ? "" : fmt::format("      - {}\n", line);
    for (const std::string& line : lines_of(c.new_text)) out += line.empty() ? "" : fmt::format("      + {}\n", line);
    return;
  }
  if (!c.old_text.empty()) out += fmt::format("      - {}\n", c.old_text);
  if (!c.new_text.empty()) out += fmt::format("      + {}\n", c.new_text);
  // Only the items of a set changed: which, so that the reader need not compare the two lines.
  const auto items = [](const std::vector<std::string>& xs) {
    std::string list;
    for (const auto& x : xs) list += (list.empty() ? "" : ", ") + x;
    return list;
  };
  if (!c.items_removed.empty()) out += fmt::format("      removed from the set: {}\n", items(c.items_removed));
  if (!c.items_added.empty()) out += fmt::format("      added to the set: {}\n", items(c.items_added));
}

std::string side_text(const Decision& d, const BehaviourChange& c) {
  std::string rules, maybe;
  for (const auto& r : d.decided_by) rules += (rules.empty() ? "`" : ", `") + r + "`";
  for (const auto& r : d.may_decide) maybe += (maybe.empty() ? "`" : ", `") + r + "`";
  std::string value, why;
  if (c.set) {
    value = d.holds == "yes"     ? fmt::format("holds `{}`", c.member)
            : d.holds == "maybe" ? fmt::format("may hold `{}`", c.member)
                                 : fmt::format("does not hold `{}`", c.member);
    why = !rules.empty()   ? fmt::format("added by {}", rules)
          : !maybe.empty() ? fmt::format("{} may add it", maybe)
                           : "no rule adds it";
  } else {
    value = answer_text(d);
    if (d.conflict) {
      why = fmt::format("`{}` and `{}` disagree, neither overrides the other",
                        d.conflicting.size() > 0 ? d.conflicting[0] : "?",
                        d.conflicting.size() > 1 ? d.conflicting[1] : "?");
    } else if (!rules.empty()) {
      why = "decided by " + rules;
    } else {
      why = d.by_default ? "no rule decides: the default" : "no rule decides for sure";
    }
    if (!maybe.empty()) why += fmt::format("; {} may apply", maybe);
  }
  for (const auto& [rule, by] : d.set_aside) why += fmt::format("; `{}` set aside by `{}`", rule, by);
  return fmt::format("{} — {}", value, why);
}

std::string render_text(const DiffReport& r, const std::string& witness_dir) {
  const Keywords k = r.keywords;
  std::string out;
  const auto header = [](char mark, const char* word, const ProgramHeader& h) {
    return fmt::format("{}{}{} {} {}  (rulebase \"{}\" version \"{}\", hash {})\n", mark, mark, mark, word, h.label,
                       h.name, h.version, h.hash);
  };
  out += header('-', "OLD", r.old_header);
  out += header('+', "NEW", r.new_header);

  out += fmt::format("\nRules: {} added, {} removed, {} changed\n", r.added.size(), r.removed.size(), r.changed.size());
  for (const RuleText& rule : r.added) {
    out += '\n';
    text_rule(out, '+', rule, k);
  }
  for (const RuleText& rule : r.removed) {
    out += '\n';
    text_rule(out, '-', rule, k);
  }
  for (const RuleChange& c : r.changed) {
    out += fmt::format("\n~ {} {}{}\n", rule_word(k), c.name, c.where.empty() ? "" : fmt::format("  ({})", c.where));
    for (const ClauseChange& x : c.changes) text_change(out, x, clause_word(x.clause, k));
  }

  if (!r.vocabulary.empty()) {
    out += fmt::format("\nVocabulary: {} change{}\n", r.vocabulary.size(), r.vocabulary.size() == 1 ? "" : "s");
    for (const VocabularyChange& v : r.vocabulary) {
      const char mark = v.change == "added" ? '+' : v.change == "removed" ? '-' : '~';
      out += fmt::format("\n{} {} {}\n", mark, v.kind, v.name);
      for (const ClauseChange& x : v.details) {
        if (x.clause == "declaration") {
          out += fmt::format("    {}\n", x.old_text.empty() ? x.new_text : x.old_text);
        } else if (x.clause == "members") {
          if (!x.old_text.empty()) out += fmt::format("    members removed: {}\n", x.old_text);
          if (!x.new_text.empty()) out += fmt::format("    members added: {}\n", x.new_text);
        } else {
          text_change(out, x, x.clause.c_str());
        }
      }
    }
  }

  out += '\n';
  if (r.behaviour.empty()) {
    out += r.inconclusive.empty() ? "Behaviour: no case gets a different answer.\n"
                                  : "Behaviour: no difference found, but the search was not complete (see below).\n";
  } else {
    out +=
        fmt::format("Behaviour: {} change{} of answer, each with a witness case, from {} cause{}\n", r.behaviour.size(),
                    r.behaviour.size() == 1 ? "" : "s", r.causes.size(), r.causes.size() == 1 ? "" : "s");
  }
  for (std::size_t i = 0; i < r.behaviour.size(); ++i) {
    const BehaviourChange& c = r.behaviour[i];
    if (i == 0 || c.cause != r.behaviour[i - 1].cause) out += fmt::format("\nCause: {}\n", cause_text(r, c.cause));
    if (c.set && c.old_side.holds != "maybe" && c.new_side.holds != "maybe") {
      out += fmt::format("\n{}. {}: `{}` is added by {} only\n", i + 1, c.output, c.member,
                         c.member_added ? r.new_header.label : r.old_header.label);
    } else if (c.set) {
      const auto word = [](const std::string& h) {
        return h == "yes" ? "held" : h == "maybe" ? "maybe held" : "not held";
      };
      out += fmt::format("\n{}. {}: `{}` {} → {}\n", i + 1, c.output, c.member, word(c.old_side.holds),
                         word(c.new_side.holds));
    } else if (!c.proviso.empty()) {
      out += fmt::format("\n{}. {}: {}, provided \"{}\" by {} only\n", i + 1, c.output, answer_text(c.new_side, false),
                         c.proviso, c.proviso_added ? r.new_header.label : r.old_header.label);
    } else {
      out += fmt::format("\n{}. {}: {} → {}\n", i + 1, c.output, answer_text(c.old_side), answer_text(c.new_side));
    }
    out += "   case:\n";
    for (const smt::WitnessLine& l : c.witness.lines) {
      std::string unread;
      for (std::size_t p = 0; p < l.readable.size(); ++p) {
        if (!l.readable[p])
          unread += fmt::format("  (unknown to {})", p == 0 ? r.old_header.label : r.new_header.label);
      }
      out += fmt::format("     {} = {}{}\n", l.name, l.value, unread);
    }
    out += fmt::format("   OLD: {}\n", side_text(c.old_side, c));
    out += fmt::format("   NEW: {}\n", side_text(c.new_side, c));
    if (!witness_dir.empty()) out += fmt::format("   written to {}\n", (fs::path(witness_dir) / c.file_name).string());
  }
  if (!r.inconclusive.empty() || !r.truncated.empty() || !r.incomparable.empty()) out += '\n';
  for (const auto& o : r.inconclusive) {
    out += fmt::format("note: the solver gave up on `{}` within the time limit; raise `--timeout`\n", o);
  }
  for (const auto& o : r.truncated) out += fmt::format("note: `{}` changes in more ways than are shown\n", o);
  for (const auto& o : r.incomparable) {
    out += fmt::format("note: `{}` is a set in one version and a single value in the other: not compared\n", o);
  }
  return out;
}

// ----- JSON ----------------------------------------------------------------------------------------

nlohmann::ordered_json header_json(const ProgramHeader& h) {
  return {{"path", h.label}, {"name", h.name}, {"version", h.version}, {"hash", h.hash}};
}

nlohmann::ordered_json rule_json(const RuleText& r) {
  nlohmann::ordered_json clauses = nlohmann::ordered_json::object();
  for (const auto& [clause, text] : r.clauses) clauses[clause] = text;
  return {{"name", r.name}, {"where", r.where}, {"kind", r.warning ? "warning" : "rule"}, {"clauses", clauses}};
}

nlohmann::ordered_json change_json(const ClauseChange& c) {
  nlohmann::ordered_json j = {{"clause", c.clause}, {"old", c.old_text}, {"new", c.new_text}};
  if (c.clause == "when" || c.clause == "body") j["same_meaning"] = c.same_meaning;
  if (!c.items_removed.empty() || !c.items_added.empty()) {
    j["items_removed"] = c.items_removed;
    j["items_added"] = c.items_added;
  }
  return j;
}

nlohmann::ordered_json decision_json(const Decision& d) {
  nlohmann::ordered_json set_aside = nlohmann::ordered_json::array();
  for (const auto& [rule, by] : d.set_aside) set_aside.push_back({{"rule", rule}, {"by", by}});
  nlohmann::ordered_json j = {
      {"value", d.value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.value)},
      {"conflict", d.conflict},
      {"settled", d.settled},
      {"possible", d.possible},
      {"may_be_unknown", d.may_be_unknown}};
  if (!d.holds.empty()) j["holds"] = d.holds;
  j["default"] = d.by_default;
  j["decided_by"] = d.decided_by;
  j["may_decide"] = d.may_decide;
  j["set_aside"] = set_aside;
  j["conflicting"] = d.conflicting;
  j["provisos"] = d.provisos;
  return j;
}

nlohmann::ordered_json cause_json(const std::vector<CauseItem>& cause) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const CauseItem& item : cause) j.push_back({{"kind", item.kind}, {"name", item.name}, {"change", item.change}});
  return j;
}

nlohmann::ordered_json render_json(const DiffReport& r, const std::string& witness_dir) {
  nlohmann::ordered_json rules = {{"added", nlohmann::ordered_json::array()},
                                  {"removed", nlohmann::ordered_json::array()},
                                  {"changed", nlohmann::ordered_json::array()}};
  for (const auto& x : r.added) rules["added"].push_back(rule_json(x));
  for (const auto& x : r.removed) rules["removed"].push_back(rule_json(x));
  for (const auto& x : r.changed) {
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const auto& c : x.changes) changes.push_back(change_json(c));
    rules["changed"].push_back({{"name", x.name}, {"where", x.where}, {"changes", changes}});
  }
  nlohmann::ordered_json vocabulary = nlohmann::ordered_json::array();
  for (const auto& v : r.vocabulary) {
    nlohmann::ordered_json details = nlohmann::ordered_json::array();
    for (const auto& c : v.details) details.push_back(change_json(c));
    vocabulary.push_back({{"kind", v.kind}, {"name", v.name}, {"change", v.change}, {"details", details}});
  }
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const auto& c : r.behaviour) {
    nlohmann::ordered_json facts = nlohmann::ordered_json::object();
    nlohmann::ordered_json unknown_to_old = nlohmann::ordered_json::array(),
                           unknown_to_new = nlohmann::ordered_json::array();
    for (const auto& l : c.witness.lines) {
      facts[l.name] = l.value;
      if (!l.readable.at(0)) unknown_to_old.push_back(l.name);
      if (!l.readable.at(1)) unknown_to_new.push_back(l.name);
    }
    const char* kind = c.set                ? (c.member_added ? "member_added" : "member_removed")
                       : !c.proviso.empty() ? (c.proviso_added ? "proviso_added" : "proviso_removed")
                                            : "value";
    nlohmann::ordered_json j = {{"output", c.output}, {"kind", kind}};
    if (c.set) j["member"] = c.member;
    if (!c.proviso.empty()) j["proviso"] = c.proviso;
    j["cause"] = cause_json(c.cause);
    j["old"] = decision_json(c.old_side);
    j["new"] = decision_json(c.new_side);
    j["witness"] = {
        {"facts", facts},
        {"unknown_to_old", unknown_to_old},
        {"unknown_to_new", unknown_to_new},
        {"file", witness_dir.empty() ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json((fs::path(witness_dir) / c.file_name).string())},
        {"text", c.case_file}};
    changes.push_back(std::move(j));
  }
  nlohmann::ordered_json causes = nlohmann::ordered_json::array();
  for (const auto& [cause, members] : r.causes) {
    causes.push_back({{"cause", cause_json(cause)}, {"text", cause_text(r, cause)}, {"changes", members}});
  }
  return {{"old", header_json(r.old_header)},
          {"new", header_json(r.new_header)},
          {"rules", rules},
          {"vocabulary", vocabulary},
          {"behaviour",
           {{"differs", r.behaviour_differs()},
            {"complete", r.inconclusive.empty() && r.truncated.empty()},
            {"changes", changes},
            {"causes", causes},
            {"inconclusive", r.inconclusive},
            {"truncated", r.truncated},
            {"not_compared", r.incomparable}}}};
}

}  // namespace

std::int64_t stable_witness_day(const Program& old_program, const Program& new_program) {
  if (new_program.law_as_of) return *new_program.law_as_of;
  if (old_program.law_as_of) return *old_program.law_as_of;
  std::optional<std::int64_t> latest;
  for (const Program* p : {&old_program, &new_program}) {
    for (const RuleInfo& r : p->rules) {
      for (const auto& end : {r.valid_from, r.valid_until}) {
        if (end && (!latest || *end > *latest)) latest = end;
      }
    }
  }
  return latest ? *latest : *parse_date("2000-01-01");
}

int run_diff(const DiffCommandOptions& options, std::string_view embedded, Output& o) {
  std::optional<Keywords> old_keywords, new_keywords;
  const std::optional<Program> old_program = load_version(options.old_path, embedded, o, old_keywords);
  const std::optional<Program> new_program = load_version(options.new_path, embedded, o, new_keywords);
  if (!old_program || !new_program) return 1;

  DiffOptions d;
  d.keywords = new_keywords ? new_keywords : old_keywords;
  const auto label = [](const std::string& path) { return path == "-" ? std::string("(embedded rulebase)") : path; };
  const auto check = [](const std::string& path) {
    return path == "-" ? std::string("secretc check") : fmt::format("secretc check --rules {}", path);
  };
  d.old_label = label(options.old_path);
  d.new_label = label(options.new_path);
  d.old_check = check(options.old_path);
  d.new_check = check(options.new_path);
  d.timeout_ms = options.timeout_seconds * 1000U;
  d.today = options.date ? *options.date : stable_witness_day(*old_program, *new_program);
  auto result = diff_programs(*old_program, *new_program, d);
  if (auto* error = std::get_if<std::string>(&result)) {
    o.err += fmt::format("secretc: error: {}\n", *error);
    return 1;
  }
  const DiffReport& report = std::get<DiffReport>(result);

  if (!options.witness_dir.empty()) {
    std::error_code ec;
    // An earlier run's witnesses beside this run's would read as this run's: a folder must be new or empty.
    if (fs::is_directory(options.witness_dir, ec) && !fs::is_empty(options.witness_dir, ec) && !options.force) {
      o.err += fmt::format(
          "secretc: error: `{}` is not empty; name a new or empty folder for the witnesses, or add "
          "--force to write them among its files\n",
          options.witness_dir);
      return 2;
    }
    fs::create_directories(options.witness_dir, ec);
    if (ec) {
      o.err += fmt::format("secretc: error: cannot create `{}`: {}\n", options.witness_dir, ec.message());
      return 1;
    }
    for (const BehaviourChange& c : report.behaviour) {
      const std::string path = (fs::path(options.witness_dir) / c.file_name).string();
      if (const std::string error = write_file_atomically(path, c.case_file); !error.empty()) {
        o.err += fmt::format("secretc: error: {}\n", error);
        return 1;
      }
    }
  }

  if (options.format == "json") {
    o.out += render_json(report, options.witness_dir).dump(2) + "\n";
  } else {
    o.out += render_text(report, options.witness_dir);
  }
  // A search the solver could not finish may hide a difference: a guard must not pass on it.
  const bool differs = report.behaviour_differs() || !report.inconclusive.empty();
  return options.exit_code && differs ? kExitFound : 0;
}

}  // namespace secretc
