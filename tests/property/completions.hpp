// The ground truth of the property test: the completions of a partial case, and the answer of each.
//
// docs/language.md ("Answers under uncertainty") defines a completion: each fact the case writes `?`
// gets some value of its type; each fact it does not write (and that has no default) gets some value
// of its type, or stays without one. The answer of a completion is the one the rules give a concrete
// case: Kleene's logic with ⊥ for a fact without value, a rule fires only when it is in force, its
// condition is true and no proviso is false, and is set aside when a rule overriding it fires.
//
// Machine::evaluate cannot give that answer for a completion that leaves a fact without value: an
// unknown fact the case does not write stands there for "any value or none", not for "none". So the
// answer of a completion is computed here, by a concrete interpreter of the same bytecode that follows
// the definition above and nothing else; on completions that give every fact a value it is checked
// against the VM itself (which then runs its exact interpreter).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/case.hpp"
#include "runtime/program.hpp"

namespace secretc::property {

// The values a fact may take in a completion. Booleans and enumerations: every value. Other types,
// which have too many values to try: every constant of the program of that type — with its two
// neighbours for integers and dates, and the days a validity period starts and ends (and the day
// before) for dates —, the values the case gives facts of that type, and one value none of these is.
std::vector<Value> representative_values(const Program& program, Type type, const std::vector<Value>& case_facts);

// Every completion of `bound`, or nullopt when there are more than `limit`.
std::optional<std::vector<std::vector<Value>>> completions(const Program& program, const BoundCase& bound,
                                                           std::size_t limit);

// The answer of one concrete case.
struct Concrete {
  struct Output {
    bool conflict = false;  // scalar: rules that apply set different values
    Value value;            // scalar: the value, unknown when none (or a conflict); set: the mask
  };
  std::vector<Output> outputs;
  std::vector<std::uint8_t> holds;    // per rule: in force and its condition true (provisos aside)
  std::vector<std::uint8_t> fires;    // per rule: holds, and no proviso of it false
  std::vector<std::uint8_t> applies;  // per rule: fires, and no rule overriding it fires
  std::vector<Truth> provisos;        // per proviso (program-wide numbers): its value
};

class ConcreteEvaluator {
 public:
  explicit ConcreteEvaluator(const Program& program);
  // facts: one per program fact; an unknown one is a fact without value.
  [[nodiscard]] Concrete evaluate(const std::vector<Value>& facts) const;
  // Every rule overriding `rule`, directly or through others.
  [[nodiscard]] const std::vector<std::uint32_t>& overriders(std::uint32_t rule) const { return overriders_[rule]; }
  // The program-wide numbers of the provisos of `rule`: [first, last).
  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> provisos_of(std::uint32_t rule) const {
    return {first_proviso_[rule], first_proviso_[rule + 1]};
  }

 private:
  const Program& p_;
  // Recomputed from the rules' `overrides`, not taken from the program's `overriders`: the ground truth
  // trusts the compiler's precedence closure no more than it trusts the VM.
  std::vector<std::vector<std::uint32_t>> overriders_;
  std::vector<std::uint32_t> first_proviso_;  // per rule, then one past the last
};

}  // namespace secretc::property
