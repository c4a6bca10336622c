// Running the `test` blocks of a rulebase: the library behind `secretc test`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/model.hpp"
#include "runtime/diagnostics.hpp"
#include "runtime/program.hpp"

namespace secretc {

struct TestOutcome {
  std::string name;
  Location at;
  bool passed = false;
  std::string failure;  // given, expected and obtained, when it failed
};

// Which rules the tests show: firing (asserted with `appliquée`/`fired`) and not firing (asserted with
// `non appliquée`/`not fired`), per rule.
struct RuleCoverage {
  std::vector<bool> shown_firing;
  std::vector<bool> shown_not_firing;
};

struct TestRun {
  std::vector<TestOutcome> outcomes;
  std::size_t passed = 0;
  std::size_t failed = 0;
  RuleCoverage coverage;
};

// Runs every test of the model on the VM. A `given` that does not bind (unknown fact, wrong type)
// is reported to diags and fails its test. today: the day for facts defaulting to `today`.
TestRun run_tests(const Model& model, const Program& program, std::int64_t today, Diagnostics& diags);

}  // namespace secretc
