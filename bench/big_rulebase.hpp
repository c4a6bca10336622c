// Large rulebases and case files, shaped like the Belgian one (facts of every type, definitions,
// scalar and set outputs, exceptions that override general rules, dated rules), for measuring how far
// secretc scales (bench/measure.sh, bench/secretc_benchmark.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace secretc::bench {

struct BigRulebase {
  std::vector<std::pair<std::string, std::string>> files;  // (name, text), each at most max_file_bytes
  std::string case_text;                                   // a case giving most facts a value
};

// `rules` rules, with rules/2 facts, rules/4 definitions and rules/50 outputs (at least a few of each).
// Deterministic: the same arguments give the same text.
BigRulebase make_big_rulebase(std::size_t rules, std::size_t max_file_bytes = 4U << 20U);

}  // namespace secretc::bench
