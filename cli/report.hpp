// Rendering a result for people (French or English chrome around the rulebase's own words) and for
// programs (the JSON object of docs/case-files.md §3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/json_writer.hpp"
#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc {

// The reader's language: the report's own words and the rulebase's texts (their translation when given).
using ReportLang = TextLang;

class JsonParts;

struct CaseReport {
  std::string_view case_path;  // the `case` member: a name that outlives the report
  const Program* program = nullptr;
  const BoundCase* bound = nullptr;
  const Result* result = nullptr;
  const std::vector<Dependence>* dependences = nullptr;  // conditional answers; may be null
  const std::vector<NearMiss>* near_misses = nullptr;    // « pourquoi pas ? »; may be null
  JsonParts* json_parts = nullptr;                       // for a batch: see JsonParts; may be null
};

// The parts of the JSON answer that depend only on the program and the language — the `rulebase`
// object, each rule's ground or warning, each output's value and status when settled — written the
// first time they are needed and then appended as they are, so that a batch does not write them again
// for every case (`check --jsonl` keeps one per worker thread). The answer is byte for byte the one
// written without them (tests/cli/report_json_test.cpp). Not thread-safe: one per thread, like the Machine.
class JsonParts {
 public:
  JsonParts(const Program& program, ReportLang lang);
  [[nodiscard]] bool serves(const Program& program, ReportLang lang) const {
    return &program == &program_ && lang == lang_;
  }

 private:
  friend void report_json_members(JsonWriter& w, const CaseReport& report, ReportLang lang);
  // The part kept in `s`, written by `write` the first time (a part is never empty).
  template <typename Write>
  static std::string_view part(std::string& s, Write&& write) {
    if (s.empty()) {
      JsonWriter w(s);
      write(w);
    }
    return s;
  }

  const Program& program_;
  ReportLang lang_;
  std::string rulebase_;              // the `rulebase` object
  std::vector<std::string> ground_;   // per rule: its object in `grounds`
  std::vector<std::string> warning_;  // per rule: its object in `warnings`
  std::vector<std::string> settled_;  // per output and member (output_base_): `outputs` value, `status` object
  std::vector<std::size_t> output_base_;
  std::vector<std::pair<int, std::uint32_t>> order_;  // grounds_order's scratch
};

// What a report shows of one case, computed as `check`, `ask` and `serve` all compute it: the result,
// the conditional answers when some output is not settled, and the exceptions that came close.
struct CaseAnalysis {
  Result result;
  std::vector<Dependence> dependences;
  std::vector<NearMiss> near_misses;
};
// why_not: look for the exceptions that came close (« pourquoi pas ? »): a search over changed facts that
// costs far more than the answer itself (tens of milliseconds on the Belgian rulebase, against microseconds).
CaseAnalysis analyse_case(Machine& machine, const BoundCase& bound, bool why_not = true);
// The situation's day, as the report gives it: the program's date fact, when the case has one.
std::optional<std::int64_t> case_day(const Program& program, const BoundCase& bound);
// The same into `a`, whose vectors keep their room from one case to the next (a batch).
void analyse_case(Machine& machine, const BoundCase& bound, bool why_not, CaseAnalysis& a);

std::string render_text(const CaseReport& report, ReportLang lang);
// The JSON object of docs/case-files.md §3; texts in `lang` (the rulebase's translation when it has one).
// Written straight as text (render_json_text), or as a tree (render_json: the same text, parsed).
std::string render_json_text(const CaseReport& report, ReportLang lang = ReportLang::French);
nlohmann::ordered_json render_json(const CaseReport& report, ReportLang lang = ReportLang::French);
// The object's members after `case`, into an object `w` has open: for a caller that writes its own
// first members (`check --jsonl`: case, id, line) and more after them.
void report_json_members(JsonWriter& w, const CaseReport& report, ReportLang lang);
// An output's value as the answer's `outputs` shows it: a member's name, null, or a set's members.
void output_value_json(JsonWriter& w, const Program& program, std::uint32_t output, const OutputValue& value);

// Folds a text into lines of at most `width` characters (UTF-8 aware), each after `indent` spaces; the
// result ends with a newline. The report's layout, and the interview's.
std::string wrap(std::string_view text, std::size_t indent, std::size_t width = 100);

}  // namespace secretc
