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

namespace {

bool same_place(const secretc::Location& a, const secretc::Location& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column;
}

bool same_entry(const secretc::CaseEntry& a, const secretc::CaseEntryView& b) {
  return a.name == b.name && a.kind == b.kind && a.text == b.text && same_place(a.name_at, b.name_at) &&
         same_place(a.value_at, b.value_at);
}

bool same_diagnostics(const secretc::Diagnostics& a, const secretc::Diagnostics& b) {
  if (a.all().size() != b.all().size()) return false;
  for (std::size_t i = 0; i < a.all().size(); ++i) {
    const secretc::Diagnostic &x = a.all()[i], &y = b.all()[i];
    if (x.severity != y.severity || !same_place(x.where, y.where) || x.message != y.message || x.hint != y.hint)
      return false;
  }
  return true;
}

// Lines read by hand (the plain ones) give exactly what the grammar gives, through parse_case and
// through a CaseReader.
void same_reading(const secretc::SourceSet& sources, std::uint32_t file, const std::vector<secretc::CaseEntry>& entries,
                  const secretc::Diagnostics& diags) {
  using namespace secretc;
  Diagnostics by_grammar;
  const std::vector<CaseEntry> grammar = parse_case(sources, file, by_grammar, CaseScan::Grammar);
  if (!same_diagnostics(diags, by_grammar))
    fuzz::fuzz_fail("the fast case reader's messages differ from the grammar's");
  Diagnostics by_reader;
  CaseReader reader;
  const auto views = reader.read(sources.text(file), file, by_reader);
  if (!same_diagnostics(diags, by_reader)) fuzz::fuzz_fail("CaseReader's messages differ from parse_case's");
  if (grammar.size() != entries.size() || views.size() != entries.size()) {
    fuzz::fuzz_fail("the fast case reader and the grammar give different numbers of entries");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!same_entry(grammar[i], CaseEntryView(entries[i])) || !same_entry(entries[i], views[i])) {
      fuzz::fuzz_fail("the fast case reader and the grammar give different entries");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secretc;
  const Compilation& rules = fuzz::belgian_rulebase();
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("fuzz.fact", std::string(reinterpret_cast<const char*>(data), size));
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  same_reading(sources, file, entries, diags);
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
