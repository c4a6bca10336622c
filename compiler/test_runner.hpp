// Running the `test` blocks of a rulebase: the library behind `secretc test`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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
  std::vector<TestOutcome> outcomes;  // the tests run, in the order written
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t filtered_out = 0;  // tests of the files chosen that the filter left out
  RuleCoverage coverage;         // what the tests run show
};

// Which tests run: those of some files, and of those, the ones whose name contains a text.
struct TestSelection {
  std::vector<bool> files;  // by source file (Location::file): whose tests run; empty: every file's
  std::string filter;       // empty: every test of those files
};

// Whether a test's name contains `filter`, ignoring case: A–Z and the capitals of Latin-1 and Œ Ÿ match their
// small letters; accents are compared as written (`é` does not match `e`).
bool test_name_matches(std::string_view name, std::string_view filter);

// Runs the tests of the model that `selection` chooses, on the VM. A `given` that does not bind (unknown fact,
// wrong type) is reported to diags and fails its test. today: the day for facts defaulting to `today`.
// lang: the language of the failures' texts.
TestRun run_tests(const Model& model, const Program& program, std::int64_t today, Diagnostics& diags,
                  TextLang lang = TextLang::French, const TestSelection& selection = {});

}  // namespace secretc
