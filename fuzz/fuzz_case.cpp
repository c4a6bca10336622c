// Fuzz target: the case-file parser and binder, against the Belgian rulebase (stdlib-rules/, compiled
// once): parse, bind, render the diagnostics; when the case binds, the VM against the reference
// evaluator, and the report in French, English and JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/report.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "fuzz/fuzz_support.hpp"
#include "runtime/case.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secretc;
  const Compilation& rules = fuzz::belgian_rulebase();
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("fuzz.fact", std::string(reinterpret_cast<const char*>(data), size));
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  BoundCase bound;
  if (!diags.has_errors()) bound = bind_case(*rules.program, entries, 19844, diags);
  (void)render_all(diags, sources);
  if (diags.has_errors()) return 0;

  if (bound.facts.size() != rules.program->facts.size()) fuzz::fuzz_fail("a bound case has the wrong number of facts");
  fuzz::require_agreement(*rules.model, *rules.program, bound.facts, bound.given);
  Machine machine(*rules.program);
  const Result& result = machine.evaluate(bound.facts, &bound.given);
  const CaseReport report{"fuzz.fact", &*rules.program, &bound, &result};
  (void)render_text(report, ReportLang::French);
  (void)render_text(report, ReportLang::English);
  (void)render_json(report).dump(2);
  return 0;
}
