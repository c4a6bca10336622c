#include "runtime/disasm.hpp"

#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "runtime/bytecode.hpp"

namespace secretc {

namespace {

// Where the trailing `; r3 name` comment of an instruction starts, so that comments line up.
constexpr std::size_t kCommentColumn = 44;

class Listing {
 public:
  explicit Listing(const Program& p) : p_(p) {}

  std::string run() {
    header();
    strings();
    enums();
    facts();
    outputs();
    rules();
    constants();
    slots();
    code();
    return std::move(out_);
  }

 private:
  template <typename... Args>
  void line(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_ += '\n';
  }

  void section(std::string_view title, std::size_t count) {
    out_ += '\n';
    line("{} ({})", title, count);
  }

  // Names by index, without trusting the index.
  [[nodiscard]] std::string rule_name(std::uint32_t r) const {
    return r < p_.rules.size() ? p_.rules[r].name : fmt::format("?{}", r);
  }
  [[nodiscard]] std::string output_name(std::uint32_t o) const {
    return o < p_.outputs.size() ? p_.outputs[o].name : fmt::format("?{}", o);
  }
  [[nodiscard]] std::string fact_name(std::uint32_t f) const {
    return f < p_.facts.size() ? p_.facts[f].name : fmt::format("?{}", f);
  }
  // What a slot holds: a definition's name, else a fact's, else nothing (a temporary).
  [[nodiscard]] std::string slot_name(std::uint32_t s) const {
    if (s < p_.slot_names.size() && !p_.slot_names[s].empty()) return p_.slot_names[s];
    if (s < p_.facts.size()) return p_.facts[s].name;
    return {};
  }
  [[nodiscard]] std::string constant_text(std::uint32_t k) const {
    if (k >= p_.constants.size() || k >= p_.constant_types.size()) return fmt::format("k{} (?)", k);
    return fmt::format("k{} ({})", k, p_.format_value(p_.constant_types[k], p_.constants[k]));
  }

  template <typename List, typename Name>
  [[nodiscard]] static std::string join(const List& list, Name name) {
    std::string out;
    for (const auto& x : list) {
      if (!out.empty()) out += ", ";
      out += name(x);
    }
    return out;
  }

  void header() {
    line("; secretc bytecode, format version {}", kBytecodeVersion);
    line("rulebase \"{}\" version \"{}\"", p_.name, p_.version);
    line("source hash {:016x}", p_.source_hash);
    if (p_.law_as_of) line("up to date on {}", format_date(*p_.law_as_of));
    if (p_.date_fact) line("date fact {}", fact_name(*p_.date_fact));
  }

  void strings() {
    section("strings", p_.strings.size());
    for (std::size_t i = 0; i < p_.strings.size(); ++i) line("  s{:<4} \"{}\"", i, p_.strings[i]);
  }

  void enums() {
    section("enums", p_.enums.size());
    for (std::size_t i = 0; i < p_.enums.size(); ++i) {
      const EnumInfo& e = p_.enums[i];
      std::string members;
      for (std::size_t m = 0; m < e.members.size(); ++m) {
        if (m > 0) members += ", ";
        members += e.members[m];
        if (m < e.synonyms.size()) {
          for (const std::string& w : e.synonyms[m]) members += " | " + w;
        }
        if (m < e.labels.size() && !e.labels[m].empty()) members += fmt::format(" \"{}\"", e.labels[m]);
      }
      line("  e{:<4} {} {{ {} }}", i, e.name, members);
    }
  }

  void facts() {
    section("facts", p_.facts.size());
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      const FactInfo& f = p_.facts[i];
      std::string text = fmt::format("  r{:<4} {} : {}", i, f.name, p_.type_name(f.type));
      if (f.default_kind == DefaultKind::Constant) text += " = " + p_.format_value(f.type, f.default_value);
      if (f.default_kind == DefaultKind::Today) text += " = today";
      if (!f.question.empty()) text += fmt::format("  \"{}\"", f.question);
      line("{}", text);
    }
  }

  void outputs() {
    section("outputs", p_.outputs.size());
    for (std::size_t i = 0; i < p_.outputs.size(); ++i) {
      const OutputInfo& o = p_.outputs[i];
      const bool set = o.kind == OutputKind::Set;
      const std::string of = o.enum_id < p_.enums.size() ? p_.enums[o.enum_id].name : fmt::format("?{}", o.enum_id);
      std::string text = fmt::format("  o{:<4} {} : {} of {}", i, o.name, set ? "set" : "scalar", of);
      if (o.has_default) text += " = " + p_.format_value(Type{TypeKind::Enum, o.enum_id}, Value::of(o.default_member));
      if (!o.doubt.empty()) {
        text += " in doubt " + join(o.doubt, [&](std::uint32_t m) {
                  return p_.format_value(Type{TypeKind::Enum, o.enum_id}, Value::of(m));
                });
      }
      line("{}", text);
    }
  }

  [[nodiscard]] std::string effect_text(const Effect& e) const {
    if (e.output >= p_.outputs.size()) return fmt::format("?{} = {:#x}", e.output, e.value);
    const OutputInfo& o = p_.outputs[e.output];
    const auto value = Value::of(static_cast<std::int64_t>(e.value));
    if (o.kind == OutputKind::Set) {
      return fmt::format("{} += {}", o.name, p_.format_value(Type{TypeKind::Set, o.enum_id}, value));
    }
    return fmt::format("{} = {}", o.name, p_.format_value(Type{TypeKind::Enum, o.enum_id}, value));
  }

  void rules() {
    section("rules", p_.rules.size());
    const auto by_rule = [this](std::uint32_t r) { return rule_name(r); };
    std::size_t proviso = 0;
    for (std::size_t i = 0; i < p_.rules.size(); ++i) {
      const RuleInfo& r = p_.rules[i];
      line("  {:<5} {}{}{}", i, r.kind == RuleKind::Warning ? "warning " : "", r.name,
           r.title.empty() ? std::string() : fmt::format(" \"{}\"", r.title));
      if (!r.cite.empty()) line("        cite \"{}\"", r.cite);
      if (!r.because.empty()) line("        because \"{}\"", r.because);
      if (!r.note.empty()) line("        note \"{}\"", r.note);
      if (r.valid_from || r.valid_until) {
        std::string text = "        valid";
        if (r.valid_from) text += " from " + format_date(*r.valid_from);
        if (r.valid_until) text += " until " + format_date(*r.valid_until);
        if (!r.validity_reason.empty()) text += fmt::format(" \"{}\"", r.validity_reason);
        line("{}", text);
      }
      if (!r.effects.empty()) {
        line("        then {}", join(r.effects, [this](const Effect& e) { return effect_text(e); }));
      }
      if (!r.overrides.empty()) line("        overrides {}", join(r.overrides, by_rule));
      if (!r.overriders.empty()) line("        overridden by {}", join(r.overriders, by_rule));
      if (!r.facts_read.empty()) {
        line("        reads {}", join(r.facts_read, [this](std::uint32_t f) { return fact_name(f); }));
      }
      for (const ProvisoInfo& k : r.provisos) {
        line("        proviso p{}{} reads {}", proviso++,
             k.text.empty() ? std::string() : fmt::format(" \"{}\"", k.text),
             join(k.facts_read, [this](std::uint32_t f) { return fact_name(f); }));
      }
      if (!r.source_file.empty()) line("        at {}:{}", r.source_file, r.source_line);
    }
  }

  void constants() {
    section("constants", p_.constants.size());
    for (std::size_t i = 0; i < p_.constants.size(); ++i) {
      if (i >= p_.constant_types.size()) {
        line("  k{:<4} ? {}", i, p_.constants[i].payload);
        continue;
      }
      const Type t = p_.constant_types[i];
      line("  k{:<4} {} {}", i, p_.type_name(t), p_.format_value(t, p_.constants[i]));
    }
  }

  void slots() {
    section("slots", p_.slot_types.size());
    for (std::size_t i = 0; i < p_.slot_types.size(); ++i) {
      const std::string name = slot_name(static_cast<std::uint32_t>(i));
      const std::string type = p_.type_name(p_.slot_types[i]);
      if (name.empty()) {
        line("  r{:<4} {}", i, type);
      } else {
        line("  r{:<4} {:<16} {}", i, type, name);
      }
    }
  }

  // One operand as the reader wants it; slot names go to the comment, which `notes` collects.
  [[nodiscard]] std::string operand_text(OperandKind kind, std::uint32_t x, std::string& notes) const {
    switch (kind) {
      case OperandKind::NONE:
        return {};
      case OperandKind::DST:
      case OperandKind::SRC: {
        const std::string name = slot_name(x);
        if (!name.empty()) notes += fmt::format("{}r{} {}", notes.empty() ? "" : ", ", x, name);
        return fmt::format("r{}", x);
      }
      case OperandKind::CONST:
        return constant_text(x);
      case OperandKind::RULE:
        return rule_name(x);
      case OperandKind::OUTPUT:
        return output_name(x);
      case OperandKind::PROVISO:
        return fmt::format("p{}", x);
    }
    return fmt::format("?{}", x);
  }

  void code() {
    section("code", p_.code.size());
    for (std::size_t i = 0; i < p_.code.size(); ++i) {
      const Instr& in = p_.code[i];
      if (static_cast<std::uint32_t>(in.op) >= static_cast<std::uint32_t>(Opcode::Count_)) {
        line("  {:04}  ?{} {}, {}, {}", i, static_cast<unsigned>(in.op), in.a, in.b, in.c);
        continue;
      }
      const OpcodeInfo& info = opcode_info(in.op);
      std::string notes;
      std::string operands;
      for (const auto& [kind, x] : {std::pair{info.a, in.a}, std::pair{info.b, in.b}, std::pair{info.c, in.c}}) {
        const std::string text = operand_text(kind, x, notes);
        if (text.empty()) continue;
        if (!operands.empty()) operands += ", ";
        operands += text;
      }
      std::string text = fmt::format("  {:04}  {:<8} {}", i, info.mnemonic, operands);
      if (!notes.empty()) {
        if (text.size() < kCommentColumn) text.resize(kCommentColumn, ' ');
        text += " ; " + notes;
      }
      line("{}", text);
    }
  }

  const Program& p_;
  std::string out_;
};

}  // namespace

std::string disassemble(const Program& program) {
  return Listing(program).run();
}

}  // namespace secretc
