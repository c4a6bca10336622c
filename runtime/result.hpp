// What evaluating a program on one case yields: outputs (settled or not, and what they may still be),
// the rules that decided, those set aside, conflicts, the provisos the answer rests on, and the
// unknown facts that could still change an output. docs/language.md ("Answers under uncertainty")
// defines every field; the VM (runtime/vm.cpp) and the reference evaluator
// (compiler/reference_eval.cpp) compute them independently and must agree.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/value.hpp"

namespace secretc {

// One output's answer. Settled: every completion of the case's unknown facts gives this answer.
// Scalar: `value` is the value to act on — the settled value, or, while not settled, the first member
// of the output's `dans le doute` list that is still possible (unknown when there is none); `possible`
// holds every member some completion may give; `may_be_unknown` says some completion leaves it without
// a value (no rule applies and there is no default, or rules conflict).
// Set: `value` holds the members every completion holds, `possible` those some completion may hold.
struct OutputValue {
  Value value;
  bool conflict = false;  // rules that apply for sure set it to different values (value unknown)
  bool settled = true;
  std::uint64_t possible = 0;
  bool may_be_unknown = false;
  friend bool operator==(const OutputValue&, const OutputValue&) = default;
};

struct Overridden {
  std::uint32_t rule = 0;  // fired, but set aside
  std::uint32_t by = 0;    // the first rule overriding it that fires for sure
  friend bool operator==(const Overridden&, const Overridden&) = default;
};

struct Conflict {
  std::uint32_t output = 0;
  std::uint32_t first = 0, second = 0;  // two rules applying for sure that set it to different values
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

struct Result {
  std::vector<OutputValue> outputs;    // one per program output
  std::vector<Truth> conditions;       // per rule: it fires (in force, condition, no proviso false);
                                       // Unknown: it may fire or not, depending on unknown facts
  std::vector<Truth> applies;          // per rule: it fires and is not set aside
  std::vector<std::uint32_t> fired;    // rules that apply for sure, in program order
  std::vector<Overridden> overridden;  // rules that fire for sure but are set aside for sure
  std::vector<Conflict> conflicts;
  std::vector<std::uint32_t> provisos;  // provisos the answer rests on (program-wide numbers): unknown,
                                        // of a rule that fires for sure and is not set aside for sure
  std::vector<std::uint32_t> missing;   // unknown facts that could change an output, in fact order
  bool uncertain = false;               // some fact of the case is unknown

  friend bool operator==(const Result&, const Result&) = default;
};

}  // namespace secretc
