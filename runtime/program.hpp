// A compiled rulebase: what a `.secbc` file holds once loaded and verified.
// Plain data, readable top to bottom; compiler/lower.cpp builds it, runtime/bytecode.cpp (de)serialises
// it, runtime/verify.cpp verifies it, runtime/vm.cpp runs it.
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

enum class OperandKind : std::uint8_t { NONE, DST, SRC, CONST, RULE, OUTPUT, PROVISO };

struct OpcodeInfo {
  const char* mnemonic;
  OperandKind a, b, c;
};
const OpcodeInfo& opcode_info(Opcode op);

struct Instr {
  Opcode op = Opcode::Const;
  std::uint32_t a = 0, b = 0, c = 0;
};

// The language a text was written in. A text may come with its translation in the other one (`"…" en
// "…"`); the report picks the reader's, else the one written (text_in).
enum class TextLang : std::uint8_t { French = 0, English = 1 };

const std::string& text_in(TextLang wanted, TextLang written_in, const std::string& written,
                           const std::string& translated);

struct EnumInfo {
  std::string name;
  std::vector<std::string> members;
  std::vector<std::string> labels;                 // one per member: the words the report uses ("" when none)
  std::vector<std::vector<std::string>> synonyms;  // per member (or none at all): other words a case may write
  std::vector<std::string> labels_tr;              // one per member (or none at all): its label in the other language
  TextLang lang = TextLang::French;                // the language of `labels`
};

enum class DefaultKind : std::uint8_t { None = 0, Constant = 1, Today = 2 };

// A fact of the case; fact i lives in slot i.
struct FactInfo {
  std::string name;  // dotted: "confident.fonction"
  Type type;
  DefaultKind default_kind = DefaultKind::None;
  Value default_value;      // when default_kind == Constant
  std::string question;     // asked when the fact is missing; may be empty
  std::string question_tr;  // the question in the other language; may be empty
  std::string help;         // what the question means, for whoever answers it; may be empty
  std::string help_tr;
  TextLang lang = TextLang::French;  // the language of `question` and `help`
};

// `thème danger "Le danger"`: how the facts whose names begin with `danger.` are presented together.
struct ThemeInfo {
  std::string name;
  std::string label;
  std::string label_tr;
  TextLang lang = TextLang::French;
};

enum class OutputKind : std::uint8_t { Scalar = 0, Set = 1 };

struct OutputInfo {
  std::string name;
  OutputKind kind = OutputKind::Scalar;
  std::uint32_t enum_id = 0;
  bool has_default = false;
  std::uint32_t default_member = 0;  // scalar outputs with a default
  // `dans le doute a, b` (scalar outputs): members from the most cautious. While the output is not
  // settled, the value to act on is the first of them that is still possible.
  std::vector<std::uint32_t> doubt;
};

struct Effect {
  std::uint32_t output = 0;
  std::uint64_t value = 0;  // scalar: member index; set: mask of members added
};

// `pourvu que EXPR "texte"`: a limit the rule's answer carries. The rule applies unless the proviso
// is false; while it is unknown, the answer states it (its text) among the conditions it rests on.
struct ProvisoInfo {
  std::string text;                       // how the report states it; may be empty
  std::vector<std::uint32_t> facts_read;  // fact slots the proviso reads, through definitions too
  std::string text_tr;                    // the text in the other language; may be empty
};

// A rule decides outputs; a warning (`avertissement`) only tells the reader something when it holds
// (a later change of the law, for instance): it has no effects, overrides nothing and is never set aside.
enum class RuleKind : std::uint8_t { Rule = 0, Warning = 1 };

struct RuleInfo {
  RuleKind kind = RuleKind::Rule;
  std::string name;
  std::string title;
  std::string cite;
  std::string because;
  std::string note;                         // shown with the grounds when the rule decides (disagreements)
  std::optional<std::int64_t> valid_from;   // days; the rule applies from this day
  std::optional<std::int64_t> valid_until;  // days; the rule no longer applies from this day
  std::string validity_reason;              // "annulée par C.C., arrêt 44/2019"
  std::string title_tr, because_tr, note_tr, validity_reason_tr;  // in the other language; may be empty
  TextLang lang = TextLang::French;                               // the language of the rule's texts
  std::vector<Effect> effects;
  std::vector<std::uint32_t> overrides;   // rules this one overrides directly, as written
  std::vector<std::uint32_t> overriders;  // every rule that overrides this one, transitively
  std::vector<std::uint32_t> facts_read;  // fact slots the condition reads, through definitions too
  std::vector<ProvisoInfo> provisos;      // in the order written; numbered across the program in rule order
  std::string source_file;                // where the rule was written, for the report
  std::uint32_t source_line = 0;
};

// The two facts the tool itself reads, whatever the rules do (named here only): the situation's day,
// against which rules' periods are applied (Program::date_fact, found by the checker), and the case's
// title, which the report shows.
inline constexpr std::string_view kDateFactName = "cas.date";
inline constexpr std::string_view kTitleFactName = "cas.titre";

// A type as a rule file of a language writes it (`booléen`, `ensemble de fonction`; `bool`, `set of
// fonction`), its enumeration named from `enums`.
std::string type_name(Type t, const std::vector<EnumInfo>& enums, TextLang lang);

// Slot 0..facts.size()-1 are the facts; the rest are definitions and temporaries.
struct Program {
  std::string name;
  std::string version;
  std::uint64_t source_hash = 0;
  std::optional<std::int64_t> law_as_of;   // `à jour au D`: the latest day the rules were checked against the law
  std::optional<std::uint32_t> date_fact;  // the fact giving the situation's day (`cas.date`): rules' periods use it
  std::vector<std::string> strings;        // interned string constants; a string value is an index here
  std::vector<EnumInfo> enums;
  std::vector<FactInfo> facts;
  std::vector<OutputInfo> outputs;
  std::vector<RuleInfo> rules;
  std::vector<ThemeInfo> themes;        // in the order declared
  std::vector<Type> slot_types;         // one per slot; the first facts.size() are the facts' types
  std::vector<std::string> slot_names;  // definitions' names for the disassembler; "" for temporaries
  std::vector<Value> constants;
  std::vector<Type> constant_types;
  std::vector<Instr> code;
  // The facts' names hashed, for find_fact: an open-addressing table of fact numbers (fact kNoFact: empty; its
  // size a power of two, at least twice the facts), built by index_names() once a program is complete
  // (lowering and loading do it), so that binding a case looks each name up with one hash and usually
  // one comparison instead of building a map per case. Derived from `facts`; find_fact stays right
  // without it, or with a stale one.
  static constexpr std::uint32_t kNoFact = ~std::uint32_t{0};
  struct FactSlot {
    std::uint32_t fact = kNoFact;
    std::uint32_t hash = 0;  // the name's hash, compared before the name
  };
  std::vector<FactSlot> fact_index;

  void index_names();
  // Provisos are numbered across the program, rule after rule, in the order each rule writes them.
  [[nodiscard]] std::size_t proviso_count() const;
  [[nodiscard]] std::optional<std::uint32_t> find_fact(std::string_view n) const;
  // The fact giving the case's title (kTitleFactName), when the rulebase declares it.
  [[nodiscard]] std::optional<std::uint32_t> title_fact() const { return find_fact(kTitleFactName); }
  // The theme a fact belongs to (the part of its name before the first dot), when one is declared.
  [[nodiscard]] std::optional<std::uint32_t> theme_of(std::uint32_t fact) const;
  [[nodiscard]] std::optional<std::uint32_t> find_output(std::string_view n) const;
  [[nodiscard]] std::optional<std::uint32_t> find_rule(std::string_view n) const;
  [[nodiscard]] std::optional<std::uint32_t> find_member(std::uint32_t enum_id, std::string_view n) const;
  [[nodiscard]] std::string type_name(Type t) const { return secretc::type_name(t, enums, TextLang::English); }
  // The language the rulebase is written in (that of its facts; French when it has none): the
  // language a report speaks when the reader does not choose one.
  [[nodiscard]] TextLang written_in() const;
  // The rulebase's texts in a reader's language (the translation when there is one, else as written).
  // A member without a label is read as its name with spaces for `_`.
  [[nodiscard]] std::string member_label(std::uint32_t enum_id, std::uint32_t member, TextLang lang) const;
  [[nodiscard]] const std::string& question_of(std::uint32_t fact, TextLang lang) const;
  [[nodiscard]] const std::string& help_of(std::uint32_t fact, TextLang lang) const;
  [[nodiscard]] const std::string& theme_label(std::uint32_t theme, TextLang lang) const;
  // A rule's title (its name when it has none), reason and note.
  [[nodiscard]] const std::string& rule_title(std::uint32_t rule, TextLang lang) const;
  [[nodiscard]] const std::string& rule_because(std::uint32_t rule, TextLang lang) const;
  [[nodiscard]] const std::string& rule_note(std::uint32_t rule, TextLang lang) const;
  [[nodiscard]] const std::string& rule_validity_reason(std::uint32_t rule, TextLang lang) const;
  // A value of type t as the case file would write it.
  [[nodiscard]] std::string format_value(Type t, const Value& v) const;
};

}  // namespace secretc
