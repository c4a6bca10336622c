// `secretc lint FILE_OR_DIR...`: compiles the rulebase, asks analysis/lint what looks wrong, and prints
// it like the compiler's diagnostics (`file:line:col: warning: … [check]`) or as JSON.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/lint.hpp"
#include "cli/json_case.hpp"
#include "cli/maintainer_commands.hpp"
#include "compiler/compile.hpp"

namespace secretc {

namespace {

std::string render_text(const LintReport& report, const SourceSet& sources, bool show_ignored, RenderStyle style) {
  const TextLang lang = style.lang;
  const auto text = [&](const Message& m) { return message_text(m, lang); };
  const bool fr = lang == TextLang::French;
  std::string out;
  for (const LintFinding& f : report.findings) {
    if (f.justified && !show_ignored) continue;
    const std::string message = f.message_in(lang);
    const Diagnostic d{f.justified ? Severity::Note : Severity::Warning,
                       f.at,
                       fmt::format("{} [{}]", f.justified ? text(msg(Msg::LintJustified, message)) : message,
                                   lint_check_name(f.check)),
                       {},
                       {},
                       {}};
    out += render_diagnostic(d, sources, lang, style.severity);
    if (f.witness) {
      out += fmt::format("  {}\n", text(msg(Msg::LintWitness)));
      for (const smt::WitnessLine& l : f.witness->lines) out += fmt::format("    {} = {}\n", l.name, l.value);
    }
    for (const auto& [at, note] : f.notes) {
      const std::string file = at.file < sources.size() ? sources.name(at.file) : std::string("?");
      out += fmt::format("  note: {} ({}:{})\n", text(note), file, at.line);
    }
    if (f.justified) {
      out += fmt::format("  {}\n", text(msg(Msg::LintReasonGiven, f.reason)));
    } else if (const std::string hint = f.hint_in(lang); !hint.empty()) {
      out += fmt::format("  {}: {}\n", fr ? "conseil" : "hint", hint);
    }
  }
  for (const Message& q : report.inconclusive) out += fmt::format("note: {}\n", text(msg(Msg::LintGaveUp, text(q))));
  const std::size_t open = report.unjustified(), justified = report.findings.size() - open;
  if (open == 0) {
    out += text(justified == 0   ? msg(Msg::LintNoFinding)
                : justified == 1 ? msg(Msg::LintNoFindingOneJustified)
                                 : msg(Msg::LintNoFindingJustified, justified)) +
           "\n";
  } else {
    out += text(open == 1 ? msg(Msg::LintOneFinding) : msg(Msg::LintFindings, open));
    if (justified > 0)
      out += text(justified == 1 ? msg(Msg::LintOneMoreJustified) : msg(Msg::LintMoreJustified, justified));
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json render_json(const LintReport& report, const SourceSet& sources, TextLang lang) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const LintFinding& f : report.findings) {
    nlohmann::ordered_json j = {{"check", lint_check_name(f.check)},
                                {"kind", message_name(f.text.id)},
                                {"file", f.at.file < sources.size() ? sources.name(f.at.file) : ""},
                                {"line", f.at.line},
                                {"column", f.at.column},
                                {"message", f.message_in(lang)},
                                {"hint", f.hint_in(lang)},
                                {"names", f.rules}};
    if (f.witness) {
      nlohmann::ordered_json facts = nlohmann::ordered_json::object();
      for (const smt::WitnessLine& l : f.witness->lines) facts[l.name] = l.value;
      j["case"] = facts;
    }
    j["justified"] = f.justified;
    if (f.justified) j["reason"] = f.reason;
    findings.push_back(std::move(j));
  }
  nlohmann::ordered_json inconclusive = nlohmann::ordered_json::array();
  for (const Message& q : report.inconclusive) inconclusive.push_back(message_text(q, lang));
  return {{"findings", findings}, {"unjustified", report.unjustified()}, {"inconclusive", inconclusive}};
}

}  // namespace

int run_lint(const LintCommandOptions& options, Output& o) {
  Compilation c = compile_paths(options.paths);
  // The text in the reader's language (`--lang`, French by default); JSON in English, with each kind.
  const RenderStyle style = default_render_style();
  o.err += render_all(c.diags, c.sources);
  const bool json = options.format == "json";
  if (!c.program || !c.model) {
    if (json) {
      o.out +=
          nlohmann::ordered_json{{"diagnostics", diagnostic_list_json(c.diags, c.sources, TextLang::English)}}.dump(2) +
          "\n";
    }
    return 1;
  }
  LintOptions lint;
  lint.timeout_ms = options.timeout_seconds * 1000U;
  lint.today = today_days();
  const LintReport report = lint_rulebase(c, lint);
  if (!report.error.empty()) {
    o.err += fmt::format("secretc: error: {}\n", report.error);
    return 1;
  }
  if (json) {
    nlohmann::ordered_json j = render_json(report, c.sources, TextLang::English);
    j["diagnostics"] = diagnostic_list_json(c.diags, c.sources, TextLang::English);
    o.out += j.dump(2) + "\n";
  } else {
    o.out += render_text(report, c.sources, options.show_ignored, style);
  }
  return report.unjustified() > 0 && !options.exit_zero ? kExitFound : 0;
}

}  // namespace secretc
