// What evaluating a program on one case yields: outputs, the rules that decided, those overridden,
// conflicts, and the unknown facts that could still change an output.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/value.hpp"

namespace secretc {

// A scalar output: unknown when no rule decided and there is no default, or when rules conflict.
// A set output: the mask of its members (always known).
struct OutputValue {
  Value value;
  bool conflict = false;
  friend bool operator==(const OutputValue&, const OutputValue&) = default;
};

struct Overridden {
  std::uint32_t rule = 0;  // fired, but set aside
  std::uint32_t by = 0;    // the firing rule that overrides it
  friend bool operator==(const Overridden&, const Overridden&) = default;
};

struct Conflict {
  std::uint32_t output = 0;
  std::uint32_t first = 0, second = 0;  // two firing rules that set it to different values
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

struct Result {
  std::vector<OutputValue> outputs;        // one per program output
  std::vector<Truth> conditions;           // one per rule: its condition (in force and `when`)
  std::vector<std::uint32_t> fired;        // rules that fired and apply, in program order
  std::vector<Overridden> overridden;      // rules that fired but were overridden
  std::vector<Conflict> conflicts;
  std::vector<std::uint32_t> missing;      // unknown facts that could change an output, in fact order

  friend bool operator==(const Result&, const Result&) = default;
};

}  // namespace secretc
