// The property test of docs/language.md, "Answers under uncertainty": on a partial case, what the VM
// answers (Machine::evaluate, told which facts the case wrote) must hold in every completion of the
// case that respects the provisos the answer states — and so must each conditional answer
// (runtime/explain.hpp). The completions are enumerated (tests/property/completions.hpp) and answered
// one by one: that is the ground truth.
//
// Checked, for every output: a settled answer is the answer of every completion (the same value, the
// same conflict or the same lack of value); the values of the completions are among the `possible`
// ones, a completion without value (or with a conflict) is allowed by `may_be_unknown`; a set holds
// for sure only what every completion holds, and may hold all that some completion holds. Every
// conflict reported is in every completion. A rule applying for sure applies in every completion, one
// not applying applies in none; the same for firing, and for being set aside. A proviso the answer
// does not state, of a rule it lets apply, is false in no completion.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/program.hpp"
#include "runtime/vm.hpp"
#include "tests/differential/rulebase_generator.hpp"
#include "tests/property/completions.hpp"

namespace secretc::property {

using Files = std::vector<std::pair<std::string, std::string>>;

// Applied to the program the VM runs (never to the one the completions are answered with): the
// self-check plants a bug this way to prove that an unsound answer is caught and minimised.
using Mutation = std::function<void(Program&)>;

struct Outcome {
  enum class Kind : std::uint8_t {
    Sound,
    Unsound,   // an answer some completion contradicts
    Disagree,  // on a completion giving every fact a value, the VM and the ground truth differ
    TooMany,   // more completions than the limit: not judged
    NotCompiled,
    CaseRejected,
  };
  Kind kind = Kind::Sound;
  std::string detail;
};

// How precise the answers were, and how varied the inputs: a soundness check proves little if no
// answer was ever unsettled, no proviso stated, no conditional answer given.
struct Tally {
  struct Precision {
    std::size_t outputs = 0;    // judged (some completion respects the stated provisos)
    std::size_t agreeing = 0;   // every completion gives the same answer
    std::size_t unsettled = 0;  // reported not settled
    std::size_t spurious = 0;   // reported not settled, although every completion agrees
  };
  std::size_t cases = 0, too_many = 0, completions = 0, vacuous = 0;
  Precision scalar, set;
  std::size_t rules_maybe = 0, rules_maybe_spurious = 0;   // rules reported as may apply; of those, agreeing
  std::size_t provisos_stated = 0, provisos_needless = 0;  // stated; of those, true in every completion
  std::size_t dependences = 0, branches = 0;               // conditional answers checked
  std::size_t conflicts = 0, values_in_doubt = 0, unwritten = 0, questioned = 0, warnings = 0, dated_unknown = 0;
  std::size_t exact_checked = 0;  // completions on which the VM's own answer was compared with the ground truth

  [[nodiscard]] std::string render() const;
  // Of the outputs reported unsettled, the share every completion answers alike.
  [[nodiscard]] double spurious_share() const;
  // What never happened, if anything: the generator has lost its variety.
  [[nodiscard]] std::string lacking() const;
};

class Subject {
 public:
  static std::unique_ptr<Subject> build(const Files& files, const Mutation& mutate, std::string& error);

  [[nodiscard]] const Program& program() const { return *compilation_.program; }
  // Reads `lines` as a case file and judges the VM's answer (and its conditional answers) against
  // every completion, when there are at most `limit`.
  Outcome check(const std::vector<std::string>& lines, std::size_t limit, Tally* tally = nullptr);

 private:
  Subject() = default;

  Compilation compilation_;
  std::unique_ptr<Program> tested_;  // what the VM runs: the compiled program, or a mutated copy
  std::unique_ptr<Machine> vm_;
  std::unique_ptr<ConcreteEvaluator> truth_;
};

Outcome run_case(const Files& files, const std::vector<std::string>& lines, std::size_t limit,
                 const Mutation& mutate = {});

// A failing input made small: declarations and case lines deleted one at a time, greedily, to a fixed
// point, as long as the same kind of failure remains.
struct Reproducer {
  differential::GeneratedRulebase rulebase;
  std::vector<std::string> lines;
  Outcome outcome;

  [[nodiscard]] std::string render() const;
};

Reproducer minimise(differential::GeneratedRulebase rulebase, std::vector<std::string> lines, std::size_t limit,
                    const Mutation& mutate = {});

}  // namespace secretc::property
