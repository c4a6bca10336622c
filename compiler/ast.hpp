// The abstract syntax of rule files, as the parser builds it and the checker annotates it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/case.hpp"
#include "runtime/diagnostics.hpp"
#include "runtime/value.hpp"

namespace secretc::ast {

enum class Lang : std::uint8_t { Unset, French, English };

// --- expressions -----------------------------------------------------------------------------------

enum class LiteralKind : std::uint8_t { Bool, Integer, Date, Article, String, Today };

enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// An element of a set literal: a single value, or an inclusive range `lo .. hi`.
struct SetItem {
  ExprPtr lo;
  ExprPtr hi;  // null for a single value
};

enum class ExprKind : std::uint8_t {
  Literal,  // literal_kind, number / text
  Name,     // a dotted name: a fact, a definition, an output, or (bare) an enumeration member
  Not,      // operands[0]
  And,      // operands[0..n)
  Or,       // operands[0..n)
  Compare,  // operands[0..n), ops[0..n-1): a chain `a < b < c` means a < b and b < c
  In,       // operands[0] in set_items (a literal) or in operands[1] (a named set); negated
  IsKnown,  // operands[0]; negated for `is unknown`
};

// What the checker resolved a Name to.
enum class NameKind : std::uint8_t { Unresolved, Fact, Definition, Output, Member };

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Location at;
  // Literal
  LiteralKind literal_kind = LiteralKind::Bool;
  std::int64_t number = 0;  // bool 0/1, integer, date (days), article key
  std::string text;         // string literal, or the Name as written
  // Name
  NameKind name_kind = NameKind::Unresolved;
  std::uint32_t target = 0;  // fact / definition / output index, or member index
  // Operators
  std::vector<ExprPtr> operands;
  std::vector<CompareOp> ops;
  std::vector<SetItem> set_items;
  bool set_literal = false;  // In: a literal set (set_items) rather than a named one (operands[1])
  bool negated = false;
  // Set by the checker.
  Type type;
  bool typed = false;
};

// --- declarations -----------------------------------------------------------------------------------

struct TypeRef {
  Location at;
  std::string name;                  // "bool", "booléen", an enumeration name...; empty if inline
  std::vector<std::string> members;  // inline enumeration `enum { a, b }`
  std::vector<Location> member_at;
  std::vector<std::string> labels;
  std::vector<std::string> labels_tr;              // per member: its label in the other language
  std::vector<std::vector<std::string>> synonyms;  // per member: `membre | synonyme`
  bool is_set = false;                             // `set of X` / `ensemble de X`
  bool present = false;
};

struct RulebaseDecl {
  Location at;
  std::string name;
  std::string version;
  std::optional<std::int64_t> law_as_of;  // `à jour au D` (`as of D`)
};

struct EnumDecl {
  Location at;
  std::string name;
  std::vector<std::string> members;
  std::vector<Location> member_at;
  std::vector<std::string> labels;                 // `membre "libellé"`: how the report says it; "" when none
  std::vector<std::string> labels_tr;              // `membre "libellé" en "label"`: the label in the other language
  std::vector<std::vector<std::string>> synonyms;  // `membre | synonyme`: other words a case file may write
  Lang lang = Lang::Unset;                         // the language of the file (of its texts)
};

struct FactDecl {
  Location at;
  std::string name;
  TypeRef type;
  ExprPtr default_value;  // may be null; Literal (or a bare member Name)
  std::string question;
  std::string question_tr;  // the question in the other language (`"…" en "…"`)
  std::string help;         // `aide "…"` (`help`): what the question means, for whoever answers it
  std::string help_tr;
  Lang lang = Lang::Unset;
};

// `thème danger "Le danger"`: the label of the facts `danger.*` (and of a fact named `danger`).
struct ThemeDecl {
  Location at;
  std::string name;
  std::string label;
  std::string label_tr;
  Lang lang = Lang::Unset;
};

struct DefineDecl {
  Location at;
  std::string name;
  TypeRef type;  // optional annotation
  ExprPtr value;
};

struct OutputDecl {
  Location at;
  std::string name;
  TypeRef type;
  std::string default_member;  // empty: none
  Location default_at;
  Lang lang = Lang::Unset;         // of the labels of an inline enumeration
  std::vector<std::string> doubt;  // `dans le doute a, b` (`in doubt a, b`)
  std::vector<Location> doubt_at;
};

enum class EffectOp : std::uint8_t { Assign, Add };

struct EffectDecl {
  Location at;
  std::string output;
  EffectOp op = EffectOp::Assign;
  std::vector<std::string> members;  // one for Assign; any number for Add
  std::vector<Location> member_at;
};

// `pourvu que EXPR "texte"` (`provided EXPR "text"`).
struct ProvisoDecl {
  Location at;
  ExprPtr condition;
  std::string text;
  std::string text_tr;
};

struct RuleDecl {
  bool warning = false;  // `avertissement` (`warning`): no effects; shown when it holds
  Lang lang = Lang::Unset;
  Location at;
  std::string name;
  std::string title;
  std::string cite;
  Location cite_at;
  std::string because;
  std::string note;
  std::string title_tr, because_tr, note_tr, validity_reason_tr;  // the texts in the other language
  std::optional<std::int64_t> valid_from;
  std::optional<std::int64_t> valid_until;
  Location valid_at;
  std::string validity_reason;
  std::vector<std::string> overrides;
  std::vector<Location> overrides_at;
  ExprPtr when;  // null: always (within its validity)
  std::vector<ProvisoDecl> provisos;
  std::vector<EffectDecl> effects;
  std::string file;  // source file name, for the report
};

// One `name = value` given in a test, in the case-file value syntax.
struct GivenValue {
  Location at;
  std::string name;
  Location value_at;
  CaseValueKind kind = CaseValueKind::Word;
  std::string text;
};

enum class ExpectKind : std::uint8_t {
  OutputEquals,    // settled, to this value (a set: exactly these members)
  OutputContains,  // a set holds these members for sure
  OutputUnknown,   // settled, without a value
  OutputPossible,  // not settled; some completion may give (a set: hold) exactly these members
  Fired,
  NotFired,
  Proviso,  // the rule applies with a proviso the answer states
  Missing,
  DependsOn,  // the answer changes with the value of this fact
};

struct Expectation {
  Location at;
  ExpectKind kind = ExpectKind::OutputEquals;
  std::string name;                  // output, rule or fact
  std::vector<std::string> members;  // OutputEquals (one for a scalar, a set literal for a set), OutputContains,
                                     // OutputPossible
  std::vector<Location> member_at;
  bool set_literal = false;  // the expected value was written `{ ... }`
};

struct TestDecl {
  Location at;
  std::string name;
  std::vector<GivenValue> given;
  std::vector<Expectation> expect;
};

// Everything the files of one rulebase declare, in the order written (files in name order).
struct Rulebase {
  std::vector<RulebaseDecl> headers;
  std::vector<EnumDecl> enums;
  std::vector<FactDecl> facts;
  std::vector<DefineDecl> defines;
  std::vector<OutputDecl> outputs;
  std::vector<RuleDecl> rules;
  std::vector<ThemeDecl> themes;
  std::vector<TestDecl> tests;
};

}  // namespace secretc::ast
