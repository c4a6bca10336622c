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

// `rules` rules, with rules/2 facts, rules/4 definitions and rules/50 outputs (at least a few of each),
// and conditions of 2 to 6 terms. With `terms` > 0, the densest shape the limits allow: as many facts and
// definitions as rules, and every condition `terms` terms long (ten to a line).
// Deterministic: the same arguments give the same text.
BigRulebase make_big_rulebase(std::size_t rules, std::size_t terms = 0, std::size_t max_file_bytes = 7U << 20U);

}  // namespace secretc::bench
