// The formatter of rule files: one canonical layout (docs/language.md, "Layout"), comments kept.
//
// A file is first parsed by the compiler's own parser (compiler/parse_rules.cpp): a file with syntax
// errors is not formatted. The formatter then reads the same parse as a concrete syntax tree, every
// token and comment kept (compiler/cst.hpp), attaches each comment to the token it belongs to, and
// prints the declarations with a width-driven layout engine
// (groups that fit on a line stay on it, the others break). Before returning, it checks its own work:
// the result parses to the same declarations as the original, keeps every comment, and formatting it
// again changes nothing. Any failure of these checks is a formatter bug, reported as such.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/diagnostics.hpp"
#include "runtime/program.hpp"

namespace secretc {

// The width the layout aims for, in characters. Strings are never broken, so a line holding a long
// string, or a long comment, may be wider.
inline constexpr std::size_t kFormatWidth = 100;

enum class FormatStatus : std::uint8_t {
  Ok,             // `text` is the canonical form (possibly identical to the input)
  InvalidSource,  // the file does not parse: `diags` says why, against `sources`
  InternalError,  // the formatter failed one of its own checks: `problem` says which; a bug
};

struct FormatResult {
  FormatStatus status = FormatStatus::Ok;
  std::string text;
  SourceSet sources;  // the original, as file 0, for rendering `diags`
  Diagnostics diags;
  std::string problem;
};

// Formats one rule file, named `name` in diagnostics.
FormatResult format_rules(const std::string& name, std::string_view text);

// The layout alone, without the checks: for a text the compiler's parser accepts. Throws
// std::runtime_error on a formatter bug. format_rules is what callers want.
std::string layout_rules(std::string_view text);

// The bytes of a program, with what depends on the layout of its sources left out (the source hash,
// and where each rule was written), so that two layouts of the same rules compare equal.
std::string layout_independent_bytes(Program program);

}  // namespace secretc
