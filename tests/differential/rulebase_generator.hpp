// Random well-typed rulebases, written as rule TEXT, and random cases for any compiled program: the
// inputs of the differential test (tests/differential/agreement.hpp).
//
// The generator knows the language's typing rules well enough that every rulebase it writes should
// compile: one that does not is a finding (a generator bug, or a checker that refuses a valid program).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "runtime/program.hpp"

namespace secretc::differential {

// One declaration of a generated rulebase, already written in its file's language. Keeping each one
// apart lets the minimiser delete declarations one at a time.
struct Declaration {
  std::size_t file = 0;
  std::string text;
};

struct GeneratedRulebase {
  std::vector<bool> english;  // per file: English keywords (else French)
  std::vector<Declaration> declarations;

  // (name, text) per file, as compile_texts takes them.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> files() const;
};

struct GeneratorLimits {
  std::size_t max_enums = 4;
  std::size_t max_facts = 10;
  std::size_t max_definitions = 6;
  std::size_t max_outputs = 4;
  std::size_t max_rules = 12;
  std::size_t max_depth = 3;  // nesting of conditions
  std::size_t max_files = 3;
  std::size_t max_members = 5;   // of a generated enumeration (then and again `autre` too)
  bool full_enums = true;        // now and then an enumeration of the 64 members a set can hold
  std::size_t max_provisos = 2;  // `pourvu que` per rule
  std::size_t max_warnings = 2;  // `avertissement`s
  // Facts mostly of finite types (booleans, enumerations) and dates, so that every completion of a
  // case can be enumerated (tests/property/).
  bool finite_facts = false;
  double overrides_chance = 0.2;  // that a rule overrides a given rule it may override
};

GeneratedRulebase generate_rulebase(std::mt19937_64& rng, const GeneratorLimits& limits = {});

// How often a generated case leaves a fact out, or writes it `?` (`inconnu`); else it gives a value.
struct CaseShape {
  double omitted = 0.15;
  double unknown = 0.10;
};

// The lines of a case file for `program`: each fact omitted, explicitly unknown, or given a value of
// its type, drawn mostly from the program's own constants (and their neighbours) so that conditions
// are often decided either way.
std::vector<std::string> generate_case(const Program& program, std::mt19937_64& rng, const CaseShape& shape = {});

}  // namespace secretc::differential
