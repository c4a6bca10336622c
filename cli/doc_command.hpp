// `secretc doc [--rules R] [--examples DIR] -o DIR`: the rulebase as a static website, in French — an
// index by file and by theme with a search box, a page per rule (its texts, validity, condition and
// effect with links, what it sets aside and what sets it aside, the facts it reads, its tests, the
// examples it decides), per fact (question, help, type, members, the rules that read it) and per
// definition. No external asset: every page stands alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace secretc {

struct DocOptions {
  std::vector<std::string> rules;     // rule sources or one .secbc; empty: the embedded rulebase
  std::vector<std::string> examples;  // case files or folders of them: each rule page lists those it decides
  std::string output;                 // the folder written (new, empty, or an earlier `secretc doc` output)
};

int run_doc(const DocOptions& options, std::string_view embedded, Output& o);

}  // namespace secretc
