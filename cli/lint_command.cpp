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

std::string render_text(const LintReport& report, const SourceSet& sources, bool show_ignored) {
  std::string out;
  for (const LintFinding& f : report.findings) {
    if (f.justified && !show_ignored) continue;
    const Diagnostic d{f.justified ? Severity::Note : Severity::Warning, f.at,
                       fmt::format("{}{} [{}]", f.justified ? "justified: " : "", f.message, lint_check_name(f.check)), {}, {}, {}};
    out += render_diagnostic(d, sources);
    if (f.witness) {
      out += "  a case where it happens:\n";
      for (const smt::WitnessLine& l : f.witness->lines) out += fmt::format("    {} = {}\n", l.name, l.value);
    }
    for (const auto& [at, text] : f.notes) {
      const std::string file = at.file < sources.size() ? sources.name(at.file) : std::string("?");
      out += fmt::format("  note: {} ({}:{})\n", text, file, at.line);
    }
    if (f.justified) {
      out += fmt::format("  reason given: {}\n", f.reason);
    } else if (!f.hint.empty()) {
      out += fmt::format("  hint: {}\n", f.hint);
    }
  }
  for (const std::string& q : report.inconclusive) {
    out += fmt::format("note: the solver gave up on {} within the time limit; raise `--timeout`\n", q);
  }
  const std::size_t open = report.unjustified(), justified = report.findings.size() - open;
  if (open == 0) {
    out += justified == 0 ? "no finding\n" : fmt::format("no finding ({} justified by `# lint: ignore`)\n", justified);
  } else {
    out += fmt::format("{} finding{}{}\n", open, open == 1 ? "" : "s",
                       justified == 0 ? "" : fmt::format(" ({} more justified by `# lint: ignore`)", justified));
  }
  return out;
}

nlohmann::ordered_json render_json(const LintReport& report, const SourceSet& sources) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const LintFinding& f : report.findings) {
    nlohmann::ordered_json j = {{"check", lint_check_name(f.check)},
                                {"file", f.at.file < sources.size() ? sources.name(f.at.file) : ""},
                                {"line", f.at.line},
                                {"column", f.at.column},
                                {"message", f.message},
                                {"hint", f.hint},
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
  return {{"findings", findings}, {"unjustified", report.unjustified()}, {"inconclusive", report.inconclusive}};
}

}  // namespace

int run_lint(const LintCommandOptions& options, Output& o) {
  Compilation c = compile_paths(options.paths);
  o.err += render_all(c.diags, c.sources);
  const bool json = options.format == "json";
  if (!c.program || !c.model) {
    if (json) {
      o.out += nlohmann::ordered_json{{"diagnostics", diagnostic_list_json(c.diags, c.sources, TextLang::English)}}.dump(2) + "\n";
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
    nlohmann::ordered_json j = render_json(report, c.sources);
    j["diagnostics"] = diagnostic_list_json(c.diags, c.sources, TextLang::English);
    o.out += j.dump(2) + "\n";
  } else {
    o.out += render_text(report, c.sources, options.show_ignored);
  }
  return report.unjustified() > 0 && !options.exit_zero ? kExitFound : 0;
}

}  // namespace secretc
