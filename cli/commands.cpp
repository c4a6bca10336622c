#include "cli/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <variant>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/inputs.hpp"
#include "cli/json_case.hpp"
#include "cli/report.hpp"
#include "cli/vocab_command.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "compiler/test_runner.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/disasm.hpp"
#include "runtime/explain.hpp"
#include "runtime/utf8.hpp"
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

// `{"diagnostics": […]}`, what `--format json` writes when the input has errors.
std::string diagnostics_document(const Diagnostics& diags, const SourceSet& sources, TextLang lang) {
  return nlohmann::ordered_json{{"diagnostics", diagnostic_list_json(diags, sources, lang)}}.dump(2) + "\n";
}

int run_check(const CheckOptions& options, std::string_view embedded, Output& o) {
  const bool json = options.format == "json";
  LoadDiagnostics rule_diags;
  const std::optional<Program> program =
      load_rules(options.rules, embedded, o.err, std::nullopt, nullptr, json ? &rule_diags : nullptr);
  if (!program) {
    if (json) o.out += diagnostics_document(rule_diags.diags, rule_diags.sources, TextLang::English);
    return 1;
  }
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
  if (diags.has_errors()) {
    if (json) o.out += diagnostics_document(diags, sources, lang);
    return 1;
  }

  Machine machine(*program);
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  bool conflict = false;
  for (std::size_t i = 0; i < bound.size(); ++i) {
    const CaseAnalysis analysis = analyse_case(machine, bound[i]);
    const Result& result = analysis.result;
    const CaseReport report{options.cases[i],     &*program, &bound[i], &result, &analysis.dependences,
                            &analysis.near_misses};
    conflict = conflict || !result.conflicts.empty();
    for (const Conflict& c : result.conflicts) {
      const Message m = msg(Msg::CaseConflict, program->rules[c.first].name, program->rules[c.second].name,
                            program->outputs[c.output].name);
      o.err += render_unlocated(m, lang, options.cases[i]);
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

int run_compile(const std::vector<std::string>& sources, const std::string& output_path, const std::string& format,
                Output& o) {
  Compilation c = compile_paths(sources);
  o.err += render_all(c.diags, c.sources);
  int code = 0;
  if (!c.program) {
    code = 1;
  } else if (const std::string error = write_file_atomically(output_path, c.bytecode); !error.empty()) {
    Diagnostics written;
    written.error({}, error);
    o.err += render_all(written, c.sources);
    for (const Diagnostic& d : written.all()) c.diags.add(d);
    code = 1;
  }
  if (format == "json") o.out += diagnostics_document(c.diags, c.sources, TextLang::English);
  return code;
}

int run_disasm(const std::string& path, std::string_view embedded, Output& o) {
  std::vector<std::string> rules;
  if (path != "-") rules.push_back(path);  // `-`: the embedded rulebase
  const std::optional<Program> program = load_rules(rules, embedded, o.err);
  if (!program) return 1;
  o.out += disassemble(*program);
  return 0;
}

namespace {

// What `secretc test` reads for its paths: the rule files to compile together, and the ones whose tests run.
struct TestFiles {
  std::vector<std::string> files;  // as named in diagnostics: a folder's files as `secretc compile` names them
  std::set<std::string> chosen;    // the files of `files` whose tests run
};

// A folder stands for its .rules files and all their tests; a file for the .rules files of its folder (itself
// among them, whatever its name ends with), but its own tests only. Each file is read once however often it
// is named (by a folder, by itself, by another spelling). A path that does not exist is kept: compiling
// reports it.
TestFiles test_files(const std::vector<std::string>& paths, Diagnostics& diags) {
  TestFiles t;
  std::map<std::string, std::string> spelled;  // canonical path → the name used
  const auto add = [&](const std::string& file, bool chosen) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(file, ec).string();
    if (ec) key = file;
    const auto [at, fresh] = spelled.emplace(key, file);
    if (fresh) t.files.push_back(file);
    if (chosen) t.chosen.insert(at->second);
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const std::string& f : rule_files({path}, diags)) add(f, true);
    } else if (fs::is_regular_file(path, ec)) {
      const fs::path parent = fs::path(path).parent_path();
      std::vector<std::string> folder{path};
      for (const auto& entry : fs::directory_iterator(parent.empty() ? fs::path(".") : parent, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".rules") continue;
        folder.push_back(parent.empty() ? entry.path().filename().string()
                                        : (parent / entry.path().filename()).string());
      }
      std::sort(folder.begin(), folder.end());
      for (const std::string& f : folder) add(f, false);
      add(path, true);
    } else {
      add(path, false);
    }
  }
  // The files of a rulebase are read in name order, as `secretc compile` reads a folder.
  std::stable_sort(t.files.begin(), t.files.end());
  return t;
}

}  // namespace

int run_test(const TestOptions& options, Output& o) {
  const bool json = options.format == "json";
  const TextLang lang = options.lang == "en" ? TextLang::English : TextLang::French;
  // The severity words as the other commands write them for rule files (default_render_style).
  const SeverityWords words = default_render_style().severity;
  Diagnostics found;
  const TestFiles files = test_files(options.paths, found);
  Compilation c;
  if (found.has_errors()) {
    for (const Diagnostic& d : found.all()) c.diags.add(d);
  } else {
    c = compile_paths(files.files);
  }
  if (!c.program) {
    o.err += render_all(c.diags, c.sources, lang, words);
    if (json) o.out += diagnostics_document(c.diags, c.sources, lang);
    return 1;
  }
  TestSelection selection;
  for (std::uint32_t f = 0; f < c.sources.size(); ++f)
    selection.files.push_back(files.chosen.count(c.sources.name(f)) > 0);
  if (options.filter) selection.filter = *options.filter;
  Diagnostics diags;
  const TestRun run = run_tests(*c.model, *c.program, today_days(), diags, lang, selection);
  if (options.filter && run.outcomes.empty()) {
    // A filter that keeps no test is a mistake in the command, not a success with nothing checked.
    Diagnostics usage;
    usage.error({}, msg(Msg::TestFilterMatchesNothing, *options.filter), msg(Msg::TestFilterMatchesNothingHint));
    o.err += render_all(c.diags, c.sources, lang, words);
    o.err += render_all(usage, c.sources, lang, words);
    if (json) {
      for (const Diagnostic& d : usage.all()) c.diags.add(d);
      o.out += diagnostics_document(c.diags, c.sources, lang);
    }
    return 2;
  }
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const TestOutcome& t : run.outcomes) {
    const std::string where =
        t.at.file < c.sources.size() ? fmt::format("{}:{}", c.sources.name(t.at.file), t.at.line) : "";
    if (json) {
      tests.push_back(
          {{"name", utf8_scrubbed(t.name)},
           {"file", t.at.file < c.sources.size() ? nlohmann::ordered_json(c.sources.name(t.at.file)) : nullptr},
           {"line", t.at.line},
           {"passed", t.passed},
           {"failure", t.passed ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(utf8_scrubbed(t.failure))}});
    } else if (!t.passed) {
      o.out += message_text(msg(Msg::TestFailedLine, where, t.name), lang) + "\n" + t.failure;
    } else if (options.verbose) {
      o.out += message_text(msg(Msg::TestPassedLine, where, t.name), lang) + "\n";
    }
  }
  o.err += render_all(c.diags, c.sources, lang, words);
  o.err += render_all(diags, c.sources, lang, words);
  // The rules of the files whose tests ran that these tests do not show firing, or not firing: diagnostics
  // about a whole line (the rule's first).
  std::size_t rules = 0, firing = 0, not_firing = 0;
  Diagnostics uncovered;
  for (std::size_t r = 0; r < c.program->rules.size(); ++r) {
    const RuleInfo& rule = c.program->rules[r];
    if (files.chosen.count(rule.source_file) == 0) continue;
    ++rules;
    firing += run.coverage.shown_firing[r] ? 1 : 0;
    not_firing += run.coverage.shown_not_firing[r] ? 1 : 0;
    if (run.coverage.shown_firing[r] && run.coverage.shown_not_firing[r]) continue;
    std::uint32_t file = 0;
    while (file < c.sources.size() && c.sources.name(file) != rule.source_file) ++file;
    if (file == c.sources.size()) file = c.sources.add(rule.source_file, "");
    const Msg kind = !run.coverage.shown_firing[r] ? (!run.coverage.shown_not_firing[r] ? Msg::CoverageNotShownEither
                                                                                        : Msg::CoverageNotShownFiring)
                                                   : Msg::CoverageNotShownNotFiring;
    uncovered.add_message(options.require_coverage ? Severity::Error : Severity::Warning, {file, rule.source_line, 0},
                          msg(kind, rule.name), {});
  }
  // With a filter, the few tests run leave most rules unshown: -v does not list them all.
  if (options.require_coverage || (options.verbose && !options.filter)) {
    for (const Diagnostic& d : uncovered.all()) o.err += render_diagnostic(d, c.sources, lang, words);
  }
  if (json) {
    for (const Diagnostic& d : diags.all()) c.diags.add(d);
    nlohmann::ordered_json all = diagnostic_list_json(c.diags, c.sources, lang);
    for (const Diagnostic& d : uncovered.all()) all.push_back(diagnostic_json(d, c.sources, lang));
    o.out += nlohmann::ordered_json{{"tests", tests},
                                    {"passed", run.passed},
                                    {"failed", run.failed},
                                    {"filtered_out", run.filtered_out},
                                    {"coverage",
                                     {{"rules", rules}, {"shown_firing", firing}, {"shown_not_firing", not_firing}}},
                                    {"diagnostics", all}}
                 .dump(2) +
             "\n";
  } else {
    o.out += message_text(msg(Msg::TestCoverageSummary, firing, rules, not_firing), lang) + "\n";
    o.out += message_text(options.filter ? msg(Msg::TestSummaryFiltered, run.passed, run.failed, run.filtered_out)
                                         : msg(Msg::TestSummary, run.passed, run.failed),
                          lang) +
             "\n";
  }
  const bool covered = firing == rules && not_firing == rules;
  return run.failed == 0 && (covered || !options.require_coverage) ? 0 : 1;
}

}  // namespace secretc
