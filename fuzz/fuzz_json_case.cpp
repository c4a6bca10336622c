// Fuzz target: the JSON case reader (cli/json_case.cpp, what `secretc serve` reads from the browser and
// from programs, and `check --jsonl` from each line), against the Belgian rulebase: parse and bind, render the problems
// in both languages; when the case binds, the VM against the reference evaluator, the JSON report, and one invariant of
// the reader's own — the case written back as JSON (`case_json`) reads again to the very same bound case.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cli/json_case.hpp"
#include "cli/report.hpp"
#include "compiler/compile.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

bool same_case(const secretc::BoundCase& a, const secretc::BoundCase& b) {
  if (a.facts.size() != b.facts.size() || a.given != b.given || a.extra_strings != b.extra_strings) return false;
  for (std::size_t i = 0; i < a.facts.size(); ++i) {
    if (a.facts[i].known != b.facts[i].known || (a.facts[i].known && a.facts[i].payload != b.facts[i].payload)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secretc;
  constexpr std::int64_t kToday = 19844;  // 2024-05-01
  const Compilation& rules = fuzz::belgian_rulebase();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The same text as one line of `check --jsonl` (facts at the top level, an optional `id`).
  const JsonCase line = read_json_line(*rules.program, text, kToday);
  (void)problems_json(line.problems, TextLang::English).dump();
  if (line.ok()) {
    if (line.bound.facts.size() != rules.program->facts.size())
      fuzz::fuzz_fail("a bound JSON line has the wrong number of facts");
    // The id is kept as JSON text: it must parse again, to a string or a number.
    if (!line.id.empty()) {
      const auto id = nlohmann::ordered_json::parse(line.id);
      if (!id.is_string() && !id.is_number())
        fuzz::fuzz_fail("a JSON line's id is kept as something else than a string or a number");
    }
    Machine machine(*rules.program);
    (void)machine.evaluate(line.bound.facts, &line.bound.given);
  } else if (line.problems.empty()) {
    fuzz::fuzz_fail("a JSON line refused without a problem saying why");
  }
  // The scanner of flat lines reads what the long way reads: the same verdict, id, problems and facts.
  {
    JsonCase long_way;
    read_json_line(*rules.program, text, kToday, long_way, JsonScan::Long);
    if (long_way.ok() != line.ok() || long_way.id != line.id || long_way.problems.size() != line.problems.size() ||
        (line.ok() && !same_case(long_way.bound, line.bound))) {
      fuzz::fuzz_fail("a JSON line read by the fast scanner reads otherwise than the long way");
    }
  }

  const JsonCase c = read_json_case(*rules.program, text, kToday);
  (void)problems_json(c.problems, TextLang::French).dump();
  (void)problems_json(c.problems, TextLang::English).dump();
  if (!c.ok()) {
    if (c.problems.empty()) fuzz::fuzz_fail("a JSON case refused without a problem saying why");
    return 0;
  }
  if (c.bound.facts.size() != rules.program->facts.size())
    fuzz::fuzz_fail("a bound JSON case has the wrong number of facts");

  const nlohmann::ordered_json written = case_json(*rules.program, c.bound, c.entries);
  const JsonCase again = read_json_case(*rules.program, written.dump(), kToday);
  if (!again.ok() || !same_case(c.bound, again.bound)) {
    fuzz::fuzz_fail("a JSON case written back by case_json does not read as the same case", written.dump());
  }

  fuzz::require_agreement(*rules.model, *rules.program, c.bound.facts, c.bound.given);
  Machine machine(*rules.program);
  const Result& result = machine.evaluate(c.bound.facts, &c.bound.given);
  const CaseReport report{c.name, &*rules.program, &c.bound, &result};
  (void)render_json(report, TextLang::French).dump();
  (void)render_json(report, TextLang::English).dump();
  return 0;
}
