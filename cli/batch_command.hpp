// `secretc check --jsonl`: many cases in, one JSON answer a line out, in the order of the input.
//
// Inputs: JSON Lines files (or `-`, standard input) — one case a line, an object from fact name to value
// with an optional `id` —, `.fact` files, and folders, whose `.fact` files are taken recursively in name
// order. Out: one line per case, the object `check --format json` gives (with `id` and `line` when the case
// came from a line), or, for a case that cannot be read, an error object with its located messages; the
// other cases go on.
//
// Streaming: the input is read in chunks and answered in batches by `jobs` worker threads, each with its
// own Machine over the one shared Program; a bounded number of batches is in flight, so memory does not
// grow with the number of cases, and the writer keeps the input's order.
#pragma once

#include <cstdio>
#include <string_view>

#include "cli/commands.hpp"

namespace secretc {

struct BatchOptions {
  CheckOptions check;     // rules, lang, date; `cases` are the inputs (none: standard input)
  unsigned jobs = 0;      // worker threads; 0: one per core
  bool summary = false;   // the counts by verdict on standard error at the end
  bool why_not = false;   // « pourquoi pas ? » in each answer (`why_not`): costly, so asked for
  bool progress = false;  // a progress line on standard error (main.cpp sets it when that is a terminal)
};

// Exit code: 0 every case answered, 1 some case could not be read or its rules conflict (its line says
// which), 2 an input that cannot be opened at all or a rulebase that does not load.
int run_check_jsonl(const BatchOptions& options, std::string_view embedded, std::FILE* out, std::FILE* err);

}  // namespace secretc
