// `secretc fmt`: rewrites rule files in the canonical layout (compiler/format.hpp), or, with `--check`,
// says which files are not in it. A library function like the other commands (cli/commands.hpp).
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace secretc {

// Formats the rule files that `files` names (files, or folders whose `.rules` files are taken).
// Without `check`: rewrites each file whose layout changes, atomically, and lists them on `o.out`.
// With `check`: writes nothing; shows on `o.out` an excerpt of what would change in each such file.
// Returns 0 when every file was (check: is already) formatted; 1 when a file would change (check),
// cannot be read, does not parse (its errors on `o.err`, the file untouched), or when the formatter
// fails one of its own checks (then no file at all is written).
int run_fmt(const std::vector<std::string>& files, bool check, Output& o);

}  // namespace secretc
