// A checked rulebase: the AST with every name resolved, every expression typed, precedence closed
// transitively and an evaluation order. Lowering (lower.cpp) and the reference evaluator
// (reference_eval.cpp) both start from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "runtime/program.hpp"

namespace secretc {

struct DefineInfo {
  Type type;                  // the value's type; for a constant set, the type of its elements
  bool constant_set = false;  // `définition x = { … }`: used only on the right of `dans`
};

struct EvalStep {
  enum class Kind : std::uint8_t { Define, Rule, Resolve };
  Kind kind = Kind::Define;
  std::uint32_t index = 0;
};

struct Model {
  ast::Rulebase ast;
  std::string name;
  std::string version;
  std::uint64_t source_hash = 0;
  std::vector<std::string> strings;  // string constants; a string literal's `target` indexes it
  std::vector<EnumInfo> enums;       // declared, then inline ones (named after their declaration)
  std::vector<ThemeInfo> themes;     // in the order declared
  std::vector<Type> fact_types;      // parallel to ast.facts
  std::vector<DefaultKind> fact_default_kinds;
  std::vector<Value> fact_defaults;
  std::vector<DefineInfo> defines;                     // parallel to ast.defines
  std::vector<OutputInfo> outputs;                     // parallel to ast.outputs
  std::vector<std::vector<Effect>> effects;            // per rule, merged per output
  std::vector<std::vector<std::uint32_t>> overrides;   // per rule, direct
  std::vector<std::vector<std::uint32_t>> overriders;  // per rule, transitive, ascending
  std::vector<std::vector<std::uint32_t>> facts_read;  // per rule, ascending
  std::vector<std::vector<ProvisoInfo>> provisos;      // per rule, in the order written
  std::vector<bool> output_read;                       // per output: read by some condition
  std::vector<EvalStep> order;                         // defines, rules and output resolutions in dependency order
  std::int64_t date_fact = -1;                         // index of `cas.date`, when declared
  std::optional<std::int64_t> law_as_of;               // `à jour au D` of the header
};

}  // namespace secretc
