// Reads a case file (`*.fact`) into its `name = value` entries; runtime/case.hpp binds them to a program.
#pragma once

#include <cstdint>
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
std::vector<CaseEntry> parse_case(const SourceSet& sources, std::uint32_t file, Diagnostics& diags);

}  // namespace secretc
