// The verifier (see verify.hpp): every table, then every instruction's operands, types, definite
// assignment and the order of fire/resolve/loadout. A program that passes cannot make the VM read or
// write out of bounds, use a value at the wrong type, or run a rule before what it needs.
#include "runtime/verify.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "runtime/bytecode.hpp"

namespace secretc {

namespace bytecode_internal {

namespace {

// The dates a date value may hold: what parse_date accepts, so that every date can be printed back.
const std::int64_t kFirstDay = days_from_civil(1, 1, 1);
const std::int64_t kLastDay = days_from_civil(9999, 12, 31);

bool is_enum_kind(TypeKind k) {
  return k == TypeKind::Enum || k == TypeKind::Set;
}

// Every bit of a set over an enumeration of `members` members.
std::uint64_t member_mask(std::size_t members) {
  return members >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << members) - 1;
}

class Verifier {
 public:
  explicit Verifier(const Program& p) : p_(p) {
    first_proviso_.reserve(p.rules.size() + 1);
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      first_proviso_.push_back(proviso_rule_.size());
      proviso_rule_.insert(proviso_rule_.end(), p.rules[r].provisos.size(), r);
    }
    first_proviso_.push_back(proviso_rule_.size());
  }

  std::optional<Problem> run() {
    if (check_enums() && check_facts() && check_outputs() && check_rules() && check_slots() && check_constants()) {
      check_code();
    }
    return problem_;
  }

 private:
  // `detail`: catalogue messages, outermost first (nested_text).
  bool fail(Section section, std::size_t entry, std::vector<Message> detail) {
    problem_ = Problem{section, entry, std::move(detail)};
    return false;
  }

  // A byte offset or a bit set as messages write it: 0x1c.
  static std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

  // Why t names no type of this program, or nothing.
  [[nodiscard]] std::optional<Message> invalid_type(Type t) const {
    if (static_cast<std::uint8_t>(t.kind) > static_cast<std::uint8_t>(TypeKind::Set)) {
      return msg(Msg::VerifyNoSuchTypeKind, static_cast<unsigned>(t.kind));
    }
    if (is_enum_kind(t.kind)) {
      if (t.enum_id >= p_.enums.size()) return msg(Msg::VerifyTypeEnumOutOfRange, t.enum_id, p_.enums.size());
    } else if (t.enum_id != 0) {
      // Type equality compares enum_id too: a stray id would make equal types differ.
      return msg(Msg::VerifyTypeStrayEnum, p_.type_name(t), t.enum_id);
    }
    return std::nullopt;
  }

  // Why v is not a known value of the valid type t, or nothing. Dates and articles must print back.
  [[nodiscard]] std::optional<Message> invalid_value(Type t, const Value& v) const {
    if (!v.known) return msg(Msg::VerifyValueUnknown);
    const std::int64_t x = v.payload;
    switch (t.kind) {
      case TypeKind::Bool:
        if (x != 0 && x != 1) return msg(Msg::VerifyValueNotBool, x);
        return std::nullopt;
      case TypeKind::Integer:
        return std::nullopt;
      case TypeKind::Date:
        if (x < kFirstDay || x > kLastDay) return msg(Msg::VerifyValueDateOutOfRange, x);
        return std::nullopt;
      case TypeKind::String:
        if (x < 0 || static_cast<std::uint64_t>(x) >= p_.strings.size()) {
          return msg(Msg::VerifyValueNoSuchString, x, p_.strings.size());
        }
        return std::nullopt;
      case TypeKind::Article:
        if (x < 0 || parse_article(format_article(x)) != x) return msg(Msg::VerifyValueNotArticle, x);
        return std::nullopt;
      case TypeKind::Enum: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if (x < 0 || static_cast<std::uint64_t>(x) >= e.members.size()) {
          return msg(Msg::VerifyValueNoSuchMember, x, e.name, e.members.size());
        }
        return std::nullopt;
      }
      case TypeKind::Set: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if ((static_cast<std::uint64_t>(x) & ~member_mask(e.members.size())) != 0) {
          return msg(Msg::VerifyValueSetBits, hex(static_cast<std::uint64_t>(x)), e.members.size(), e.name);
        }
        return std::nullopt;
      }
    }
    return msg(Msg::VerifyUnreachableTypeKind);
  }

  bool check_enums() {
    for (std::size_t i = 0; i < p_.enums.size(); ++i) {
      const EnumInfo& e = p_.enums[i];
      const std::size_t n = e.members.size();
      if (n == 0 || n > kMaxEnumMembers) {
        return fail(Section::Enums, i, {msg(Msg::VerifyEnumMemberCount, i, e.name, n, kMaxEnumMembers)});
      }
      // Labels are one per member, or absent altogether (a program built without a report in mind).
      if (!e.labels.empty() && e.labels.size() != n) {
        return fail(Section::Enums, i, {msg(Msg::VerifyEnumLabelCount, i, e.name, e.labels.size(), n)});
      }
      if (!e.labels_tr.empty() && e.labels_tr.size() != n) {
        return fail(Section::Enums, i, {msg(Msg::VerifyEnumTranslatedLabelCount, i, e.name, e.labels_tr.size(), n)});
      }
      if (e.lang != TextLang::French && e.lang != TextLang::English) {
        return fail(Section::Enums, i,
                    {msg(Msg::VerifyInEnum, i, e.name), msg(Msg::VerifyNoSuchLanguage, static_cast<unsigned>(e.lang))});
      }
      if (!e.synonyms.empty() && e.synonyms.size() != n) {
        return fail(Section::Enums, i, {msg(Msg::VerifyEnumSynonymListCount, i, e.name, e.synonyms.size(), n)});
      }
    }
    return true;
  }

  bool check_facts() {
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      const FactInfo& f = p_.facts[i];
      if (std::optional<Message> why = invalid_type(f.type)) {
        return fail(Section::Facts, i, {msg(Msg::VerifyInFact, i, f.name), std::move(*why)});
      }
      if (f.lang != TextLang::French && f.lang != TextLang::English) {
        return fail(Section::Facts, i,
                    {msg(Msg::VerifyInFact, i, f.name), msg(Msg::VerifyNoSuchLanguage, static_cast<unsigned>(f.lang))});
      }
      switch (f.default_kind) {
        case DefaultKind::None:
          break;
        case DefaultKind::Constant:
          if (std::optional<Message> why = invalid_value(f.type, f.default_value)) {
            return fail(Section::Facts, i,
                        {msg(Msg::VerifyInFact, i, f.name), msg(Msg::VerifyInvalidDefault), std::move(*why)});
          }
          break;
        case DefaultKind::Today:
          if (f.type.kind != TypeKind::Date) {
            return fail(Section::Facts, i, {msg(Msg::VerifyFactTodayNotDate, i, f.name, p_.type_name(f.type))});
          }
          break;
        default:
          return fail(Section::Facts, i,
                      {msg(Msg::VerifyInFact, i, f.name),
                       msg(Msg::VerifyNoSuchDefaultKind, static_cast<unsigned>(f.default_kind))});
      }
    }
    for (const ThemeInfo& t : p_.themes) {
      if (t.lang != TextLang::French && t.lang != TextLang::English) {
        return fail(Section::Facts, Problem::kWholeSection,
                    {msg(Msg::VerifyInTheme, t.name), msg(Msg::VerifyNoSuchLanguage, static_cast<unsigned>(t.lang))});
      }
    }
    if (p_.date_fact) {
      const std::uint32_t d = *p_.date_fact;
      if (d >= p_.facts.size()) {
        return fail(Section::Meta, Problem::kWholeSection, {msg(Msg::VerifyDateFactOutOfRange, d, p_.facts.size())});
      }
      if (p_.facts[d].type.kind != TypeKind::Date) {
        return fail(Section::Meta, Problem::kWholeSection,
                    {msg(Msg::VerifyDateFactNotDate, p_.facts[d].name, p_.type_name(p_.facts[d].type))});
      }
    }
    if (p_.law_as_of && (*p_.law_as_of < kFirstDay || *p_.law_as_of > kLastDay)) {
      return fail(Section::Meta, Problem::kWholeSection, {msg(Msg::VerifyLawAsOfOutOfRange, *p_.law_as_of)});
    }
    return true;
  }

  bool check_outputs() {
    for (std::size_t i = 0; i < p_.outputs.size(); ++i) {
      const OutputInfo& o = p_.outputs[i];
      if (o.kind != OutputKind::Scalar && o.kind != OutputKind::Set) {
        return fail(
            Section::Outputs, i,
            {msg(Msg::VerifyInOutput, i, o.name), msg(Msg::VerifyNoSuchOutputKind, static_cast<unsigned>(o.kind))});
      }
      if (o.enum_id >= p_.enums.size()) {
        return fail(Section::Outputs, i, {msg(Msg::VerifyOutputEnumOutOfRange, i, o.name, o.enum_id, p_.enums.size())});
      }
      if (o.has_default && o.kind == OutputKind::Set) {
        return fail(Section::Outputs, i, {msg(Msg::VerifySetOutputDefault, i, o.name)});
      }
      const EnumInfo& e = p_.enums[o.enum_id];
      if (o.has_default && o.default_member >= e.members.size()) {
        return fail(Section::Outputs, i,
                    {msg(Msg::VerifyOutputDefaultOutOfRange, i, o.name, o.default_member, e.name, e.members.size())});
      }
      if (!o.doubt.empty() && o.kind == OutputKind::Set) {
        return fail(Section::Outputs, i, {msg(Msg::VerifySetOutputDoubt, i, o.name)});
      }
      std::uint64_t seen = 0;
      for (const std::uint32_t m : o.doubt) {
        if (m >= e.members.size()) {
          return fail(Section::Outputs, i, {msg(Msg::VerifyDoubtOutOfRange, i, o.name, m, e.name, e.members.size())});
        }
        if (((seen >> m) & 1U) != 0) {
          return fail(Section::Outputs, i, {msg(Msg::VerifyDoubtTwice, i, o.name, m)});
        }
        seen |= std::uint64_t{1} << m;
      }
    }
    return true;
  }

  // `why`: the message saying that rule `rule` names entry x of a table of `limit` entries.
  bool check_index_list(std::size_t rule, const std::vector<std::uint32_t>& list, Msg why, std::size_t limit) {
    for (const std::uint32_t x : list) {
      if (x >= limit) return fail(Section::Rules, rule, {msg(why, rule, x, limit)});
    }
    return true;
  }

  bool check_rules() {
    const std::size_t rules = p_.rules.size();
    for (std::size_t i = 0; i < rules; ++i) {
      const RuleInfo& r = p_.rules[i];
      if (r.lang != TextLang::French && r.lang != TextLang::English) {
        return fail(Section::Rules, i,
                    {msg(Msg::VerifyInRule, i, r.name), msg(Msg::VerifyNoSuchLanguage, static_cast<unsigned>(r.lang))});
      }
      if (r.kind != RuleKind::Rule && r.kind != RuleKind::Warning) {
        return fail(Section::Rules, i,
                    {msg(Msg::VerifyInRule, i, r.name), msg(Msg::VerifyNoSuchRuleKind, static_cast<unsigned>(r.kind))});
      }
      if (r.kind == RuleKind::Warning &&
          (!r.effects.empty() || !r.overrides.empty() || !r.overriders.empty() || !r.provisos.empty())) {
        return fail(Section::Rules, i, {msg(Msg::VerifyWarningWithEffects, i, r.name)});
      }
      if ((r.valid_from || r.valid_until) && !p_.date_fact) {
        return fail(Section::Rules, i, {msg(Msg::VerifyValidityWithoutDateFact, i, r.name)});
      }
      for (const ProvisoInfo& k : r.provisos) {
        if (!check_index_list(i, k.facts_read, Msg::VerifyProvisoReadsOutOfRange, p_.facts.size())) return false;
      }
      for (std::size_t k = 0; k < r.effects.size(); ++k) {
        const Effect& e = r.effects[k];
        if (e.output >= p_.outputs.size()) {
          return fail(Section::Rules, i,
                      {msg(Msg::VerifyInRule, i, r.name),
                       msg(Msg::VerifyEffectOutputOutOfRange, k, e.output, p_.outputs.size())});
        }
        const OutputInfo& o = p_.outputs[e.output];
        const EnumInfo& en = p_.enums[o.enum_id];
        if (o.kind == OutputKind::Scalar && e.value >= en.members.size()) {
          return fail(Section::Rules, i,
                      {msg(Msg::VerifyInRule, i, r.name),
                       msg(Msg::VerifyEffectMemberOutOfRange, k, o.name, e.value, en.name, en.members.size())});
        }
        if (o.kind == OutputKind::Set && (e.value == 0 || (e.value & ~member_mask(en.members.size())) != 0)) {
          return fail(Section::Rules, i,
                      {msg(Msg::VerifyInRule, i, r.name),
                       msg(Msg::VerifyEffectBadSet, k, hex(e.value), o.name, en.members.size(), en.name)});
        }
      }
      if (!check_index_list(i, r.overrides, Msg::VerifyOverridesOutOfRange, rules) ||
          !check_index_list(i, r.overriders, Msg::VerifyOverriddenByOutOfRange, rules) ||
          !check_index_list(i, r.facts_read, Msg::VerifyReadsOutOfRange, p_.facts.size())) {
        return false;
      }
      for (const std::uint32_t s : r.overrides) {
        if (p_.rules[s].kind == RuleKind::Warning) {
          return fail(Section::Rules, i, {msg(Msg::VerifyOverridesWarning, i, r.name, s, p_.rules[s].name)});
        }
      }
      for (const std::uint32_t s : r.overriders) {
        if (s == i) {
          return fail(Section::Rules, i, {msg(Msg::VerifyOwnOverrider, i, r.name)});
        }
      }
      for (const auto& [bound, label] :
           {std::pair{r.valid_from, "valid_from"}, std::pair{r.valid_until, "valid_until"}}) {
        if (bound && (*bound < kFirstDay || *bound > kLastDay)) {
          return fail(Section::Rules, i,
                      {msg(Msg::VerifyInRule, i, r.name), msg(Msg::VerifyValidityBoundOutOfRange, label, *bound)});
        }
      }
    }
    return true;
  }

  bool check_slots() {
    const std::size_t slots = p_.slot_types.size();
    if (slots < p_.facts.size()) {
      return fail(Section::Slots, Problem::kWholeSection,
                  {msg(Msg::VerifyFewerSlotsThanFacts, slots, p_.facts.size())});
    }
    if (p_.slot_names.size() != slots) {
      return fail(Section::Slots, Problem::kWholeSection, {msg(Msg::VerifySlotNameCount, p_.slot_names.size(), slots)});
    }
    for (std::size_t i = 0; i < slots; ++i) {
      if (std::optional<Message> why = invalid_type(p_.slot_types[i])) {
        return fail(Section::Slots, i, {msg(Msg::BytecodeInSlot, i), std::move(*why)});
      }
    }
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      if (p_.slot_types[i] != p_.facts[i].type) {
        return fail(Section::Slots, i,
                    {msg(Msg::VerifySlotFactType, i, p_.type_name(p_.slot_types[i]), p_.facts[i].name,
                         p_.type_name(p_.facts[i].type))});
      }
    }
    return true;
  }

  bool check_constants() {
    if (p_.constant_types.size() != p_.constants.size()) {
      return fail(Section::Constants, Problem::kWholeSection,
                  {msg(Msg::VerifyConstantTypeCount, p_.constant_types.size(), p_.constants.size())});
    }
    for (std::size_t i = 0; i < p_.constants.size(); ++i) {
      const Type t = p_.constant_types[i];
      if (std::optional<Message> why = invalid_type(t)) {
        return fail(Section::Constants, i, {msg(Msg::BytecodeInConstant, i), std::move(*why)});
      }
      if (std::optional<Message> why = invalid_value(t, p_.constants[i])) {
        return fail(Section::Constants, i, {msg(Msg::VerifyInConstantOfType, i, p_.type_name(t)), std::move(*why)});
      }
    }
    return true;
  }

  // --- code: operands, types, definite assignment, and the order of fire/resolve/loadout ---

  static constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

  bool fail_at(std::size_t instr, Message what) {
    return fail(Section::Code, instr,
                {msg(Msg::VerifyInInstruction, instr, opcode_info(p_.code[instr].op).mnemonic), std::move(what)});
  }

  // A slot's type, as the messages write it after the slot's number: `slot {0} ({1})`.
  [[nodiscard]] std::string slot_type(std::uint32_t slot) const { return p_.type_name(p_.slot_types[slot]); }

  bool check_operand(std::size_t i, char letter, OperandKind kind, std::uint32_t x,
                     const std::vector<std::uint8_t>& written) {
    const std::size_t slots = p_.slot_types.size();
    switch (kind) {
      case OperandKind::NONE:
        if (x != 0) return fail_at(i, msg(Msg::VerifyOperandUnused, letter, x));
        return true;
      case OperandKind::DST:
        if (x >= slots) {
          return fail_at(i, msg(Msg::VerifyOperandWritesOutOfRange, letter, x, slots));
        }
        if (x < p_.facts.size()) {
          return fail_at(i, msg(Msg::VerifyOperandWritesFact, letter, x, p_.facts[x].name));
        }
        return true;
      case OperandKind::SRC:
        if (x >= slots) {
          return fail_at(i, msg(Msg::VerifyOperandReadsOutOfRange, letter, x, slots));
        }
        if (written[x] == 0) {
          return fail_at(i, msg(Msg::VerifyOperandReadsUnwritten, letter, x));
        }
        return true;
      case OperandKind::CONST:
        if (x >= p_.constants.size()) {
          return fail_at(i, msg(Msg::VerifyOperandConstantOutOfRange, letter, x, p_.constants.size()));
        }
        return true;
      case OperandKind::RULE:
        if (x >= p_.rules.size()) {
          return fail_at(i, msg(Msg::VerifyOperandRuleOutOfRange, letter, x, p_.rules.size()));
        }
        return true;
      case OperandKind::OUTPUT:
        if (x >= p_.outputs.size()) {
          return fail_at(i, msg(Msg::VerifyOperandOutputOutOfRange, letter, x, p_.outputs.size()));
        }
        return true;
      case OperandKind::PROVISO:
        if (x >= proviso_rule_.size()) {
          return fail_at(i, msg(Msg::VerifyOperandProvisoOutOfRange, letter, x, proviso_rule_.size()));
        }
        return true;
    }
    return fail_at(i, msg(Msg::VerifyOperandUnknownKind, letter));
  }

  bool expect_type(std::size_t i, char letter, std::uint32_t slot, Type expected) {
    if (p_.slot_types[slot] == expected) return true;
    return fail_at(i, msg(Msg::VerifyOperandWrongType, letter, slot, slot_type(slot), p_.type_name(expected)));
  }

  // The types an instruction needs; its operands are in range by now.
  bool check_types(std::size_t i, const Instr& in) {
    constexpr Type kBool{TypeKind::Bool, 0};
    const auto& types = p_.slot_types;
    switch (in.op) {
      case Opcode::Const:
        if (types[in.a] != p_.constant_types[in.b]) {
          return fail_at(
              i, msg(Msg::VerifyConstTypeMismatch, in.a, slot_type(in.a), in.b, p_.type_name(p_.constant_types[in.b])));
        }
        return true;
      case Opcode::Move:
        if (types[in.a] != types[in.b]) {
          return fail_at(i, msg(Msg::VerifyMoveTypeMismatch, in.a, slot_type(in.a), in.b, slot_type(in.b)));
        }
        return true;
      case Opcode::Not:
        return expect_type(i, 'B', in.b, kBool) && expect_type(i, 'A', in.a, kBool);
      case Opcode::And:
      case Opcode::Or:
        return expect_type(i, 'B', in.b, kBool) && expect_type(i, 'C', in.c, kBool) && expect_type(i, 'A', in.a, kBool);
      case Opcode::Eq:
      case Opcode::Ne:
        if (types[in.b] != types[in.c]) {
          return fail_at(i, msg(Msg::VerifyCompareTypeMismatch, in.b, slot_type(in.b), in.c, slot_type(in.c)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        if (types[in.b] != types[in.c]) {
          return fail_at(i, msg(Msg::VerifyCompareTypeMismatch, in.b, slot_type(in.b), in.c, slot_type(in.c)));
        }
        if (!types[in.b].ordered()) {
          return fail_at(i, msg(Msg::VerifyNotOrdered, in.b, slot_type(in.b)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::In:
        if (types[in.b].kind != TypeKind::Enum) {
          return fail_at(i, msg(Msg::VerifyInNeedsMember, in.b, slot_type(in.b)));
        }
        return expect_type(i, 'C', in.c, Type{TypeKind::Set, types[in.b].enum_id}) && expect_type(i, 'A', in.a, kBool);
      case Opcode::Known:
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::Proviso:
      case Opcode::Fire:
        return expect_type(i, 'B', in.b, kBool);
      case Opcode::Resolve:
        return true;
      case Opcode::LoadOutput: {
        const OutputInfo& o = p_.outputs[in.b];
        const Type t{o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id};
        return expect_type(i, 'A', in.a, t);
      }
      case Opcode::Count_:
        break;
    }
    return fail_at(i, msg(Msg::VerifyNoSuchOpcode));
  }

  bool check_code() {
    const std::size_t slots = p_.slot_types.size();
    std::vector<std::uint8_t> written(slots, 0);
    std::fill(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(p_.facts.size()), 1);
    std::vector<std::size_t> fired_at(p_.rules.size(), kNever);
    std::vector<std::size_t> proviso_at(proviso_rule_.size(), kNever);
    std::vector<std::size_t> resolved_at(p_.outputs.size(), kNever);
    std::vector<std::uint8_t> ready_at(p_.rules.size(), 0);  // see check_resolve
    std::vector<std::vector<std::uint32_t>> writers(p_.outputs.size());
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      for (const Effect& e : p_.rules[r].effects) {
        auto& w = writers[e.output];
        if (w.empty() || w.back() != r) w.push_back(r);
      }
    }

    for (std::size_t i = 0; i < p_.code.size(); ++i) {
      const Instr& in = p_.code[i];
      if (static_cast<std::uint32_t>(in.op) >= static_cast<std::uint32_t>(Opcode::Count_)) {
        return fail(Section::Code, i,
                    {msg(Msg::BytecodeInInstruction, i), msg(Msg::BytecodeUnknownOpcode, static_cast<unsigned>(in.op),
                                                             static_cast<unsigned>(Opcode::Count_))});
      }
      const OpcodeInfo& info = opcode_info(in.op);
      if (!check_operand(i, 'A', info.a, in.a, written) || !check_operand(i, 'B', info.b, in.b, written) ||
          !check_operand(i, 'C', info.c, in.c, written) || !check_types(i, in)) {
        return false;
      }
      switch (in.op) {
        case Opcode::Proviso: {
          const std::uint32_t rule = proviso_rule_[in.a];
          if (proviso_at[in.a] != kNever) {
            return fail_at(i, msg(Msg::VerifyProvisoTwice, in.a, proviso_at[in.a]));
          }
          if (fired_at[rule] != kNever) {
            return fail_at(i, msg(Msg::VerifyProvisoAfterFire, in.a, rule, p_.rules[rule].name, fired_at[rule]));
          }
          proviso_at[in.a] = i;
          break;
        }
        case Opcode::Fire:
          if (fired_at[in.a] != kNever) {
            return fail_at(i, msg(Msg::VerifyFiresTwice, in.a, p_.rules[in.a].name, fired_at[in.a]));
          }
          for (std::size_t k = first_proviso_[in.a]; k < first_proviso_[in.a + 1]; ++k) {
            if (proviso_at[k] == kNever) {
              return fail_at(i, msg(Msg::VerifyFiresBeforeProviso, in.a, p_.rules[in.a].name, k));
            }
          }
          fired_at[in.a] = i;
          break;
        case Opcode::Resolve:
          if (!check_resolve(i, in.a, writers[in.a], fired_at, ready_at)) return false;
          if (resolved_at[in.a] != kNever) {
            return fail_at(i, msg(Msg::VerifyResolvedTwice, in.a, p_.outputs[in.a].name, resolved_at[in.a]));
          }
          resolved_at[in.a] = i;
          break;
        case Opcode::LoadOutput:
          if (resolved_at[in.b] == kNever) {
            return fail_at(i, msg(Msg::VerifyLoadBeforeResolve, in.b, p_.outputs[in.b].name));
          }
          break;
        default:
          break;
      }
      if (info.a == OperandKind::DST) written[in.a] = 1;
    }

    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      if (fired_at[r] == kNever) {
        return fail(Section::Code, p_.code.size(), {msg(Msg::VerifyNeverFires, r, p_.rules[r].name)});
      }
    }
    for (std::size_t o = 0; o < p_.outputs.size(); ++o) {
      if (resolved_at[o] == kNever) {
        return fail(Section::Code, p_.code.size(), {msg(Msg::VerifyNeverResolved, o, p_.outputs[o].name)});
      }
    }
    return true;
  }

  // Resolving reads the condition of every rule writing the output and of every rule overriding one of them.
  // Once a rule and all its overriders have fired, that stays true: `ready` remembers it, so that each
  // rule's overriders are looked at once, not once per output it writes (a crafted file could otherwise
  // make this quadratic).
  bool check_resolve(std::size_t i, std::uint32_t output, const std::vector<std::uint32_t>& writers,
                     const std::vector<std::size_t>& fired_at, std::vector<std::uint8_t>& ready) {
    const std::string& name = p_.outputs[output].name;
    for (const std::uint32_t w : writers) {
      if (ready[w] != 0) continue;
      if (fired_at[w] == kNever) {
        return fail_at(i, msg(Msg::VerifyResolvedBeforeWriter, output, name, w, p_.rules[w].name));
      }
      for (const std::uint32_t s : p_.rules[w].overriders) {
        if (fired_at[s] == kNever) {
          return fail_at(
              i, msg(Msg::VerifyResolvedBeforeOverrider, output, name, s, p_.rules[s].name, w, p_.rules[w].name));
        }
      }
      ready[w] = 1;
    }
    return true;
  }

  const Program& p_;
  std::vector<std::uint32_t> proviso_rule_;  // per proviso (program-wide numbers): its rule
  std::vector<std::size_t> first_proviso_;   // per rule, then one past the last
  std::optional<Problem> problem_;
};

}  // namespace

std::optional<Problem> find_problem(const Program& program) {
  return Verifier(program).run();
}

}  // namespace bytecode_internal

std::vector<Message> verify_program_detail(const Program& program) {
  std::optional<bytecode_internal::Problem> problem = bytecode_internal::find_problem(program);
  return problem ? std::move(problem->detail) : std::vector<Message>();
}

std::string verify_program(const Program& program) {
  return nested_text(verify_program_detail(program), TextLang::English);
}

}  // namespace secretc
