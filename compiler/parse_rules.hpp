// Parsing rule files: text → parse tree (grammar/rules_grammar.hpp) → AST (compiler/ast.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/ast.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc {

// Limits on what a rule file may contain; past them, a located error instead of exhausting the stack
// or the time. (The longest line, kMaxLineBytes, is in runtime/diagnostics.hpp: case files share it.)
inline constexpr std::uint32_t kMaxNesting = 64;       // parentheses and `non` nested in one condition
inline constexpr std::size_t kMaxStringBytes = 10000;  // a text in double quotes, which may span lines

// Parses sources.text(file) and appends its declarations to `out`. Reports every syntax error of the
// file (recovering at the next declaration) and keywords of the other language. Returns false when
// the file had errors; what was parsed before and after them is still appended.
bool parse_rules(const SourceSet& sources, std::uint32_t file, ast::Rulebase& out, Diagnostics& diags);

}  // namespace secretc
