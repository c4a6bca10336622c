// The concrete syntax tree of a rule file: the compiler's own parse (grammar/rules_grammar.hpp, in
// compiler/parse_tree.hpp) with every token kept — keywords word by word, punctuation, names,
// literals — and the comments found in the gaps between the tokens. The formatter (compiler/format.cpp)
// reads it; it holds no PEGTL, so that its readers need none.
//
// Each node is one grammar rule (the kinds below name them); a token is a leaf. Chains of one element
// (`et`, `ou`, a comparison without operator) are folded into that element, as in the AST's parse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/keywords.hpp"

namespace secretc::cst {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// clang-format off
enum class Kind : std::uint8_t {
  None,
  // --- tokens (leaves)
  Word,                                   // one word of a keyword (`dans`, `le`, `doute`), as written
  Lang,                                   // `en` or `fr` before a translation
  Name, Member, RuleRef, RuleName, EnumName, EnumRef, ThemeName, SynonymWord, GivenWord,
  String, Date, Article, Integer,
  OpenBrace, CloseBrace, OpenParen, CloseParen, Comma, Colon, Equals, Bar, Unknown, DotDot, CompareOp, AddOp,
  // --- nodes
  Root,
  Keyword,                                // the words of one keyword; `kw` says which
  RulebaseDecl, EnumDecl, FactDecl, DefineDecl, OutputDecl, RuleDecl, WarningDecl, ThemeDecl, TestDecl,
  RulebaseName, RulebaseVersion, LawAsOf,
  MemberList, LabelledMember, Synonym, MemberLabel, Translation,
  SetType, InlineEnum, TypeName,
  DefaultValue, Question, HelpClause, ThemeLabel, OutputDefault, DoubtClause, DoubtMember,
  RuleTitle, CiteClause, ValidClause, ValidFromDate, ValidUntilDate, ValidityReason, OverridesClause, WhenClause,
  ProvisoClause, ProvisoText, ThenClause, EffectAdd, EffectAssign, MemberSet, BecauseClause, NoteClause,
  GivenClause, GivenItem, ExpectClause, ExpectFired, ExpectNotFired, ExpectMissing, ExpectOutput, ExpectEquals,
  ExpectContains, ExpectUnknown, ExpectPossible, ExpectProviso, ExpectDepends, TestName, TestClose,
  OrExpr, AndExpr, Negation, Comparison, Paren, SetLit, SetItem, RangeEnd,
};
// clang-format on

// Whether nodes of this kind are tokens.
constexpr bool is_token(Kind k) {
  return k >= Kind::Word && k <= Kind::AddOp;
}

enum class TokenKind : std::uint8_t {
  Word,    // a keyword's word or a name, dots included (`confident.fonction`, `règle`, `aujourd'hui`)
  Number,  // an integer, a date or an article (`-3`, `2019-03-14`, `371/1`, `377bis`)
  String,  // a string literal, quotes included, exactly as written (it may span lines)
  Punct,   // `{ } ( ) , : = == != < <= > >= += .. ? |`
};

struct Token {
  TokenKind kind = TokenKind::Word;
  std::string text;       // the bytes as written
  std::size_t begin = 0;  // byte offsets in the file
  std::size_t end = 0;
  std::uint32_t line = 1;     // 1-based line of its first byte
  bool blank_before = false;  // an empty line separates it from the token or comment before it
};

struct Comment {
  std::string text;       // from `#` to the end of its line, trailing blanks removed
  std::size_t begin = 0;  // byte offset of `#`
  std::uint32_t line = 1;
  std::uint32_t column = 1;   // 1-based, in characters
  bool own_line = false;      // only blanks before it on its line
  bool blank_before = false;  // an empty line separates it from the token or comment before it
};

struct Node {
  Kind kind = Kind::None;
  Kw kw{};                    // a Keyword node: which keyword
  std::size_t token = kNone;  // a token: its index in Cst::tokens
  std::vector<Node> kids;     // in the order written

  [[nodiscard]] bool is(Kind k) const { return kind == k; }
  [[nodiscard]] bool is_keyword(Kw id) const { return kind == Kind::Keyword && kw == id; }
  // The first part of that kind, or nullptr.
  [[nodiscard]] const Node* find(Kind k) const;
  // The first part of that kind; throws std::logic_error when there is none.
  [[nodiscard]] const Node& get(Kind k) const;
  // Every part of that kind.
  [[nodiscard]] std::vector<const Node*> all(Kind k) const;
  // The keyword part `id`, or nullptr.
  [[nodiscard]] const Node* keyword(Kw id) const;
  // The first token of this subtree (the node's own, for a token).
  [[nodiscard]] std::size_t first_token() const;
  // Every token of this subtree, in order (the words of a keyword).
  [[nodiscard]] std::vector<std::size_t> tokens() const;
};

struct Cst {
  Node root;  // Kind::Root; its parts are the declarations
  std::vector<Token> tokens;
  std::vector<Comment> comments;
  std::string error;  // non-empty when the text does not parse (then the tree is empty)
  std::uint32_t error_line = 0;
};

// Parses a rule file (a UTF-8 byte-order mark at its start is skipped) with the compiler's grammar, the
// strict one: no recovery. Defined in compiler/parse_cst.cpp.
Cst parse_rules_cst(std::string_view text);

}  // namespace secretc::cst
