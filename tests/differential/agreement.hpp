// The differential test: the VM (on the compiled program, and on the same program after a trip
// through the bytecode file format) and the AST reference evaluator must agree on every field of the
// result: each output (value, conflict, settled or not, possible values, whether it may lack one), each
// rule (fires, applies: true, false or unknown), the fired and overridden rules, conflicts, the provisos
// the answer states, and the missing facts. Both are told which facts the case wrote (`?`).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/program.hpp"
#include "runtime/vm.hpp"
#include "tests/differential/rulebase_generator.hpp"

namespace secretc::differential {

// Applied to each compiled program before it runs: the harness's self-check plants a bug this way to
// prove that a disagreement is caught and minimised.
using Mutation = std::function<void(Program&)>;

struct Outcome {
  enum class Kind : std::uint8_t { Agree, Disagree, NotCompiled, CaseRejected };
  Kind kind = Kind::Agree;
  std::string detail;  // the disagreement, or the diagnostics
};

using Files = std::vector<std::pair<std::string, std::string>>;

// How often the compared results held each kind of answer: a comparison of conflicts proves nothing if
// no case ever had one, so the driver requires every count to be nonzero.
struct Tally {
  std::size_t fired = 0, overridden = 0, conflicts = 0, missing = 0, unknown_conditions = 0, unknown_outputs = 0;
  std::size_t unsettled_outputs = 0, values_in_doubt = 0, provisos = 0, warnings = 0;
  std::size_t from_tree = 0;  // cases the machine answered from its decision tree
  [[nodiscard]] std::string render() const;
  [[nodiscard]] bool complete() const {
    return fired > 0 && overridden > 0 && conflicts > 0 && missing > 0 && unknown_conditions > 0 &&
           unknown_outputs > 0 && unsettled_outputs > 0 && values_in_doubt > 0 && provisos > 0 && warnings > 0 &&
           from_tree > 0;
  }
};

// One compiled rulebase, ready to be run on many cases: compiled once, checked to survive a trip
// through the bytecode file format, with a machine for the compiled and for the loaded program.
class Subject {
 public:
  // nullptr, with `error` saying why, when the rulebase does not compile or its bytecode does not
  // verify, load, and serialise back to the same bytes.
  static std::unique_ptr<Subject> build(const Files& files, const Mutation& mutate, std::string& error);
  static std::unique_ptr<Subject> from(Compilation compilation, std::string& error);

  [[nodiscard]] const Program& program() const;
  // Reads `lines` as a case file and compares the evaluators on it; counts what the answer held.
  Outcome check(const std::vector<std::string>& lines, Tally* tally = nullptr);

 private:
  Subject() = default;
  static std::unique_ptr<Subject> finish(std::unique_ptr<Subject> s, const Mutation& mutate, std::string& error);

  Compilation compilation_;
  std::unique_ptr<Program> loaded_;
  std::unique_ptr<Machine> vm_;
  std::unique_ptr<Machine> loaded_vm_;
};

// A result, one line per output, rule, conflict, stated proviso and missing fact, for a reader.
std::string describe_result(const Program& program, const Result& result);

// Compiles `files`, reads the case `lines` as a case file, and compares the evaluators.
Outcome run_case(const Files& files, const std::vector<std::string>& lines, const Mutation& mutate = {});

// A failing input made small: declarations and case lines deleted one at a time, greedily, as long as
// the evaluators still disagree.
struct Reproducer {
  GeneratedRulebase rulebase;
  std::vector<std::string> lines;
  std::string detail;

  [[nodiscard]] std::string render() const;
};

Reproducer minimise(GeneratedRulebase rulebase, std::vector<std::string> lines, const Mutation& mutate = {});

}  // namespace secretc::differential
