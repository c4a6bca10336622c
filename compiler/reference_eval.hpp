// The reference evaluator: computes a case's result straight from the checked AST, by recursion,
// without the bytecode. It shares no code with the VM on purpose: the two must agree on every case
// (tests/compiler/evaluate_test.cpp, tests/differential/), which checks the lowering, the verifier's guarantees and the
// VM.
#pragma once

#include <vector>

#include "compiler/model.hpp"
#include "runtime/result.hpp"

namespace secretc {

// facts: one value per fact of the model, as bind_case produces them; written: as Machine::evaluate.
Result evaluate_reference(const Model& model, const std::vector<Value>& facts,
                          const std::vector<bool>* written = nullptr);

}  // namespace secretc
