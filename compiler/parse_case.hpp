// Reads a case file (`*.fact`) into its `name = value` entries; runtime/case.hpp binds them to a program.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/case.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc {

// Parses sources.text(file) line by line (grammar/case_grammar.hpp): one entry per `name = value` line,
// in file order, located at 1-based lines and columns counted in characters (a leading BOM is not counted).
// Every malformed line gets one error in diags and the next line is read afresh; after
// Diagnostics::kMaxKept - 1 syntax errors the rest of the file is skipped, with a note saying so.
// Invalid UTF-8 and NUL bytes are errors located at the offending byte. Never throws; linear in the size.
// The entries are meaningful only when no error was reported.
//
// How a line is read. Fast: a plain line (ASCII, a lowercase name, a value without escapes, nothing the
// grammar would refuse) by a hand-written scanner that gives exactly what the grammar gives, any other
// line by the grammar. Grammar: every line by the grammar (the tests and the fuzzer compare the two).
enum class CaseScan : std::uint8_t { Fast, Grammar };

std::vector<CaseEntry> parse_case(const SourceSet& sources, std::uint32_t file, Diagnostics& diags,
                                  CaseScan scan = CaseScan::Fast);

// A reader of many case texts, one after another (a batch, a program that embeds the rules): the entries
// of each as views, its storage kept from one text to the next, so that reading a plain case allocates
// nothing. The same entries and the same messages as parse_case.
class CaseReader {
 public:
  // The entries of `text`, whose locations name `file` (an index of the SourceSet that renders diags).
  // The views point into `text` and into the reader: valid while `text` is, until the next read.
  std::span<const CaseEntryView> read(std::string_view text, std::uint32_t file, Diagnostics& diags);

 private:
  std::vector<CaseEntryView> views_;
  std::vector<CaseEntry> parsed_;       // the entries of the lines the grammar read
  std::vector<std::size_t> parsed_at_;  // each one's place in views_
};

}  // namespace secretc
