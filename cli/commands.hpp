// The commands of `secretc`, as library functions: main.cpp only parses arguments and prints.
// Each writes what it prints to `out` (standard output) and `err` (standard error) and returns the
// exit code: 0 success, 1 invalid input (case file, rule file, bytecode), 2 usage error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretc {

struct Output {
  std::string out;
  std::string err;
};

struct CheckOptions {
  std::vector<std::string> rules;    // rule sources or one .secbc; empty: the embedded rulebase
  std::string format = "text";       // text | json
  std::string lang;                  // fr | en; empty: the rulebase's own language
  std::optional<std::int64_t> date;  // the day used when a case does not give `cas.date`
  std::vector<std::string> cases;
};

// `embedded`: the compiled Belgian rulebase the binary carries.
int run_check(const CheckOptions& options, std::string_view embedded, Output& o);
// format text | json: with json, standard output gets `{"diagnostics": […]}` (docs/cli.md).
int run_compile(const std::vector<std::string>& sources, const std::string& output_path, const std::string& format,
                Output& o);
int run_disasm(const std::string& path, std::string_view embedded, Output& o);
// `secretc vocab`: rules empty for the embedded rulebase; format text | json; lang fr | en.
int run_vocab(const std::vector<std::string>& rules, const std::string& format, const std::string& lang,
              std::string_view embedded, Output& o);
struct TestOptions {
  // Rule files or folders. A folder: its rulebase (its .rules files) and all their tests. A file: the rulebase
  // of its folder (as `secretc compile FOLDER` reads it), but the tests written in that file only.
  std::vector<std::string> paths;
  bool verbose = false;               // list the tests that pass too, and (without a filter) the rules no test shows
  bool require_coverage = false;      // fail unless every rule of the files named has a passing test showing it
                                      // fire and one showing it not fire
  std::string format = "text";        // text | json: with json, standard output gets the tests, the counts and
                                      // `diagnostics` as JSON
  std::optional<std::string> filter;  // run only the tests whose name contains it (test_name_matches)
  std::string lang = "fr";            // fr | en: the report, the failures and the diagnostics
};

// `secretc test`: exit 0 when the tests run pass, 1 when one fails or the rulebase has errors, 2 when the
// filter matches no test.
int run_test(const TestOptions& options, Output& o);

// Today's date, in days since 1970-01-01 (UTC).
std::int64_t today_days();

// Writes a file so that it is either entirely written or not at all: a temporary file in the same
// folder, then a rename. Returns an error message, or an empty string on success.
std::string write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace secretc
