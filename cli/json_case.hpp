// A case written as JSON — `{"facts": {"confident.fonction": "mediateur", "victime.mineur": true, …}}` —
// read into the same entries a case file gives, then bound by `bind_case` (runtime/case.hpp): a JSON case
// and a `.fact` file saying the same facts bind to the same BoundCase, forgiving words included.
// `secretc serve` reads its requests with it; docs/case-files.md ("The HTTP API") describes the format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/case.hpp"
#include "runtime/diagnostics.hpp"
#include "runtime/program.hpp"

namespace secretc {

// Something wrong (or worth saying) about a JSON case, located for the program that sent it: by the
// JSON Pointer of the member concerned (`/facts/confident.fonction`), or, when the text is not JSON
// at all, by the 1-based line and column (in characters) where it stops being JSON.
struct JsonCaseProblem {
  Severity severity = Severity::Error;
  std::string path;  // empty for a syntax error
  std::uint32_t line = 0, column = 0;
  Message text;
  Message hint;
};

struct JsonCase {
  std::string name = "-";                 // the `case` member: what the answer's `case` says
  std::string id;                         // a JSON line's `id`, as JSON text (a string or a number); empty: none
  std::vector<CaseEntry> entries;         // the facts in the order written (not kept for a JSON line)
  BoundCase bound;                        // meaningful only when ok()
  std::vector<JsonCaseProblem> problems;  // errors and notes, in the order of the facts

  [[nodiscard]] bool ok() const;
};

// Objects and arrays nested deeper than this are refused (a case needs two levels).
inline constexpr std::size_t kMaxJsonDepth = 16;

// Parses `text` as a JSON case and binds it to `program` (`today`: the day used for facts whose default
// is today). Never throws; every problem is reported, not only the first. A member given twice in one
// object is an error, as a fact given twice in a case file is.
JsonCase read_json_case(const Program& program, std::string_view text, std::int64_t today);

// One line of JSON Lines (`secretc check --jsonl`): an object from fact name to value, the facts at
// its top level, with an optional `id` (a string or a number) kept as written in JsonCase::id.
// Problems are located by JSON Pointer from the line's object (`/confident.fonction`).
JsonCase read_json_line(const Program& program, std::string_view line, std::int64_t today);
// The same into `out`, whose vectors keep their room from one line to the next (a batch). Fast: a flat
// line that binds cleanly (the lines of a batch) is read by a scanner where it lies, any other the long
// way, with nlohmann's parser; Long: every line the long way (the tests and the fuzzer compare the two).
enum class JsonScan : std::uint8_t { Fast, Long };
void read_json_line(const Program& program, std::string_view line, std::int64_t today, JsonCase& out,
                    JsonScan scan = JsonScan::Fast);

// The same, for a JSON value already parsed (duplicate members can no longer be seen).
JsonCase bind_json_case(const Program& program, const nlohmann::ordered_json& value, std::int64_t today);

// The facts of a bound case as the JSON a case is written in, `{"facts": {…}}`: the facts `written`
// gives, in their order, each with its bound value — members by their names, yes/no as true/false,
// dates as "YYYY-MM-DD", `?` as null.
nlohmann::ordered_json case_json(const Program& program, const BoundCase& bound, const std::vector<CaseEntry>& written);

// `{"errors": [{"path" | "line", "column", "message", "hint"}], "notes": […]}`, texts in `lang`.
nlohmann::ordered_json problems_json(const std::vector<JsonCaseProblem>& problems, TextLang lang);

// Diagnostics (of a case file) as `{"errors": [{"file", "line", "column", "message", "hint"}], "notes": […]}`.
nlohmann::ordered_json diagnostics_json(const Diagnostics& diags, const SourceSet& sources, TextLang lang);

// One diagnostic as `--format json` of check, compile, test and lint gives it (docs/cli.md):
// `{"file", "line", "column", "kind", "severity", "message", "hint"}`, every member present, null where
// the diagnostic has none (no file, no position, no hint, a text not in the catalogue), texts in `lang`.
nlohmann::ordered_json diagnostic_json(const Diagnostic& d, const SourceSet& sources, TextLang lang);
// Every diagnostic, in file and position order, as an array of diagnostic_json.
nlohmann::ordered_json diagnostic_list_json(const Diagnostics& diags, const SourceSet& sources, TextLang lang);

}  // namespace secretc
