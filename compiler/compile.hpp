// The compiler driver: rule files → parsed → checked → lowered and verified.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/model.hpp"
#include "runtime/diagnostics.hpp"
#include "runtime/program.hpp"

namespace secretc {

inline constexpr std::size_t kMaxRuleFileBytes = 8U << 20U;   // 8 MiB per rule file
inline constexpr std::size_t kMaxRuleFiles = 1000;            // files in one rulebase
inline constexpr std::size_t kMaxRulebaseBytes = 16U << 20U;  // all its files together

struct Compilation {
  SourceSet sources;
  Diagnostics diags;
  std::optional<Model> model;      // set when parsing and checking succeeded
  std::optional<Program> program;  // set when the model was lowered and verified
  std::string bytecode;            // with program: program serialized, as `compile` writes it
};

// The `.rules` files a list of paths names: files as given, folders' `.rules` files in name order.
// Unreadable paths are reported to diags.
std::vector<std::string> rule_files(const std::vector<std::string>& paths, Diagnostics& diags);

// Reads and compiles the rule files that `paths` names.
Compilation compile_paths(const std::vector<std::string>& paths);

// Compiles texts given as (name, text) pairs: for tests and for sources held in memory.
Compilation compile_texts(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace secretc
