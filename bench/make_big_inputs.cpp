// make_big_inputs RULES DIR [TERMS]: writes DIR/rules/*.rules (a rulebase of RULES rules, conditions of
// TERMS terms; bench/big_rulebase.hpp) and DIR/case.fact, for bench/measure.sh.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "bench/big_rulebase.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    fmt::print(stderr, "usage: make_big_inputs RULES DIR [TERMS]\n");
    return 2;
  }
  const std::filesystem::path dir(argv[2]);
  const std::size_t terms = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 0;
  const secretc::bench::BigRulebase big = secretc::bench::make_big_rulebase(std::strtoull(argv[1], nullptr, 10), terms);
  std::filesystem::create_directories(dir / "rules");
  for (const auto& [name, text] : big.files) std::ofstream(dir / "rules" / name, std::ios::binary) << text;
  std::ofstream(dir / "case.fact", std::ios::binary) << big.case_text;
  return 0;
}
