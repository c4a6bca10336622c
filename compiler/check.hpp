// Checking a parsed rulebase: names, types, precedence, validity periods, dependency order.
#pragma once

#include "compiler/model.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc {

// Resolves and types everything in `rulebase`, reporting every error found. The model is complete
// and consistent only when no error was reported.
Model check_rulebase(ast::Rulebase rulebase, Diagnostics& diags);

}  // namespace secretc
