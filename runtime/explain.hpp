// Conditional answers: when an answer is not settled, what each open question would change. Computed
// by the VM itself, evaluating the case again with the fact set to each of its values — never guessed.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/result.hpp"
#include "runtime/vm.hpp"

namespace secretc {

// The answer when an open question takes one of some values.
struct Branch {
  std::vector<std::int64_t> values;  // the fact's values giving this answer (members; 0/1 for a bool)
  std::vector<OutputValue> outputs;  // the answer then, one per program output
};

struct Dependence {
  std::uint32_t fact = 0;
  std::vector<Branch> branches;       // one per distinct answer, in the order of the fact's values
  std::vector<std::uint8_t> changes;  // per output: its answer differs between the branches
};

// For each open question of `result` (its `missing` facts) whose type is a bool or an enumeration,
// the answers the case gets with that fact set to each of its values, the other facts as they are.
// Only the facts whose value changes some output are kept, in fact order. `machine` is reused: the
// result it returned before is overwritten, so `result` must be a copy (or not the machine's own).
std::vector<Dependence> conditional_answers(Machine& machine, const std::vector<Value>& facts,
                                            const std::vector<bool>* written, const Result& result);

}  // namespace secretc

namespace secretc {

// How much an open question matters, the most decisive first.
enum class QuestionRank : std::uint8_t {
  Verdict = 0,   // alone, its answer changes the verdict
  Answer = 1,    // alone, it changes another scalar output (the duty…)
  Limits = 2,    // alone, it changes a set output (the limits, the sanctions)
  Together = 3,  // it can change an output only together with other questions, or it is not a bool or an enumeration
};

struct OpenQuestion {
  std::uint32_t fact = 0;
  QuestionRank rank = QuestionRank::Together;
  std::size_t answers_settling_verdict = 0;  // how many of its values settle the verdict
};

// The open questions of `result` (its `missing` facts), ranked: by rank, then the questions whose
// values settle the verdict most often, then by theme (so that questions of a theme stay together),
// then in fact order. `dependences` are the conditional answers of the same result (may be empty).
// One ordering shared by the report, `secretc ask` and `secretc serve`.
std::vector<OpenQuestion> open_questions(const Program& program, const Result& result,
                                         const std::vector<Dependence>& dependences);

}  // namespace secretc

namespace secretc {

// « Pourquoi pas ? »: an exception that came close. The rule did not fire, but it would (or might, other
// questions still open) if one or two of the facts it reads had another value — and the verdict would
// then be another. Found by the VM, evaluating the case again with those facts changed.
struct NearMiss {
  std::uint32_t rule = 0;
  struct Change {
    std::uint32_t fact = 0;
    std::vector<std::int64_t> values;  // the values of the fact that would make the rule fire
  };
  std::vector<Change> changes;    // one or two facts, in fact order
  bool would_be_settled = false;  // with the change, the rule fires for sure (not only may fire)
};

// The near misses of `result`, fewest changes first, then in rule order; at most `limit`. Only rules
// that write the verdict another value than its value now are considered, and only facts that are
// bools or enumerations are changed. `machine` is reused (see conditional_answers).
std::vector<NearMiss> near_misses(Machine& machine, const std::vector<Value>& facts, const std::vector<bool>* written,
                                  const Result& result, std::size_t limit = 5);

}  // namespace secretc
