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
  bool fail(Section section, std::size_t entry, std::string message) {
    problem_ = Problem{section, entry, std::move(message)};
    return false;
  }

  // Why t names no type of this program, or empty.
  [[nodiscard]] std::string invalid_type(Type t) const {
    if (static_cast<std::uint8_t>(t.kind) > static_cast<std::uint8_t>(TypeKind::Set)) {
      return fmt::format("type kind {} does not exist", static_cast<unsigned>(t.kind));
    }
    if (is_enum_kind(t.kind)) {
      if (t.enum_id >= p_.enums.size()) {
        return fmt::format("the type names enum {}, but there are only {} enums", t.enum_id, p_.enums.size());
      }
    } else if (t.enum_id != 0) {
      // Type equality compares enum_id too: a stray id would make equal types differ.
      return fmt::format("the {} type carries enum {}; only enum and set types name an enum", p_.type_name(t),
                         t.enum_id);
    }
    return {};
  }

  // Why v is not a known value of the valid type t, or empty. Dates and articles must print back.
  [[nodiscard]] std::string invalid_value(Type t, const Value& v) const {
    if (!v.known) return "the value is unknown";
    const std::int64_t x = v.payload;
    switch (t.kind) {
      case TypeKind::Bool:
        if (x != 0 && x != 1) return fmt::format("{} is not a bool (0 or 1)", x);
        return {};
      case TypeKind::Integer:
        return {};
      case TypeKind::Date:
        if (x < kFirstDay || x > kLastDay) return fmt::format("day {} is outside 0001-01-01 .. 9999-12-31", x);
        return {};
      case TypeKind::String:
        if (x < 0 || static_cast<std::uint64_t>(x) >= p_.strings.size()) {
          return fmt::format("string {} does not exist (there are {} strings)", x, p_.strings.size());
        }
        return {};
      case TypeKind::Article:
        if (x < 0 || parse_article(format_article(x)) != x) return fmt::format("{} encodes no article number", x);
        return {};
      case TypeKind::Enum: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if (x < 0 || static_cast<std::uint64_t>(x) >= e.members.size()) {
          return fmt::format("member {} does not exist: enum `{}` has {} members", x, e.name, e.members.size());
        }
        return {};
      }
      case TypeKind::Set: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if ((static_cast<std::uint64_t>(x) & ~member_mask(e.members.size())) != 0) {
          return fmt::format("the set {:#x} has bits beyond the {} members of enum `{}`", static_cast<std::uint64_t>(x),
                             e.members.size(), e.name);
        }
        return {};
      }
    }
    return "unreachable type kind";
  }

  bool check_enums() {
    for (std::size_t i = 0; i < p_.enums.size(); ++i) {
      const EnumInfo& e = p_.enums[i];
      const std::size_t n = e.members.size();
      if (n == 0 || n > kMaxEnumMembers) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} members; an enum has 1 to {}", i, e.name, n, kMaxEnumMembers));
      }
      // Labels are one per member, or absent altogether (a program built without a report in mind).
      if (!e.labels.empty() && e.labels.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} labels for {} members; it needs one per member or none", i,
                                e.name, e.labels.size(), n));
      }
      if (!e.labels_tr.empty() && e.labels_tr.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} translated labels for {} members; it needs one per member or "
                                "none",
                                i, e.name, e.labels_tr.size(), n));
      }
      if (e.lang != TextLang::French && e.lang != TextLang::English) {
        return fail(
            Section::Enums, i,
            fmt::format("enum {} (`{}`): language {} does not exist", i, e.name, static_cast<unsigned>(e.lang)));
      }
      if (!e.synonyms.empty() && e.synonyms.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} synonym lists for {} members; it needs one per member or none",
                                i, e.name, e.synonyms.size(), n));
      }
    }
    return true;
  }

  bool check_facts() {
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      const FactInfo& f = p_.facts[i];
      if (const std::string why = invalid_type(f.type); !why.empty()) {
        return fail(Section::Facts, i, fmt::format("fact {} (`{}`): {}", i, f.name, why));
      }
      if (f.lang != TextLang::French && f.lang != TextLang::English) {
        return fail(
            Section::Facts, i,
            fmt::format("fact {} (`{}`): language {} does not exist", i, f.name, static_cast<unsigned>(f.lang)));
      }
      switch (f.default_kind) {
        case DefaultKind::None:
          break;
        case DefaultKind::Constant:
          if (const std::string why = invalid_value(f.type, f.default_value); !why.empty()) {
            return fail(Section::Facts, i, fmt::format("fact {} (`{}`): invalid default: {}", i, f.name, why));
          }
          break;
        case DefaultKind::Today:
          if (f.type.kind != TypeKind::Date) {
            return fail(Section::Facts, i,
                        fmt::format("fact {} (`{}`) defaults to today, but its type is {}, not date", i, f.name,
                                    p_.type_name(f.type)));
          }
          break;
        default:
          return fail(Section::Facts, i,
                      fmt::format("fact {} (`{}`): default kind {} does not exist", i, f.name,
                                  static_cast<unsigned>(f.default_kind)));
      }
    }
    for (const ThemeInfo& t : p_.themes) {
      if (t.lang != TextLang::French && t.lang != TextLang::English) {
        return fail(Section::Facts, Problem::kWholeSection,
                    fmt::format("theme `{}`: language {} does not exist", t.name, static_cast<unsigned>(t.lang)));
      }
    }
    if (p_.date_fact) {
      const std::uint32_t d = *p_.date_fact;
      if (d >= p_.facts.size()) {
        return fail(Section::Meta, Problem::kWholeSection,
                    fmt::format("the date fact is fact {}, but there are only {} facts", d, p_.facts.size()));
      }
      if (p_.facts[d].type.kind != TypeKind::Date) {
        return fail(Section::Meta, Problem::kWholeSection,
                    fmt::format("the date fact is `{}`, of type {}, not date", p_.facts[d].name,
                                p_.type_name(p_.facts[d].type)));
      }
    }
    if (p_.law_as_of && (*p_.law_as_of < kFirstDay || *p_.law_as_of > kLastDay)) {
      return fail(Section::Meta, Problem::kWholeSection,
                  fmt::format("the rulebase is up to date on day {}, outside 0001-01-01 .. 9999-12-31", *p_.law_as_of));
    }
    return true;
  }

  bool check_outputs() {
    for (std::size_t i = 0; i < p_.outputs.size(); ++i) {
      const OutputInfo& o = p_.outputs[i];
      if (o.kind != OutputKind::Scalar && o.kind != OutputKind::Set) {
        return fail(
            Section::Outputs, i,
            fmt::format("output {} (`{}`): output kind {} does not exist", i, o.name, static_cast<unsigned>(o.kind)));
      }
      if (o.enum_id >= p_.enums.size()) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) takes its values from enum {}, but there are only {} enums", i,
                                o.name, o.enum_id, p_.enums.size()));
      }
      if (o.has_default && o.kind == OutputKind::Set) {
        return fail(
            Section::Outputs, i,
            fmt::format("output {} (`{}`) is a set and has a default; only scalar outputs have one", i, o.name));
      }
      const EnumInfo& e = p_.enums[o.enum_id];
      if (o.has_default && o.default_member >= e.members.size()) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) defaults to member {}, but enum `{}` has {} members", i, o.name,
                                o.default_member, e.name, e.members.size()));
      }
      if (!o.doubt.empty() && o.kind == OutputKind::Set) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) is a set and has members in doubt; only scalar outputs have them", i,
                                o.name));
      }
      std::uint64_t seen = 0;
      for (const std::uint32_t m : o.doubt) {
        if (m >= e.members.size()) {
          return fail(Section::Outputs, i,
                      fmt::format("output {} (`{}`) names member {} in doubt, but enum `{}` has {} members", i, o.name,
                                  m, e.name, e.members.size()));
        }
        if (((seen >> m) & 1U) != 0) {
          return fail(Section::Outputs, i,
                      fmt::format("output {} (`{}`) names member {} in doubt twice", i, o.name, m));
        }
        seen |= std::uint64_t{1} << m;
      }
    }
    return true;
  }

  bool check_index_list(std::size_t rule, const std::vector<std::uint32_t>& list, std::string_view verb,
                        std::string_view what, std::size_t limit) {
    for (const std::uint32_t x : list) {
      if (x >= limit) {
        return fail(Section::Rules, rule,
                    fmt::format("rule {} {} {} {}, but there are only {} {}s", rule, verb, what, x, limit, what));
      }
    }
    return true;
  }

  bool check_rules() {
    const std::size_t rules = p_.rules.size();
    for (std::size_t i = 0; i < rules; ++i) {
      const RuleInfo& r = p_.rules[i];
      if (r.lang != TextLang::French && r.lang != TextLang::English) {
        return fail(
            Section::Rules, i,
            fmt::format("rule {} (`{}`): language {} does not exist", i, r.name, static_cast<unsigned>(r.lang)));
      }
      if (r.kind != RuleKind::Rule && r.kind != RuleKind::Warning) {
        return fail(
            Section::Rules, i,
            fmt::format("rule {} (`{}`): rule kind {} does not exist", i, r.name, static_cast<unsigned>(r.kind)));
      }
      if (r.kind == RuleKind::Warning &&
          (!r.effects.empty() || !r.overrides.empty() || !r.overriders.empty() || !r.provisos.empty())) {
        return fail(
            Section::Rules, i,
            fmt::format("rule {} (`{}`) is a warning, which has no effects, overrides nothing, is overridden by "
                        "nothing and has no proviso",
                        i, r.name));
      }
      if ((r.valid_from || r.valid_until) && !p_.date_fact) {
        return fail(Section::Rules, i,
                    fmt::format("rule {} (`{}`) has a validity period, but the program has no date fact", i, r.name));
      }
      for (const ProvisoInfo& k : r.provisos) {
        if (!check_index_list(i, k.facts_read, "has a proviso that reads", "fact", p_.facts.size())) return false;
      }
      for (std::size_t k = 0; k < r.effects.size(); ++k) {
        const Effect& e = r.effects[k];
        if (e.output >= p_.outputs.size()) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} sets output {}, but there are only {} outputs", i, r.name,
                                  k, e.output, p_.outputs.size()));
        }
        const OutputInfo& o = p_.outputs[e.output];
        const EnumInfo& en = p_.enums[o.enum_id];
        if (o.kind == OutputKind::Scalar && e.value >= en.members.size()) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} sets `{}` to member {}, but enum `{}` has {} members", i,
                                  r.name, k, o.name, e.value, en.name, en.members.size()));
        }
        if (o.kind == OutputKind::Set && (e.value == 0 || (e.value & ~member_mask(en.members.size())) != 0)) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} adds the set {:#x} to `{}`, which is not a nonempty "
                                  "set of the {} members of enum `{}`",
                                  i, r.name, k, e.value, o.name, en.members.size(), en.name));
        }
      }
      if (!check_index_list(i, r.overrides, "overrides", "rule", rules) ||
          !check_index_list(i, r.overriders, "is overridden by", "rule", rules) ||
          !check_index_list(i, r.facts_read, "reads", "fact", p_.facts.size())) {
        return false;
      }
      for (const std::uint32_t s : r.overrides) {
        if (p_.rules[s].kind == RuleKind::Warning) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`) overrides rule {} (`{}`), which is a warning", i, r.name, s,
                                  p_.rules[s].name));
        }
      }
      for (const std::uint32_t s : r.overriders) {
        if (s == i) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`) is among its own overriders: precedence must be acyclic", i, r.name));
        }
      }
      for (const auto& [bound, label] :
           {std::pair{r.valid_from, "valid_from"}, std::pair{r.valid_until, "valid_until"}}) {
        if (bound && (*bound < kFirstDay || *bound > kLastDay)) {
          return fail(
              Section::Rules, i,
              fmt::format("rule {} (`{}`): {} is day {}, outside 0001-01-01 .. 9999-12-31", i, r.name, label, *bound));
        }
      }
    }
    return true;
  }

  bool check_slots() {
    const std::size_t slots = p_.slot_types.size();
    if (slots < p_.facts.size()) {
      return fail(Section::Slots, Problem::kWholeSection,
                  fmt::format("there are {} slots, fewer than the {} facts that live in the first slots", slots,
                              p_.facts.size()));
    }
    if (p_.slot_names.size() != slots) {
      return fail(Section::Slots, Problem::kWholeSection,
                  fmt::format("there are {} slot names for {} slots", p_.slot_names.size(), slots));
    }
    for (std::size_t i = 0; i < slots; ++i) {
      if (const std::string why = invalid_type(p_.slot_types[i]); !why.empty()) {
        return fail(Section::Slots, i, fmt::format("slot {}: {}", i, why));
      }
    }
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      if (p_.slot_types[i] != p_.facts[i].type) {
        return fail(Section::Slots, i,
                    fmt::format("slot {} has type {}, but it holds fact `{}` of type {}", i,
                                p_.type_name(p_.slot_types[i]), p_.facts[i].name, p_.type_name(p_.facts[i].type)));
      }
    }
    return true;
  }

  bool check_constants() {
    if (p_.constant_types.size() != p_.constants.size()) {
      return fail(
          Section::Constants, Problem::kWholeSection,
          fmt::format("there are {} constant types for {} constants", p_.constant_types.size(), p_.constants.size()));
    }
    for (std::size_t i = 0; i < p_.constants.size(); ++i) {
      const Type t = p_.constant_types[i];
      if (std::string why = invalid_type(t); !why.empty()) {
        return fail(Section::Constants, i, fmt::format("constant {}: {}", i, why));
      }
      if (std::string why = invalid_value(t, p_.constants[i]); !why.empty()) {
        return fail(Section::Constants, i, fmt::format("constant {} of type {}: {}", i, p_.type_name(t), why));
      }
    }
    return true;
  }

  // --- code: operands, types, definite assignment, and the order of fire/resolve/loadout ---

  static constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

  bool fail_at(std::size_t instr, std::string_view message) {
    return fail(Section::Code, instr,
                fmt::format("instruction {} ({}): {}", instr, opcode_info(p_.code[instr].op).mnemonic, message));
  }

  [[nodiscard]] std::string slot_label(std::uint32_t slot) const {
    return fmt::format("slot {} ({})", slot, p_.type_name(p_.slot_types[slot]));
  }

  bool check_operand(std::size_t i, char letter, OperandKind kind, std::uint32_t x,
                     const std::vector<std::uint8_t>& written) {
    const std::size_t slots = p_.slot_types.size();
    switch (kind) {
      case OperandKind::NONE:
        if (x != 0) return fail_at(i, fmt::format("operand {} is unused and must be 0, not {}", letter, x));
        return true;
      case OperandKind::DST:
        if (x >= slots) {
          return fail_at(i, fmt::format("operand {} writes slot {}, but there are only {} slots", letter, x, slots));
        }
        if (x < p_.facts.size()) {
          return fail_at(i, fmt::format("operand {} writes slot {}, which holds fact `{}`; facts are read-only", letter,
                                        x, p_.facts[x].name));
        }
        return true;
      case OperandKind::SRC:
        if (x >= slots) {
          return fail_at(i, fmt::format("operand {} reads slot {}, but there are only {} slots", letter, x, slots));
        }
        if (written[x] == 0) {
          return fail_at(i, fmt::format("operand {} reads slot {} before it is written", letter, x));
        }
        return true;
      case OperandKind::CONST:
        if (x >= p_.constants.size()) {
          return fail_at(i, fmt::format("operand {} names constant {}, but there are only {} constants", letter, x,
                                        p_.constants.size()));
        }
        return true;
      case OperandKind::RULE:
        if (x >= p_.rules.size()) {
          return fail_at(
              i, fmt::format("operand {} names rule {}, but there are only {} rules", letter, x, p_.rules.size()));
        }
        return true;
      case OperandKind::OUTPUT:
        if (x >= p_.outputs.size()) {
          return fail_at(i, fmt::format("operand {} names output {}, but there are only {} outputs", letter, x,
                                        p_.outputs.size()));
        }
        return true;
      case OperandKind::PROVISO:
        if (x >= proviso_rule_.size()) {
          return fail_at(i, fmt::format("operand {} names proviso {}, but there are only {} provisos", letter, x,
                                        proviso_rule_.size()));
        }
        return true;
    }
    return fail_at(i, fmt::format("operand {} has an unknown kind", letter));
  }

  bool expect_type(std::size_t i, char letter, std::uint32_t slot, Type expected) {
    if (p_.slot_types[slot] == expected) return true;
    return fail_at(i,
                   fmt::format("operand {} is {}, but {} is needed", letter, slot_label(slot), p_.type_name(expected)));
  }

  // The types an instruction needs; its operands are in range by now.
  bool check_types(std::size_t i, const Instr& in) {
    constexpr Type kBool{TypeKind::Bool, 0};
    const auto& types = p_.slot_types;
    switch (in.op) {
      case Opcode::Const:
        if (types[in.a] != p_.constant_types[in.b]) {
          return fail_at(i, fmt::format("operand A is {}, but constant {} has type {}", slot_label(in.a), in.b,
                                        p_.type_name(p_.constant_types[in.b])));
        }
        return true;
      case Opcode::Move:
        if (types[in.a] != types[in.b]) {
          return fail_at(i, fmt::format("operand A is {}, but operand B is {}", slot_label(in.a), slot_label(in.b)));
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
          return fail_at(i, fmt::format("operand B is {}, but operand C is {}: only values of one type compare",
                                        slot_label(in.b), slot_label(in.c)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        if (types[in.b] != types[in.c]) {
          return fail_at(i, fmt::format("operand B is {}, but operand C is {}: only values of one type compare",
                                        slot_label(in.b), slot_label(in.c)));
        }
        if (!types[in.b].ordered()) {
          return fail_at(
              i, fmt::format("operand B is {}; only integers, dates and articles are ordered", slot_label(in.b)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::In:
        if (types[in.b].kind != TypeKind::Enum) {
          return fail_at(i, fmt::format("operand B is {}, but an enum member is needed", slot_label(in.b)));
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
    return fail_at(i, "the opcode does not exist");
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
                    fmt::format("instruction {}: opcode {} does not exist (there are {} opcodes)", i,
                                static_cast<unsigned>(in.op), static_cast<unsigned>(Opcode::Count_)));
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
            return fail_at(i, fmt::format("proviso {} is weighed a second time (first at instruction {})", in.a,
                                          proviso_at[in.a]));
          }
          if (fired_at[rule] != kNever) {
            return fail_at(i, fmt::format("proviso {} of rule {} (`{}`) is weighed after the rule fired (at "
                                          "instruction {})",
                                          in.a, rule, p_.rules[rule].name, fired_at[rule]));
          }
          proviso_at[in.a] = i;
          break;
        }
        case Opcode::Fire:
          if (fired_at[in.a] != kNever) {
            return fail_at(i, fmt::format("rule {} (`{}`) fires a second time (first at instruction {})", in.a,
                                          p_.rules[in.a].name, fired_at[in.a]));
          }
          for (std::size_t k = first_proviso_[in.a]; k < first_proviso_[in.a + 1]; ++k) {
            if (proviso_at[k] == kNever) {
              return fail_at(i, fmt::format("rule {} (`{}`) fires before its proviso {} is weighed", in.a,
                                            p_.rules[in.a].name, k));
            }
          }
          fired_at[in.a] = i;
          break;
        case Opcode::Resolve:
          if (!check_resolve(i, in.a, writers[in.a], fired_at, ready_at)) return false;
          if (resolved_at[in.a] != kNever) {
            return fail_at(i, fmt::format("output {} (`{}`) is resolved a second time (first at instruction {})", in.a,
                                          p_.outputs[in.a].name, resolved_at[in.a]));
          }
          resolved_at[in.a] = i;
          break;
        case Opcode::LoadOutput:
          if (resolved_at[in.b] == kNever) {
            return fail_at(
                i, fmt::format("operand B reads output {} (`{}`) before it is resolved", in.b, p_.outputs[in.b].name));
          }
          break;
        default:
          break;
      }
      if (info.a == OperandKind::DST) written[in.a] = 1;
    }

    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      if (fired_at[r] == kNever) {
        return fail(Section::Code, p_.code.size(),
                    fmt::format("rule {} (`{}`) never fires: every rule needs exactly one fire instruction", r,
                                p_.rules[r].name));
      }
    }
    for (std::size_t o = 0; o < p_.outputs.size(); ++o) {
      if (resolved_at[o] == kNever) {
        return fail(Section::Code, p_.code.size(),
                    fmt::format("output {} (`{}`) is never resolved: every output needs exactly one resolve "
                                "instruction",
                                o, p_.outputs[o].name));
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
        return fail_at(i, fmt::format("output {} (`{}`) is resolved before rule {} (`{}`), which sets it, has fired",
                                      output, name, w, p_.rules[w].name));
      }
      for (const std::uint32_t s : p_.rules[w].overriders) {
        if (fired_at[s] == kNever) {
          return fail_at(i, fmt::format("output {} (`{}`) is resolved before rule {} (`{}`) has fired; it overrides "
                                        "rule {} (`{}`), which sets the output",
                                        output, name, s, p_.rules[s].name, w, p_.rules[w].name));
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

std::string verify_program(const Program& program) {
  std::optional<bytecode_internal::Problem> problem = bytecode_internal::find_problem(program);
  return problem ? std::move(problem->message) : std::string();
}

}  // namespace secretc
