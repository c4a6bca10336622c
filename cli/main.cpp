// secretc: the command line. Parses arguments and prints; every command is in cli/commands.cpp.
// Built twice (CMakeLists.txt): `secretc` runs every command but `serve`, `diff`, `lint` and `lsp`, for which it
// executes `secretc-tools` (this file with SECRETC_WITH_TOOLS, every part linked), so that the commands most
// run start without loading cpp-httplib, OpenSSL and Z3.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include "cli/ask_command.hpp"
#include "cli/batch_command.hpp"
#include "cli/commands.hpp"
#include "cli/doc_command.hpp"
#include "cli/fmt_command.hpp"
#include "cli/lsp_command.hpp"
#include "cli/maintainer_commands.hpp"
#include "cli/serve_command.hpp"
#include "runtime/value.hpp"

namespace secretc {
std::string_view embedded_rulebase();

namespace {
// The word of `words` closest to `word` by edit distance, if close enough to be a typo.
std::string closest_word(std::string_view word, const std::vector<std::string>& words) {
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& w : words) {
    std::vector<std::size_t> row(w.size() + 1);
    for (std::size_t j = 0; j <= w.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= w.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == w[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    if (row[w.size()] < best_distance) {
      best_distance = row[w.size()];
      best = w;
    }
  }
  return best;
}

#ifndef SECRETC_WITH_TOOLS
// Replaces this process by `secretc-tools` with the same arguments: beside this binary (a build tree), or
// where `cmake --install` puts it (SECRETC_TOOLS_FROM_BIN, relative to the binary's folder). Returns only
// when it could not: exit code 2, with what was looked for.
int run_in_tools(char** argv, std::string_view command) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> candidates;
  if (!ec) {
    candidates.push_back(self.parent_path() / "secretc-tools");
    candidates.push_back((self.parent_path() / SECRETC_TOOLS_FROM_BIN).lexically_normal());
  }
  int error = ENOENT;
  for (const auto& candidate : candidates) {
    ::execv(candidate.c_str(), argv);
    error = errno;
    if (error != ENOENT) break;
  }
  std::vector<std::string> tried;
  for (const auto& candidate : candidates) tried.push_back(candidate.string());
  fmt::print(stderr,
             "secretc: error: `secretc {}` is run by `secretc-tools`, which could not be started ({}); looked for {}\n",
             command, std::strerror(error),
             tried.empty() ? std::string("nothing: this binary's own path is unknown")
                           : fmt::format("{}", fmt::join(tried, " and ")));
  fmt::print(stderr, "install secretc whole (`cmake --install`) or keep `secretc-tools` beside `secretc`\n");
  return 2;
}
#endif
}  // namespace
}  // namespace secretc

int main(int argc, char** argv) {
  using namespace secretc;
  CLI::App app{"secretc — professional secrecy (secret professionnel) rules: compile, check a case, test"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "secretc 0.1.0");

  // Each command's options are set up only when that command is the one run: CLI11 takes a tenth of a
  // millisecond to set them all up, which would be most of `secretc --version`'s own time. The commands
  // themselves are always there, for `--help` and for a mistyped command's suggestion.
  std::string_view wanted;
  for (int i = 1; i < argc && wanted.empty(); ++i) {
    if (argv[i][0] != '-') wanted = argv[i];
  }
  const auto wants = [&](const CLI::App* cmd) { return cmd->get_name() == wanted; };
  // One value per `--rules` (repeat it for several): the case files after it are not rule files.
  const auto rules_option = [](CLI::App* cmd, std::vector<std::string>& rules) {
    cmd->add_option("--rules", rules, "Rule files, folders or one .secbc (default: the embedded Belgian rulebase)")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->delimiter(',');
  };

  CheckOptions check;
  std::string date_text;
  bool jsonl = false, summary = false, why_not = false;
  unsigned jobs = 0;
  auto* check_cmd =
      app.add_subcommand("check", "Tell, for a case file, whether the secret must be kept, may or must be lifted");
  if (wants(check_cmd)) {
    rules_option(check_cmd, check.rules);
    check_cmd->add_option("--format", check.format, "text or json")->check(CLI::IsMember({"text", "json"}));
    check_cmd
        ->add_option("--lang", check.lang,
                     "Language of the report and its messages, fr or en (default: the rulebase's own; French for the "
                     "embedded one)")
        ->check(CLI::IsMember({"fr", "en"}));
    check_cmd->add_option(
        "--date", date_text,
        "The date of the situation when the case does not give `cas.date` (YYYY-MM-DD; default: today)");
    check_cmd->add_option("cases", check.cases,
                          "Case files (.fact); - reads one from standard input. With --jsonl: JSON Lines files, - (the "
                          "default), case files and folders of case files");
    check_cmd->add_flag(
        "--jsonl", jsonl,
        "Many cases: JSON Lines in (one case a line, `{\"id\": …, \"fact\": value, …}`), one JSON answer a line "
        "out, in the input's order");
    check_cmd->add_option("-j,--jobs", jobs, "With --jsonl: worker threads (default: one per core)")
        ->check(CLI::Range(1U, 256U));
    check_cmd->add_flag("--summary", summary, "With --jsonl: the counts by verdict on standard error at the end");
    check_cmd->add_flag("--why-not", why_not,
                        "With --jsonl: also look for the exceptions that came close (`why_not`, as check --format json "
                        "gives it; far slower)");
  }

  std::vector<std::string> vocab_rules;
  std::string vocab_format = "text", vocab_lang = "fr";
  auto* vocab_cmd = app.add_subcommand(
      "vocab", "List the words a case file may use: facts, their questions and allowed answers, outputs");
  if (wants(vocab_cmd)) {
    rules_option(vocab_cmd, vocab_rules);
    vocab_cmd->add_option("--format", vocab_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    vocab_cmd->add_option("--lang", vocab_lang, "fr or en")->check(CLI::IsMember({"fr", "en"}));
  }

  AskOptions ask;
  auto* ask_cmd =
      app.add_subcommand("ask", "Answer a case by an interview: one question at a time, the most decisive first");
  if (wants(ask_cmd)) {
    rules_option(ask_cmd, ask.rules);
    ask_cmd
        ->add_option("--lang", ask.lang,
                     "Language of the interview and the report: fr or en (default: the rulebase's own)")
        ->check(CLI::IsMember({"fr", "en"}));
    ask_cmd->add_option("-o,--output", ask.output, "Save the case file here at the end, without asking");
    ask_cmd->add_option("case", ask.case_path, "A partial case file (.fact) to start from");
  }

  ServeOptions serve;
  auto* serve_cmd =
      app.add_subcommand("serve", "Serve a page in the browser (on 127.0.0.1 only) to answer a case by filling a form");
  if (wants(serve_cmd)) {
    serve_cmd->add_option("--port", serve.port, "The port to listen on (default 0: a free one, printed)")
        ->check(CLI::Range(0, 65535));
    rules_option(serve_cmd, serve.rules);
    serve_cmd->add_option("--lang", serve.lang, "Language of the page: fr or en")->check(CLI::IsMember({"fr", "en"}));
  }

  std::vector<std::string> compile_sources;
  std::string compile_output, compile_format = "text";
  auto* compile_cmd = app.add_subcommand("compile", "Compile rule files to bytecode (.secbc)");
  if (wants(compile_cmd)) {
    compile_cmd->add_option("sources", compile_sources, "Rule files or folders")->required();
    compile_cmd->add_option("-o,--output", compile_output, "The .secbc file to write")->required();
    compile_cmd->add_option("--format", compile_format, "text or json (the diagnostics, also on standard output)")
        ->check(CLI::IsMember({"text", "json"}));
  }

  std::string disasm_path;
  auto* disasm_cmd = app.add_subcommand("disasm", "Print a compiled rulebase readably");
  if (wants(disasm_cmd)) {
    disasm_cmd->add_option("file", disasm_path, "A .secbc file, rule sources, or - for the embedded rulebase")
        ->required();
  }

  TestOptions test;
  std::string test_filter;
  auto* test_cmd = app.add_subcommand("test", "Run the `test` blocks of rule files");
  if (wants(test_cmd)) {
    test_cmd
        ->add_option("paths", test.paths,
                     "Rule folders (all their tests) or rule files (read with the rest of their folder; only their "
                     "own tests run)")
        ->required();
    test_cmd->add_flag("-v,--verbose", test.verbose,
                       "List the tests that pass too, and (without --filter) the rules no test shows");
    test_cmd->add_option("--format", test.format, "text or json (the tests, the counts and the diagnostics)")
        ->check(CLI::IsMember({"text", "json"}));
    test_cmd->add_flag(
        "--require-coverage", test.require_coverage,
        "Fail unless every rule of the files named has a test showing it fire and one showing it not fire");
    test_cmd->add_option("--filter", test_filter,
                         "Run only the tests whose name contains this text (capitals or not, accents as written)");
    test_cmd
        ->add_option("--lang", test.lang,
                     "Language of the report, the failures and the diagnostics: fr (default) or en")
        ->check(CLI::IsMember({"fr", "en"}));
  }

  std::vector<std::string> fmt_paths;
  bool fmt_check = false;
  auto* fmt_cmd = app.add_subcommand("fmt", "Rewrite rule files in the canonical layout, comments kept");
  if (wants(fmt_cmd)) {
    fmt_cmd->add_option("files", fmt_paths, "Rule files or folders")->required();
    fmt_cmd->add_flag("--check", fmt_check,
                      "Write nothing; fail and show what would change if a file is not formatted");
  }

  DiffCommandOptions diff;
  std::string diff_date;
  auto* diff_cmd = app.add_subcommand(
      "diff", "Show what a new version of a rulebase changes: its rules, and which cases get another answer");
  if (wants(diff_cmd)) {
    diff_cmd
        ->add_option("old", diff.old_path,
                     "The old version: rule files' folder, a rule file, a .secbc, or - (embedded)")
        ->required();
    diff_cmd
        ->add_option("new", diff.new_path,
                     "The new version: rule files' folder, a rule file, a .secbc, or - (embedded)")
        ->required();
    diff_cmd->add_option("--format", diff.format, "text or json")->check(CLI::IsMember({"text", "json"}));
    diff_cmd->add_flag("--exit-code", diff.exit_code,
                       "Exit with 3 when some case gets another answer (as `git diff --exit-code`)");
    diff_cmd->add_option("--witness", diff.witness_dir,
                         "Write each witness case to this folder (new or empty) as a runnable .fact file");
    diff_cmd->add_flag("--force", diff.force, "With --witness: write into a folder that is not empty");
    diff_cmd->add_option("--date", diff_date,
                         "The day witnesses are dated when the change allows it (YYYY-MM-DD; default: the rulebase's "
                         "`à jour au`, else its latest period's day: never today, so that the output is stable)");
    diff_cmd->add_option("--timeout", diff.timeout_seconds, "Seconds the solver may spend on one question (default 60)")
        ->check(CLI::Range(1U, 86400U));
  }

  LintCommandOptions lint;
  auto* lint_cmd = app.add_subcommand("lint",
                                      "Find rules that can conflict, never fire or are always overridden, unused facts "
                                      "and definitions, missing citations");
  if (wants(lint_cmd)) {
    lint_cmd->add_option("paths", lint.paths, "Rule files or folders")->required();
    lint_cmd->add_option("--format", lint.format, "text or json")->check(CLI::IsMember({"text", "json"}));
    lint_cmd->add_flag("--show-ignored", lint.show_ignored,
                       "Also list the findings a `# lint: ignore` comment justifies");
    lint_cmd->add_flag("--exit-zero", lint.exit_zero, "Exit 0 even when there are findings");
    lint_cmd->add_option("--timeout", lint.timeout_seconds, "Seconds the solver may spend on one question (default 60)")
        ->check(CLI::Range(1U, 86400U));
  }

  DocOptions doc;
  auto* doc_cmd = app.add_subcommand("doc",
                                     "Write the rulebase as a static website, in French: a page per rule, per fact, "
                                     "per definition, an index and a search box");
  if (wants(doc_cmd)) {
    rules_option(doc_cmd, doc.rules);
    doc_cmd
        ->add_option("--examples", doc.examples,
                     "Case files or folders of them: each rule's page lists the examples it decides")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    doc_cmd->add_option("-o,--output", doc.output, "The folder to write (new, empty, or written by secretc doc before)")
        ->required();
  }

  // The language of rule files' diagnostics: French, the jurists', unless `--lang en`. The severity words
  // (`error:`, `warning:`, `note:`) stay English, as editors and scripts look for them (README, "The
  // language of diagnostics").
  std::string rules_lang = "fr";
  // (`test` has its own, which also sets the language of its report.)
  for (CLI::App* cmd : {compile_cmd, fmt_cmd, lint_cmd, disasm_cmd, diff_cmd, doc_cmd}) {
    if (!wants(cmd)) continue;
    cmd->add_option("--lang", rules_lang, "Language of the rule files' diagnostics: fr (the default) or en")
        ->check(CLI::IsMember({"fr", "en"}));
  }

  auto* lsp_cmd = app.add_subcommand("lsp",
                                     "Serve an editor (Language Server Protocol on standard input and output): "
                                     "diagnostics, hover, definitions, completion, formatting of rule files");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // An unknown word where a command is expected: say which command was meant.
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands(nullptr)) names.push_back(sub->get_name());
      const std::string close = closest_word(argv[1], names);
      bool known = false;
      for (const auto& n : names) known = known || n == argv[1];
      if (!known) {
        std::fputs(render_unlocated(close.empty() ? msg(Msg::NotACommand, argv[1])
                                                  : msg(Msg::NotACommandDidYouMean, argv[1], close))
                       .c_str(),
                   stderr);
        fmt::print(stderr, "the commands are: {}; `secretc --help` describes them\n", fmt::join(names, ", "));
        return 2;
      }
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  // Commands with a `--lang` of their own (the report's, the page's) show rule files' diagnostics in it too.
  const bool english = rules_lang == "en" || (*test_cmd && test.lang == "en") || (*check_cmd && check.lang == "en") ||
                       (*vocab_cmd && vocab_lang == "en") || (*ask_cmd && ask.lang == "en") ||
                       (*serve_cmd && serve.lang == "en");
  set_default_render_style({english ? TextLang::English : TextLang::French, SeverityWords::English});

  Output o;
  int code = 0;
  if (*check_cmd) {
    if (!date_text.empty()) {
      const auto days = parse_date(date_text);
      if (!days) {
        std::fputs(render_unlocated(msg(Msg::DateOptionInvalid, date_text)).c_str(), stderr);
        return 2;
      }
      check.date = *days;
    }
    if (jsonl) {
      if (check_cmd->count("--format") > 0 && check.format != "json") {
        std::fputs(render_unlocated(msg(Msg::JsonlWithFormat, check.format)).c_str(), stderr);
        return 2;
      }
      BatchOptions batch{check, jobs, summary, why_not, ::isatty(STDERR_FILENO) != 0};
      return run_check_jsonl(batch, embedded_rulebase(), stdout, stderr);
    }
    if (jobs != 0 || summary || why_not) {
      std::fputs(render_unlocated(msg(Msg::OptionsNeedJsonl)).c_str(), stderr);
      return 2;
    }
    if (check.cases.empty()) {
      std::fputs(render_unlocated(msg(Msg::NoCaseFile)).c_str(), stderr);
      return 2;
    }
    code = run_check(check, embedded_rulebase(), o);
  } else if (*ask_cmd) {
    return run_ask_on_standard_streams(ask, embedded_rulebase());
  } else if (*vocab_cmd) {
    code = run_vocab(vocab_rules, vocab_format, vocab_lang, embedded_rulebase(), o);
  } else if (*serve_cmd) {
#ifdef SECRETC_WITH_TOOLS
    code = run_serve(serve, embedded_rulebase(), o);
#else
    return run_in_tools(argv, "serve");
#endif
  } else if (*compile_cmd) {
    code = run_compile(compile_sources, compile_output, compile_format, o);
  } else if (*disasm_cmd) {
    code = run_disasm(disasm_path, embedded_rulebase(), o);
  } else if (*test_cmd) {
    if (test_cmd->count("--filter") > 0) test.filter = test_filter;
    code = run_test(test, o);
  } else if (*fmt_cmd) {
    code = run_fmt(fmt_paths, fmt_check, o);
  } else if (*diff_cmd) {
    if (!diff_date.empty()) {
      diff.date = parse_date(diff_date);
      if (!diff.date) {
        fmt::print(stderr, "secretc: error: `--date {}` is not a valid date; write YYYY-MM-DD\n", diff_date);
        return 2;
      }
    }
    if (diff.force && diff.witness_dir.empty()) {
      fmt::print(stderr, "secretc: error: --force goes with --witness\n");
      return 2;
    }
#ifdef SECRETC_WITH_TOOLS
    code = run_diff(diff, embedded_rulebase(), o);
#else
    return run_in_tools(argv, "diff");
#endif
  } else if (*doc_cmd) {
    code = run_doc(doc, embedded_rulebase(), o);
  } else if (*lsp_cmd) {
#ifdef SECRETC_WITH_TOOLS
    return run_lsp(std::cin, std::cout, stderr);
#else
    return run_in_tools(argv, "lsp");
#endif
  } else if (*lint_cmd) {
#ifdef SECRETC_WITH_TOOLS
    code = run_lint(lint, o);
#else
    return run_in_tools(argv, "lint");
#endif
  }
  std::fputs(o.err.c_str(), stderr);
  std::fputs(o.out.c_str(), stdout);
  return code;
}
