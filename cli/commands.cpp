#include "cli/commands.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/inputs.hpp"
#include "cli/report.hpp"
#include "cli/vocab_command.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "compiler/test_runner.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/disasm.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace fs = std::filesystem;

std::int64_t today_days() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return now.time_since_epoch().count();
}

std::string write_file_atomically(const std::string& path, std::string_view bytes) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const fs::path temp = dir / fmt::format(".{}.tmp.{}", target.filename().string(), ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return fmt::format("cannot write in `{}`", dir.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      fs::remove(temp, ignored);
      return fmt::format("cannot write `{}`", path);
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return fmt::format("cannot write `{}`: {}", path, ec.message());
  }
  return {};
}

int run_check(const CheckOptions& options, std::string_view embedded, Output& o) {
  const std::optional<Program> program = load_rules(options.rules, embedded, o.err);
  if (!program) return 1;
  const std::int64_t today = options.date.value_or(today_days());

  // Read and bind every case first: with any error, no verdict at all.
  SourceSet sources;
  Diagnostics diags;
  std::vector<BoundCase> bound;
  for (const std::string& path : options.cases) {
    std::string text;
    Message error;
    // `-`: the case comes on standard input (once, even if named twice).
    const bool from_stdin = path == "-";
    if (!(from_stdin ? read_stdin(text, kMaxCaseFileBytes, error) : read_file(path, text, kMaxCaseFileBytes, error))) {
      diags.error({}, error);
      continue;
    }
    const std::uint32_t file = sources.add(from_stdin ? "<stdin>" : path, std::move(text));
    const std::size_t before = diags.error_count();
    const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
    if (diags.error_count() != before) continue;
    bound.push_back(bind_case(*program, entries, today, diags));
  }
  // Case files are the practitioner's: their messages come in the reader's language.
  const ReportLang lang = options.lang == "en"   ? ReportLang::English
                          : options.lang == "fr" ? ReportLang::French
                                                 : program->written_in();
  o.err += render_all(diags, sources, lang);
  if (diags.has_errors()) return 1;

  Machine machine(*program);
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  bool conflict = false;
  for (std::size_t i = 0; i < bound.size(); ++i) {
    const CaseAnalysis analysis = analyse_case(machine, bound[i]);
    const Result& result = analysis.result;
    const CaseReport report{options.cases[i], &*program, &bound[i], &result, &analysis.dependences, &analysis.near_misses};
    conflict = conflict || !result.conflicts.empty();
    for (const Conflict& c : result.conflicts) {
      const Message m = msg(Msg::CaseConflict, program->rules[c.first].name, program->rules[c.second].name,
                            program->outputs[c.output].name);
      o.err += fmt::format("{}: {}: {}\n", options.cases[i], lang == TextLang::French ? "erreur" : "error", message_text(m, lang));
    }
    if (options.format == "json") {
      all.push_back(render_json(report, lang));
    } else {
      if (i > 0) o.out += "\n" + std::string(72, '-') + "\n\n";
      o.out += render_text(report, lang);
    }
  }
  if (options.format == "json") o.out += (all.size() == 1 ? all[0] : all).dump(2) + "\n";
  return conflict ? 1 : 0;
}

int run_vocab(const std::vector<std::string>& rules, const std::string& format, const std::string& lang,
              std::string_view embedded, Output& o) {
  const std::optional<Program> program = load_rules(rules, embedded, o.err);
  if (!program) return 1;
  const ReportLang l = lang == "en" ? ReportLang::English : ReportLang::French;
  o.out += format == "json" ? vocabulary_json(*program, l).dump(2) + "\n" : vocabulary_text(*program, l);
  return 0;
}

int run_compile(const std::vector<std::string>& sources, const std::string& output_path, Output& o) {
  Compilation c = compile_paths(sources);
  o.err += render_all(c.diags, c.sources);
  if (!c.program) return 1;
  const std::string bytes = serialize_program(*c.program);
  if (const std::string error = write_file_atomically(output_path, bytes); !error.empty()) {
    o.err += fmt::format("secretc: error: {}\n", error);
    return 1;
  }
  return 0;
}

int run_disasm(const std::string& path, std::string_view embedded, Output& o) {
  std::vector<std::string> rules;
  if (path != "-") rules.push_back(path);  // `-`: the embedded rulebase
  const std::optional<Program> program = load_rules(rules, embedded, o.err);
  if (!program) return 1;
  o.out += disassemble(*program);
  return 0;
}

int run_test(const std::vector<std::string>& paths, bool verbose, bool require_coverage, Output& o) {
  Compilation c = compile_paths(paths);
  if (!c.program) {
    o.err += render_all(c.diags, c.sources);
    return 1;
  }
  Diagnostics diags;
  const TestRun run = run_tests(*c.model, *c.program, today_days(), diags);
  for (const TestOutcome& t : run.outcomes) {
    const std::string where = t.at.file < c.sources.size() ? fmt::format("{}:{}", c.sources.name(t.at.file), t.at.line) : "";
    if (!t.passed) {
      o.out += fmt::format("FAIL {} \"{}\"\n{}", where, t.name, t.failure);
    } else if (verbose) {
      o.out += fmt::format("ok   {} \"{}\"\n", where, t.name);
    }
  }
  o.err += render_all(c.diags, c.sources);
  o.err += render_all(diags, c.sources);
  std::size_t firing = 0, not_firing = 0;
  std::string uncovered;
  for (std::size_t r = 0; r < c.program->rules.size(); ++r) {
    const RuleInfo& rule = c.program->rules[r];
    firing += run.coverage.shown_firing[r] ? 1 : 0;
    not_firing += run.coverage.shown_not_firing[r] ? 1 : 0;
    if (!run.coverage.shown_firing[r] || !run.coverage.shown_not_firing[r]) {
      uncovered += fmt::format("{}:{}: {}: no test shows the rule `{}` {}\n", rule.source_file, rule.source_line,
                               require_coverage ? "error" : "warning", rule.name,
                               !run.coverage.shown_firing[r] ? (!run.coverage.shown_not_firing[r] ? "firing or not firing" : "firing")
                                                             : "not firing");
    }
  }
  if (require_coverage || verbose) o.err += uncovered;
  const std::size_t rules = c.program->rules.size();
  o.out += fmt::format("coverage: {} of {} rules shown firing, {} of {} shown not firing\n", firing, rules, not_firing, rules);
  o.out += fmt::format("{} passed, {} failed\n", run.passed, run.failed);
  const bool covered = firing == rules && not_firing == rules;
  return run.failed == 0 && (covered || !require_coverage) ? 0 : 1;
}

}  // namespace secretc
