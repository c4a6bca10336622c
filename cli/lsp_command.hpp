// `secretc lsp`: a Language Server Protocol server over standard input and output, for the jurists'
// editors. A rule file is read as part of its folder's rulebase (the vocabulary of the other files is
// known): diagnostics as the file changes (everything `compile` reports), `lint` and the folder's `test`
// blocks on save, hover, go to definition, references, completion, the document's outline, formatting.
#pragma once

#include <cstdio>
#include <iosfwd>

namespace secretc {

// Serves one client until `exit`; returns the exit code the protocol asks for (0 after `shutdown`, else
// 1). Malformed messages get a JSON-RPC error (or, when the framing itself is broken, a message on
// `log` and exit code 1): never a crash.
int run_lsp(std::istream& in, std::ostream& out, std::FILE* log);

}  // namespace secretc
