// Reading a compiled rulebase back the way a jurist writes it: each rule's `quand` and each
// definition, rebuilt from the bytecode (so that rule sources and `.secbc` files are shown alike).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/program.hpp"

namespace secretc {

// The keywords a condition is printed with: those of the rulebase's own language.
enum class Keywords : std::uint8_t { French, English };

// The language the rulebase's files are written in, as its bytecode records it with each declaration
// (Program::written_in: that of its first fact, else of its first rule).
Keywords keywords_of(const Program& program);

// The language of a rule file's keywords, from its first declaration; nullopt when it has none.
std::optional<Keywords> keywords_of_source(std::string_view text);

// Where a rule's condition is computed (its period is RuleInfo's, applied by the VM's `fire`).
struct RuleCode {
  std::optional<std::uint32_t> when_slot;  // the slot `fire` reads; nullopt when the rule has no `quand`
};
std::vector<RuleCode> rule_code(const Program& program);

struct DefinitionText {
  std::string name;
  std::uint32_t slot = 0;
  std::string body;
};

struct Decompiled {
  std::vector<std::string> when;            // per rule: its `quand`; empty when it has none
  std::vector<std::string> provisos;        // per proviso (program-wide numbers): its condition
  std::vector<DefinitionText> definitions;  // in program order
};

Decompiled decompile(const Program& program, Keywords keywords);

// A value as a rule file writes it: `vrai`, `2019-03-14`, `371/1`, `"texte"`, a member, `{ a, b }`.
std::string rule_literal(const Program& program, Type type, const Value& value, Keywords keywords);

// A value as a case file writes it: `vrai`, `2019-03-14`, `"371/1"`, `"texte"`, a member, `?`.
std::string case_literal(const Program& program, Type type, const Value& value, Keywords keywords);

// The effects of a rule as its `alors` reads: `verdict = peut_reveler, conditions += { a, b }`.
std::string effects_text(const Program& program, const RuleInfo& rule);

// A validity period as its clause reads: `valable du 2017-05-17 au 2019-03-14 "raison"`; empty if none.
std::string validity_text(const RuleInfo& rule, Keywords keywords);

}  // namespace secretc
