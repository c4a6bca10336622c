// secretc: the command line. Parses arguments and prints; every command is in cli/commands.cpp.
#include <cstdio>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "runtime/value.hpp"

namespace secretc {
std::string_view embedded_rulebase();
}

int main(int argc, char** argv) {
  using namespace secretc;
  CLI::App app{"secretc — professional secrecy (secret professionnel) rules: compile, check a case, test"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "secretc 0.1.0");

  CheckOptions check;
  std::string date_text;
  auto* check_cmd = app.add_subcommand("check", "Tell, for a case file, whether the secret must be kept, may or must be lifted");
  check_cmd->add_option("--rules", check.rules, "Rule files, folders or one .secbc (default: the embedded Belgian rulebase)");
  check_cmd->add_option("--format", check.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_option("--lang", check.lang, "Language of the report around the rulebase's words: fr or en")
      ->check(CLI::IsMember({"fr", "en"}));
  check_cmd->add_option("--date", date_text, "The date of the situation when the case does not give `cas.date` (YYYY-MM-DD; default: today)");
  check_cmd->add_option("cases", check.cases, "Case files (.fact)")->required();

  std::vector<std::string> compile_sources;
  std::string compile_output;
  auto* compile_cmd = app.add_subcommand("compile", "Compile rule files to bytecode (.secbc)");
  compile_cmd->add_option("sources", compile_sources, "Rule files or folders")->required();
  compile_cmd->add_option("-o,--output", compile_output, "The .secbc file to write")->required();

  std::string disasm_path;
  auto* disasm_cmd = app.add_subcommand("disasm", "Print a compiled rulebase readably");
  disasm_cmd->add_option("file", disasm_path, "A .secbc file, rule sources, or - for the embedded rulebase")->required();

  std::vector<std::string> test_paths;
  bool verbose = false;
  auto* test_cmd = app.add_subcommand("test", "Run the `test` blocks of rule files");
  test_cmd->add_option("paths", test_paths, "Rule files or folders")->required();
  bool require_coverage = false;
  test_cmd->add_flag("-v,--verbose", verbose, "List the tests that pass too, and the rules no test shows");
  test_cmd->add_flag("--require-coverage", require_coverage,
                     "Fail unless every rule has a test showing it fire and one showing it not fire");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  Output o;
  int code = 0;
  if (*check_cmd) {
    if (!date_text.empty()) {
      const auto days = parse_date(date_text);
      if (!days) {
        fmt::print(stderr, "secretc: error: `--date {}` is not a valid date; write YYYY-MM-DD\n", date_text);
        return 2;
      }
      check.date = *days;
    }
    code = run_check(check, embedded_rulebase(), o);
  } else if (*compile_cmd) {
    code = run_compile(compile_sources, compile_output, o);
  } else if (*disasm_cmd) {
    code = run_disasm(disasm_path, embedded_rulebase(), o);
  } else if (*test_cmd) {
    code = run_test(test_paths, verbose, require_coverage, o);
  }
  std::fputs(o.err.c_str(), stderr);
  std::fputs(o.out.c_str(), stdout);
  return code;
}
