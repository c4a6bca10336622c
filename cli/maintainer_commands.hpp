// The maintainers' commands of `secretc`, as library functions like those of commands.hpp: `diff`
// (what a new version of a rulebase changes, in its text and in its answers) and `lint` (what in a
// rulebase is likely a mistake). Exit codes: 0 nothing found, 1 invalid input, 2 usage error (main.cpp),
// and kExitFound when `diff --exit-code` finds a behavioural difference or `lint` a finding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "cli/commands.hpp"
#include "runtime/program.hpp"

namespace secretc {

inline constexpr int kExitFound = 3;

struct DiffCommandOptions {
  std::string old_path;  // rule files' folder, one rule file, a .secbc, or `-` for the embedded rulebase
  std::string new_path;
  std::string format = "text";  // text | json
  bool exit_code = false;       // exit with kExitFound when some case gets another answer
  std::string witness_dir;      // when set, every witness is written there as a .fact file
  bool force = false;           // write the witnesses into a folder that is not empty
  std::optional<std::int64_t>
      date;                       // the day witnesses are dated when the change allows it (default: stable_witness_day)
  unsigned timeout_seconds = 60;  // per solver question
};

// The day witnesses are dated without `--date`: one that does not change from day to day — the new
// version's `à jour au`, else the old one's, else the latest day a rule's period starts or ends in either
// version, else 2000-01-01.
std::int64_t stable_witness_day(const Program& old_program, const Program& new_program);

int run_diff(const DiffCommandOptions& options, std::string_view embedded, Output& o);

struct LintCommandOptions {
  std::vector<std::string> paths;  // rule files or folders
  std::string format = "text";     // text | json
  bool show_ignored = false;       // also list the findings a `# lint: ignore` comment justifies
  bool exit_zero = false;          // exit 0 even with findings (report only)
  unsigned timeout_seconds = 60;   // per solver question
};

int run_lint(const LintCommandOptions& options, Output& o);

}  // namespace secretc
