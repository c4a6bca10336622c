// A compiled rulebase: what a `.secbc` file holds once loaded and verified.
// Plain data, readable top to bottom; compiler/lower.cpp builds it, runtime/bytecode.cpp (de)serialises
// and verifies it, runtime/vm.cpp runs it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/value.hpp"

namespace secretc {

enum class Opcode : std::uint8_t {
#define OPCODE(name, mnemonic, a, b, c) name,
#include "runtime/opcodes.def"
#undef OPCODE
  Count_
};

enum class OperandKind : std::uint8_t { NONE, DST, SRC, CONST, RULE, OUTPUT };

struct OpcodeInfo {
  const char* mnemonic;
  OperandKind a, b, c;
};
const OpcodeInfo& opcode_info(Opcode op);

struct Instr {
  Opcode op = Opcode::Const;
  std::uint32_t a = 0, b = 0, c = 0;
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> members;
  std::vector<std::string> labels;  // one per member: the words the report uses ("" when none)
};

enum class DefaultKind : std::uint8_t { None = 0, Constant = 1, Today = 2 };

// A fact of the case; fact i lives in slot i.
struct FactInfo {
  std::string name;      // dotted: "confident.fonction"
  Type type;
  DefaultKind default_kind = DefaultKind::None;
  Value default_value;   // when default_kind == Constant
  std::string question;  // asked when the fact is missing; may be empty
};

enum class OutputKind : std::uint8_t { Scalar = 0, Set = 1 };

struct OutputInfo {
  std::string name;
  OutputKind kind = OutputKind::Scalar;
  std::uint32_t enum_id = 0;
  bool has_default = false;
  std::uint32_t default_member = 0;  // scalar outputs with a default
};

struct Effect {
  std::uint32_t output = 0;
  std::uint64_t value = 0;  // scalar: member index; set: mask of members added
};

struct RuleInfo {
  std::string name;
  std::string title;
  std::string cite;
  std::string because;
  std::string note;                    // shown with the grounds when the rule decides (disagreements)
  std::optional<std::int64_t> valid_from;   // days; the rule applies from this day
  std::optional<std::int64_t> valid_until;  // days; the rule no longer applies from this day
  std::string validity_reason;         // "annulée par C.C., arrêt 44/2019"
  std::vector<Effect> effects;
  std::vector<std::uint32_t> overrides;   // rules this one overrides directly, as written
  std::vector<std::uint32_t> overriders;  // every rule that overrides this one, transitively
  std::vector<std::uint32_t> facts_read;  // fact slots the condition reads, through definitions too
  std::string source_file;             // where the rule was written, for the report
  std::uint32_t source_line = 0;
};

// Slot 0..facts.size()-1 are the facts; the rest are definitions and temporaries.
struct Program {
  std::string name;
  std::string version;
  std::uint64_t source_hash = 0;
  std::vector<std::string> strings;  // interned string constants; a string value is an index here
  std::vector<EnumInfo> enums;
  std::vector<FactInfo> facts;
  std::vector<OutputInfo> outputs;
  std::vector<RuleInfo> rules;
  std::vector<Type> slot_types;      // one per slot; the first facts.size() are the facts' types
  std::vector<std::string> slot_names;  // definitions' names for the disassembler; "" for temporaries
  std::vector<Value> constants;
  std::vector<Type> constant_types;
  std::vector<Instr> code;

  [[nodiscard]] std::optional<std::uint32_t> find_fact(std::string_view n) const;
  [[nodiscard]] std::optional<std::uint32_t> find_output(std::string_view n) const;
  [[nodiscard]] std::optional<std::uint32_t> find_rule(std::string_view n) const;
  [[nodiscard]] std::optional<std::uint32_t> find_member(std::uint32_t enum_id, std::string_view n) const;
  [[nodiscard]] std::string type_name(Type t) const;
  // A value of type t as the case file would write it.
  [[nodiscard]] std::string format_value(Type t, const Value& v) const;
};

}  // namespace secretc
