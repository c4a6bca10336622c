// `secretc doc [--rules R] [--examples DIR] -o DIR`: the rulebase as a static website, in French — an
// index by file and by theme with a search box, a page per rule (its texts, validity, condition and
// effect with links, what it sets aside and what sets it aside, the facts it reads, its tests, the
// examples it decides), per fact (question, help, type, members, the rules that read it) and per
// definition. No external asset: every page stands alone.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "compiler/model.hpp"
#include "runtime/case.hpp"
#include "runtime/program.hpp"

namespace secretc {

struct DocOptions {
  std::vector<std::string> rules;     // rule sources or one .secbc; empty: the embedded rulebase
  std::vector<std::string> examples;  // case files or folders of them: each rule page lists those it decides
  std::string output;                 // the folder written (new, empty, or an earlier `secretc doc` output)
};

int run_doc(const DocOptions& options, std::string_view embedded, Output& o);

// The site's pages, by path in the site (`index.html`, `regles/<rule>.html`, …): what run_doc writes and
// `secretc serve` serves under /doc/. `model` (may be null) adds the tests; `examples` (file name, bound
// case) the examples each rule decides.
std::map<std::string, std::string> doc_pages(const Program& program, const Model* model,
                                             std::vector<std::pair<std::string, BoundCase>> examples = {});

}  // namespace secretc
