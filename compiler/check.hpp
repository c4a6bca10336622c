// Checking a parsed rulebase: names, types, precedence, validity periods, dependency order.
#pragma once

#include <cstddef>

#include "compiler/model.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc {

// Limits on a rulebase. Past one, a located error (at the first declaration too many, or at the rule or
// definition concerned) instead of time, memory or stack that grow without bound. The Belgian rulebase
// is far below each (59 rules, 45 facts, 41 definitions; a rule set aside by at most 23 others).
inline constexpr std::size_t kMaxRules = 10000;
inline constexpr std::size_t kMaxFacts = 10000;
inline constexpr std::size_t kMaxDefinitions = 10000;
inline constexpr std::size_t kMaxOutputs = 1000;
inline constexpr std::size_t kMaxEnums = 1000;
inline constexpr std::size_t kMaxTests = 10000;
// A definition built on a definition built on …: how deep such a chain may go.
inline constexpr std::size_t kMaxDefinitionDepth = 64;
// What precedence and definitions add up to, kept per rule: the rules that set it aside (directly or
// through others), and the facts its condition reads (directly or through definitions).
inline constexpr std::size_t kMaxOverriders = 1000;
inline constexpr std::size_t kMaxFactsRead = 1000;

// Resolves and types everything in `rulebase`, reporting every error found. The model is complete
// and consistent only when no error was reported.
Model check_rulebase(ast::Rulebase rulebase, Diagnostics& diags);

}  // namespace secretc
