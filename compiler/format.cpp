#include "compiler/format.hpp"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "compiler/ast.hpp"
#include "compiler/format_lexer.hpp"
#include "compiler/parse_rules.hpp"
#include "grammar/keywords.hpp"
#include "runtime/bytecode.hpp"

// The formatter in four parts:
//   1. a parser over the formatter's tokens, mirroring grammar/rules_grammar.hpp, into a concrete syntax
//      tree that keeps every token (it runs only on files the compiler's parser has accepted);
//   2. comment attachment: each comment belongs to one token (or to the end of a declaration);
//   3. a layout engine in the manner of Wadler's "prettier printer": documents made of text, line
//      breaks, groups that break all together when they do not fit, nesting, and fills;
//   4. the printer, which turns each declaration into a document, the canonical layout being there.
// docs/language.md ("Layout") states the layout this produces.

namespace secretc {

namespace {

using format_lexer::Comment;
using format_lexer::Lexed;
using format_lexer::Token;
using format_lexer::TokenKind;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// A formatter bug, never the user's fault: the file is then left as it is.
struct FormatBug : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --- 1. the concrete syntax tree ---------------------------------------------------------------------

// clang-format off
enum class NK : std::uint8_t {
  // declarations
  Rulebase, Enum, Fact, Define, Output, Rule, Warning, Theme, Test,
  // parts of declarations: `à jour au D` of a header, `dans le doute a, b` of an output, `aide "…"` of a fact
  AsOf, Doubt, Help,
  // types and enumerations
  MemberList, Member, TypeSet, TypeEnum, TypeName,
  // rule clauses, in their canonical order
  Cite, Valid, Overrides, When, Proviso, Then, Because, Note,
  // parts of clauses
  Ref, Effect, MemberSet,
  // tests
  Given, Expect, GivenItem, ExFired, ExNotFired, ExMissing, ExEquals, ExContains, ExUnknown, ExPossible, ExProviso,
  ExDepends,
  // expressions
  Or, And, Not, Compare, In, Known, Paren, Atom, SetLit, SetItem,
};
// clang-format on

// `en "…"` (`fr "…"`) after a text: the text in the other language.
struct Translation {
  std::size_t lang = kNone;  // `en` or `fr`; kNone: no translation written
  std::size_t text = kNone;
};

// One node per construct; which token stands where in `t` is written beside each kind in Parser.
struct Node {
  explicit Node(NK node_kind) : kind(node_kind) {}
  NK kind;
  std::vector<std::size_t> kw;  // the words of the construct's keyword, as written
  std::vector<std::size_t> t;   // its other tokens (kNone: an optional token not written)
  std::vector<Node> k;          // its parts
  std::size_t comma = kNone;    // in a list: the `,` written after the item
  Translation tr;               // the translation of the construct's text (beside each kind in Parser)
};

struct Decl {
  Node node;
  std::size_t first = 0;  // its first token
};

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens) : t_(tokens) {}

  std::vector<Decl> file() {
    std::vector<Decl> out;
    while (i_ < t_.size()) {
      const std::size_t first = i_;
      Node n = declaration();
      out.push_back({std::move(n), first});
    }
    return out;
  }

 private:
  using Words = std::initializer_list<std::string_view>;

  [[nodiscard]] bool word(std::size_t ahead, Words words) const {
    if (i_ + ahead >= t_.size() || t_[i_ + ahead].kind != TokenKind::Word) return false;
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return t_[i_ + ahead].text == w; });
  }
  // How many words of a spelling of the keyword (either language, grammar/keywords.def) the tokens from
  // here are; 0 when they are none.
  [[nodiscard]] std::size_t at(Kw id) const {
    for (const TextLang lang : {TextLang::French, TextLang::English}) {
      for (std::size_t s = 0; s < keyword_spellings(id, lang); ++s) {
        std::string_view rest = keyword_spelling(id, lang, s);
        for (std::size_t n = 0; word(n, {rest.substr(0, rest.find(' '))}); ++n) {
          if (rest.find(' ') == std::string_view::npos) return n + 1;
          rest = rest.substr(rest.find(' ') + 1);
        }
      }
    }
    return 0;
  }
  std::vector<std::size_t> take_words(std::size_t n) {
    std::vector<std::size_t> out;
    for (std::size_t w = 0; w < n; ++w) out.push_back(take());
    return out;
  }
  [[nodiscard]] bool punct(std::string_view p) const {
    return i_ < t_.size() && t_[i_].kind == TokenKind::Punct && t_[i_].text == p;
  }
  [[nodiscard]] bool is(TokenKind kind) const { return i_ < t_.size() && t_[i_].kind == kind; }

  // The translation that may follow a text just taken. `en` and `fr` are not reserved words, but the
  // grammar allows nothing else after a text that a word then a string could be.
  Translation translation() {
    Translation tr;
    if (word(0, {"en", "fr"}) && i_ + 1 < t_.size() && t_[i_ + 1].kind == TokenKind::String) {
      tr.lang = take();
      tr.text = take();
    }
    return tr;
  }

  [[noreturn]] void fail(std::string_view expected) const {
    const std::uint32_t line = i_ < t_.size() ? t_[i_].line : (t_.empty() ? 1 : t_.back().line);
    throw FormatBug(
        fmt::format("line {}: the formatter expected {} where the compiler's parser did not", line, expected));
  }
  std::size_t take() {
    if (i_ >= t_.size()) fail("more text");
    return i_++;
  }
  std::size_t take(Words words) {
    if (!word(0, words)) fail(fmt::format("`{}`", *words.begin()));
    return i_++;
  }
  std::size_t take_punct(std::string_view p) {
    if (!punct(p)) fail(fmt::format("`{}`", p));
    return i_++;
  }
  std::size_t take_kind(TokenKind kind) {
    if (!is(kind)) fail(kind == TokenKind::String ? "a string" : kind == TokenKind::Number ? "a number" : "a name");
    return i_++;
  }
  std::size_t take_value() {
    if (is(TokenKind::Punct) && !punct("?")) fail("a value");
    return take();
  }

  Node declaration() {
    if (at(Kw::Rulebase) != 0) {  // t: name, `version`, version; k: [as of]
      Node n{NK::Rulebase};
      n.kw = {take()};
      n.t = {take_kind(TokenKind::String), take({"version"}), take_kind(TokenKind::String)};
      if (const std::size_t words = at(Kw::AsOf)) {
        Node as_of{NK::AsOf};  // kw: `à jour au` | `as of`; t: the date
        as_of.kw = take_words(words);
        as_of.t = {take_kind(TokenKind::Number)};
        n.k.push_back(std::move(as_of));
      }
      return n;
    }
    if (at(Kw::Enum) != 0) {  // t: name; k: member list
      Node n{NK::Enum};
      n.kw = {take()};
      n.t = {take_kind(TokenKind::Word)};
      n.k.push_back(member_list());
      return n;
    }
    if (at(Kw::Fact) != 0) return fact();
    if (at(Kw::Define) != 0) return define();
    if (at(Kw::Output) != 0) return output();
    if (at(Kw::Rule) != 0) return rule(NK::Rule);
    if (at(Kw::Warning) != 0) return rule(NK::Warning);
    if (at(Kw::Theme) != 0) {  // t: name, label; tr: of the label
      Node n{NK::Theme};
      n.kw = {take()};
      n.t = {take_kind(TokenKind::Word), take_kind(TokenKind::String)};
      n.tr = translation();
      return n;
    }
    if (at(Kw::Test) != 0) return test();
    fail("a declaration");
  }

  // t: `{`, `}`; k: members (t: name, label, then each synonym's `|` and word; tr: of the label)
  Node member_list() {
    Node n{NK::MemberList};
    n.t = {take_punct("{")};
    while (!punct("}")) {
      Node m{NK::Member};
      const std::size_t name = take_kind(TokenKind::Word);
      std::vector<std::size_t> synonyms;
      while (punct("|")) {
        synonyms.push_back(take());
        synonyms.push_back(take_kind(TokenKind::Word));
      }
      m.t = {name, is(TokenKind::String) ? take() : kNone};
      if (m.t[1] != kNone) m.tr = translation();
      m.t.insert(m.t.end(), synonyms.begin(), synonyms.end());
      if (punct(",")) m.comma = take();
      const bool more = m.comma != kNone;
      n.k.push_back(std::move(m));
      if (!more) break;
    }
    n.t.push_back(take_punct("}"));
    return n;
  }

  Node type_ref() {
    if (const std::size_t words = at(Kw::SetOf)) {  // k: base type
      Node n{NK::TypeSet};
      n.kw = take_words(words);
      n.k.push_back(base_type());
      return n;
    }
    return base_type();
  }
  Node base_type() {
    if (at(Kw::Enum) != 0) {  // k: member list
      Node n{NK::TypeEnum};
      n.kw = {take()};
      n.k.push_back(member_list());
      return n;
    }
    Node n{NK::TypeName};  // t: the type's word
    n.t = {take_kind(TokenKind::Word)};
    return n;
  }

  // t: name, `:`, `=`, default, question; tr: of the question; k: type, [help (kw: `aide`; t: text; tr)]
  Node fact() {
    Node n{NK::Fact};
    n.kw = {take()};
    const std::size_t name = take_kind(TokenKind::Word);
    const std::size_t colon = take_punct(":");
    n.k.push_back(type_ref());
    std::size_t eq = kNone, value = kNone;
    if (punct("=")) {
      eq = take();
      value = take_value();
    }
    const std::size_t question = is(TokenKind::String) ? take() : kNone;
    if (question != kNone) n.tr = translation();
    n.t = {name, colon, eq, value, question};
    if (at(Kw::Help) != 0) {
      Node help{NK::Help};
      help.kw = {take()};
      help.t = {take_kind(TokenKind::String)};
      help.tr = translation();
      n.k.push_back(std::move(help));
    }
    return n;
  }

  // t: name, `:`, `=`; k: [type,] value (a set literal or an expression)
  Node define() {
    Node n{NK::Define};
    n.kw = {take()};
    const std::size_t name = take_kind(TokenKind::Word);
    std::size_t colon = kNone;
    if (punct(":")) {
      colon = take();
      n.k.push_back(type_ref());
    }
    const std::size_t eq = take_punct("=");
    n.k.push_back(punct("{") ? set_literal() : expr());
    n.t = {name, colon, eq};
    return n;
  }

  // t: name, `:`, `=`, default; k: type, [doubt]
  Node output() {
    Node n{NK::Output};
    n.kw = {take()};
    const std::size_t name = take_kind(TokenKind::Word);
    const std::size_t colon = take_punct(":");
    n.k.push_back(type_ref());
    std::size_t eq = kNone, value = kNone;
    if (punct("=")) {
      eq = take();
      value = take_kind(TokenKind::Word);
    }
    n.t = {name, colon, eq, value};
    if (const std::size_t words = at(Kw::InDoubt)) {
      Node doubt{NK::Doubt};  // kw: `dans le doute` | `in doubt`; k: members (Ref)
      doubt.kw = take_words(words);
      doubt.k = list([this] {
        Node r{NK::Ref};
        r.t = {take_kind(TokenKind::Word)};
        return r;
      });
      n.k.push_back(std::move(doubt));
    }
    return n;
  }

  // A rule or a warning (which takes a rule's clauses). t: name, title; tr: of the title; k: clauses as
  // written (`cite`, `parce que`, `note`, `valable`, `pourvu que`: tr, of their text)
  Node rule(NK kind) {
    Node n{kind};
    n.kw = {take()};
    const std::size_t name = take_kind(TokenKind::Word);
    const std::size_t title = is(TokenKind::String) ? take() : kNone;
    if (title != kNone) n.tr = translation();
    n.t = {name, title};
    while (true) {
      if (at(Kw::Cite) != 0) {
        n.k.push_back(string_clause(NK::Cite, at(Kw::Cite)));
      } else if (at(Kw::Note) != 0) {
        n.k.push_back(string_clause(NK::Note, at(Kw::Note)));
      } else if (at(Kw::Because) != 0) {
        n.k.push_back(string_clause(NK::Because, at(Kw::Because)));
      } else if (at(Kw::ValidFrom) != 0 || at(Kw::ValidUntil) != 0) {
        n.k.push_back(valid());
      } else if (const std::size_t overrides = at(Kw::Overrides)) {  // k: refs
        Node c{NK::Overrides};
        c.kw = take_words(overrides);
        c.k = list([this] {
          Node r{NK::Ref};
          r.t = {take_kind(TokenKind::Word)};
          return r;
        });
        n.k.push_back(std::move(c));
      } else if (at(Kw::When) != 0) {  // k: condition
        Node c{NK::When};
        c.kw = {take()};
        c.k.push_back(expr());
        n.k.push_back(std::move(c));
      } else if (const std::size_t provided = at(Kw::Provided)) {  // t: text; k: condition
        Node c{NK::Proviso};
        c.kw = take_words(provided);
        c.k.push_back(expr());
        c.t = {is(TokenKind::String) ? take() : kNone};
        if (c.t[0] != kNone) c.tr = translation();
        n.k.push_back(std::move(c));
      } else if (at(Kw::Then) != 0) {  // k: effects (t: output, `=` or `+=`; k: member or set)
        Node c{NK::Then};
        c.kw = {take()};
        c.k = list([this] {
          Node e{NK::Effect};
          const std::size_t out = take_kind(TokenKind::Word);
          if (punct("+=")) {
            e.t = {out, take()};
            e.k.push_back(punct("{") ? member_set() : atom());
          } else {
            e.t = {out, take_punct("=")};
            e.k.push_back(atom());
          }
          return e;
        });
        n.k.push_back(std::move(c));
      } else {
        break;
      }
    }
    return n;
  }

  Node string_clause(NK kind, std::size_t words) {  // t: the string
    Node c{kind};
    for (std::size_t w = 0; w < words; ++w) c.kw.push_back(take());
    c.t = {take_kind(TokenKind::String)};
    // `cite` takes no translation: a reference is not translated.
    if (kind != NK::Cite) c.tr = translation();
    return c;
  }

  // kw: `valable du` | `valable à partir du` | `valable jusqu'au` | `valid from` | `valid until`;
  // t: from date, `au`/`until`, until date, reason
  Node valid() {
    Node c{NK::Valid};
    std::size_t from = kNone, until_kw = kNone, until = kNone;
    bool has_from = true;
    if (const std::size_t words = at(Kw::ValidFrom)) {
      c.kw = take_words(words);
    } else if (const std::size_t until_words = at(Kw::ValidUntil)) {
      c.kw = take_words(until_words);
      has_from = false;
    } else {
      fail("a validity period");
    }
    if (has_from) {
      from = take_kind(TokenKind::Number);
      if (at(Kw::Until) != 0) {
        until_kw = take();
        until = take_kind(TokenKind::Number);
      }
    } else {
      until = take_kind(TokenKind::Number);
    }
    const std::size_t reason = is(TokenKind::String) ? take() : kNone;
    if (reason != kNone) c.tr = translation();
    c.t = {from, until_kw, until, reason};
    return c;
  }

  // t: name, `{`, `}`; k: clauses
  Node test() {
    Node n{NK::Test};
    n.kw = {take()};
    const std::size_t name = take_kind(TokenKind::String);
    const std::size_t open = take_punct("{");
    while (!punct("}")) {
      if (at(Kw::Given) != 0) {  // k: items (t: name, `=`, value)
        Node c{NK::Given};
        c.kw = {take()};
        c.k = list([this] {
          Node g{NK::GivenItem};
          const std::size_t name_tok = take_kind(TokenKind::Word);
          const std::size_t eq = take_punct("=");
          g.t = {name_tok, eq, take_value()};
          return g;
        });
        n.k.push_back(std::move(c));
      } else if (at(Kw::Expect) != 0) {  // k: expectations
        Node c{NK::Expect};
        c.kw = {take()};
        c.k = list([this] { return expectation(); });
        n.k.push_back(std::move(c));
      } else {
        fail("`soit` or `attendu`");
      }
    }
    n.t = {name, open, take_punct("}")};
    return n;
  }

  Node expectation() {
    if (const std::size_t words = at(Kw::NotFired)) {
      Node x{NK::ExNotFired};  // t: rule
      x.kw = take_words(words);
      x.t = {take_kind(TokenKind::Word)};
      return x;
    }
    if (at(Kw::Fired) != 0 || at(Kw::Missing) != 0) {
      Node x{at(Kw::Missing) != 0 ? NK::ExMissing : NK::ExFired};  // t: rule or fact
      x.kw = {take()};
      x.t = {take_kind(TokenKind::Word)};
      return x;
    }
    // As in the grammar, these come before an output's name: `sous`, `dépend` are not reserved words.
    if (const std::size_t words = at(Kw::ExpectProviso)) {
      Node x{NK::ExProviso};  // t: rule
      x.kw = take_words(words);
      x.t = {take_kind(TokenKind::Word)};
      return x;
    }
    if (const std::size_t words = at(Kw::DependsOn)) {
      Node x{NK::ExDepends};  // t: fact
      x.kw = take_words(words);
      x.t = {take_kind(TokenKind::Word)};
      return x;
    }
    const std::size_t name = take_kind(TokenKind::Word);
    if (punct("=")) {  // t: output, `=`; k: member or set
      Node x{NK::ExEquals};
      x.t = {name, take()};
      x.k.push_back(punct("{") ? member_set() : atom());
      return x;
    }
    if (at(Kw::Contains) != 0 || at(Kw::Possible) != 0) {  // t: output; k: set
      Node x{at(Kw::Possible) != 0 ? NK::ExPossible : NK::ExContains};
      x.kw = {take()};
      x.t = {name};
      x.k.push_back(member_set());
      return x;
    }
    Node x{NK::ExUnknown};  // t: output
    if (at(Kw::UnknownOutput) == 0) fail(fmt::format("`{}`", keyword_text(Kw::UnknownOutput, TextLang::English)));
    x.kw = {take()};
    x.t = {name};
    return x;
  }

  // Items separated by `,` (no trailing comma).
  template <typename Item>
  std::vector<Node> list(Item item) {
    std::vector<Node> out;
    while (true) {
      Node n = item();
      if (punct(",")) n.comma = take();
      const bool more = n.comma != kNone;
      out.push_back(std::move(n));
      if (!more) return out;
    }
  }

  // t: `{`, `}`; k: members (Ref), a trailing comma allowed
  Node member_set() {
    Node n{NK::MemberSet};
    n.t = {take_punct("{")};
    while (!punct("}")) {
      Node r{NK::Ref};
      r.t = {take_kind(TokenKind::Word)};
      if (punct(",")) r.comma = take();
      const bool more = r.comma != kNone;
      n.k.push_back(std::move(r));
      if (!more) break;
    }
    n.t.push_back(take_punct("}"));
    return n;
  }

  // t: `{`, `}`; k: items (t: low, `..`, high), a trailing comma allowed
  Node set_literal() {
    Node n{NK::SetLit};
    n.t = {take_punct("{")};
    while (!punct("}")) {
      Node item{NK::SetItem};
      const std::size_t lo = take_value();
      std::size_t dots = kNone, hi = kNone;
      if (punct("..")) {
        dots = take();
        hi = take_value();
      }
      item.t = {lo, dots, hi};
      if (punct(",")) item.comma = take();
      const bool more = item.comma != kNone;
      n.k.push_back(std::move(item));
      if (!more) break;
    }
    n.t.push_back(take_punct("}"));
    return n;
  }

  Node atom() {  // t: the token
    Node n{NK::Atom};
    n.t = {take_value()};
    return n;
  }

  // Or / And: t: the operators; k: the operands (two or more)
  Node expr() {
    return chain(NK::Or, Kw::Or, [this] { return chain(NK::And, Kw::And, [this] { return unary(); }); });
  }

  template <typename Operand>
  Node chain(NK kind, Kw op, Operand operand) {
    Node first = operand();
    if (at(op) == 0) return first;
    Node n{kind};
    n.k.push_back(std::move(first));
    while (at(op) != 0) {
      n.t.push_back(take());
      n.k.push_back(operand());
    }
    return n;
  }

  Node unary() {
    if (at(Kw::Not) != 0) {  // k: operand
      Node n{NK::Not};
      n.kw = {take()};
      n.k.push_back(unary());
      return n;
    }
    Node left = primary();
    if (punct("==") || punct("=") || punct("!=") || punct("<=") || punct(">=") || punct("<") || punct(">")) {
      Node n{NK::Compare};  // t: operators; k: operands
      n.k.push_back(std::move(left));
      while (punct("==") || punct("=") || punct("!=") || punct("<=") || punct(">=") || punct("<") || punct(">")) {
        n.t.push_back(take());
        n.k.push_back(primary());
      }
      return n;
    }
    const std::size_t not_in = at(Kw::NotIn);
    if (not_in != 0 || at(Kw::In) != 0) {  // k: value, set (a literal, or a name)
      Node n{NK::In};
      n.kw = take_words(not_in != 0 ? not_in : at(Kw::In));
      n.k.push_back(std::move(left));
      n.k.push_back(punct("{") ? set_literal() : atom());
      return n;
    }
    if (const std::size_t words = at(Kw::IsKnown) != 0 ? at(Kw::IsKnown) : at(Kw::IsUnknown)) {
      Node n{NK::Known};  // k: value
      n.kw = take_words(words);
      n.k.push_back(std::move(left));
      return n;
    }
    return left;
  }

  Node primary() {
    if (punct("(")) {  // t: `(`, `)`; k: expression
      Node n{NK::Paren};
      n.t = {take()};
      n.k.push_back(expr());
      n.t.push_back(take_punct(")"));
      return n;
    }
    return atom();
  }

  const std::vector<Token>& t_;
  std::size_t i_ = 0;
};

// --- 2. comments -------------------------------------------------------------------------------------

// Where each comment goes. A comment with code before it on its line trails the last token of that
// line; an own-line comment written right under a trailing comment, in the same column, continues it.
// Any other own-line comment leads the next token, except an indented one just before a declaration,
// which closes the declaration above (it is printed inside it); at the end of the file, comments at
// column 1 follow the last declaration.
struct Attachment {
  std::vector<std::vector<std::size_t>> leading;   // per token
  std::vector<std::vector<std::size_t>> trailing;  // per token: trailing comments and their continuations
  std::vector<std::vector<std::size_t>> epilogue;  // per declaration
  std::vector<std::size_t> trailer;
  std::vector<bool> printed;  // per comment
};

Attachment attach(const Lexed& lx, const std::vector<Decl>& decls) {
  Attachment a;
  const auto& toks = lx.tokens;
  const auto& coms = lx.comments;
  a.leading.resize(toks.size());
  a.trailing.resize(toks.size());
  a.epilogue.resize(decls.size());
  a.printed.assign(coms.size(), false);
  std::vector<std::size_t> decl_starting_at(toks.size(), kNone);
  for (std::size_t d = 0; d < decls.size(); ++d) decl_starting_at[decls[d].first] = d;

  std::vector<std::size_t> trailing_owner(coms.size(), kNone);  // for continuations
  std::size_t next = 0;
  for (std::size_t ci = 0; ci < coms.size(); ++ci) {
    const Comment& c = coms[ci];
    while (next < toks.size() && toks[next].begin < c.begin) ++next;
    const std::size_t prev = next > 0 ? next - 1 : kNone;
    if (!c.own_line) {
      if (prev == kNone) throw FormatBug(fmt::format("line {}: a comment follows nothing", c.line));
      a.trailing[prev].push_back(ci);
      trailing_owner[ci] = prev;
      continue;
    }
    if (ci > 0 && prev != kNone && trailing_owner[ci - 1] == prev && coms[ci - 1].line + 1 == c.line &&
        coms[ci - 1].column == c.column) {
      a.trailing[prev].push_back(ci);
      trailing_owner[ci] = prev;
      continue;
    }
    if (next == toks.size()) {
      if (c.column > 1 && !decls.empty()) {
        a.epilogue.back().push_back(ci);
      } else {
        a.trailer.push_back(ci);
      }
      continue;
    }
    const std::size_t decl = decl_starting_at[next];
    if (decl != kNone && decl > 0 && c.column > 1) {
      a.epilogue[decl - 1].push_back(ci);
      continue;
    }
    // A comment before a `,` goes to what follows the comma: a line never starts with a comma.
    std::size_t target = next;
    if (toks[next].kind == TokenKind::Punct && toks[next].text == "," && next + 1 < toks.size()) target = next + 1;
    a.leading[target].push_back(ci);
  }
  return a;
}

// --- 3. the layout engine ----------------------------------------------------------------------------

enum class DK : std::uint8_t {
  Text,    // text (a string token may hold line breaks: they are printed as they are)
  Line,    // a place where the line may break (see LK)
  Concat,  // its parts in order
  Group,   // its parts on one line if they fit (and hold no forced break), else every Line in it breaks
  Nest,    // its parts, with `indent` more columns after each line break
  Anchor,  // its parts, indented from where the current line starts rather than from the enclosing nest
  Fill,    // parts and Lines alternating: as many parts on each line as fit
  Suffix,  // a trailing comment: printed at the end of the current line
};

enum class LK : std::uint8_t {
  Space,  // a space; a line break only when a comment forces it
  Line,   // a space, or a line break when its group breaks
  Hard,   // always a line break
};

struct DocNode {
  explicit DocNode(DK doc_kind) : kind(doc_kind) {}
  DK kind;
  LK line = LK::Space;
  int indent = 0;
  std::string text;
  std::vector<int> kids;
  bool hard = false;  // holds a forced line break (computed before rendering)
};

struct OutLine {
  std::string code;
  std::string comment;        // a trailing comment, aligned later
  bool continuation = false;  // a comment line continuing the trailing comment above
};

class Renderer {
 public:
  Renderer(std::vector<DocNode>& pool, std::size_t width) : pool_(pool), width_(width) {}

  std::vector<OutLine> render(int root) {
    mark_hard(root);
    stack_.push_back({0, false, root, 0});
    while (!stack_.empty()) {
      const Cmd c = stack_.back();
      stack_.pop_back();
      const DocNode& d = pool_[static_cast<std::size_t>(c.id)];
      switch (d.kind) {
        case DK::Text:
          emit(d.text);
          break;
        case DK::Concat:
          push_kids(c.indent, c.flat, d, 0);
          break;
        case DK::Nest:
          push_kids(c.indent + d.indent, c.flat, d, 0);
          break;
        case DK::Anchor:
          push_kids(line_indent_ + d.indent, c.flat, d, 0);
          break;
        case DK::Group: {
          const bool flat = c.flat || (!d.hard && fits({{true, c.id}}, left(), true));
          push_kids(c.indent, flat, d, 0);
          break;
        }
        case DK::Line:
          if (d.line == LK::Hard || (!c.flat && d.line == LK::Line)) {
            newline(c.indent);
          } else {
            emit(" ");
          }
          break;
        case DK::Fill:
          fill(c, d);
          break;
        case DK::Suffix:
          suffixes_.push_back(d.text);
          break;
      }
    }
    finish();
    return std::move(lines_);
  }

 private:
  struct Cmd {
    int indent;
    bool flat;
    int id;
    std::size_t from;  // a Fill: the first part still to print
  };

  bool mark_hard(int id) {
    DocNode& d = pool_[static_cast<std::size_t>(id)];
    bool hard =
        (d.kind == DK::Line && d.line == LK::Hard) || (d.kind == DK::Text && d.text.find('\n') != std::string::npos);
    for (const int k : d.kids) hard = mark_hard(k) || hard;
    d.hard = hard;
    return hard;
  }

  [[nodiscard]] long left() const { return static_cast<long>(width_) - static_cast<long>(col_); }

  void push_kids(int indent, bool flat, const DocNode& d, std::size_t from) {
    for (std::size_t i = d.kids.size(); i > from; --i) stack_.push_back({indent, flat, d.kids[i - 1], 0});
  }

  // Whether `next` (each part flat or not), then what remains to print up to the next line break when
  // `with_rest`, fits in `w` columns.
  [[nodiscard]] bool fits(std::vector<std::pair<bool, int>> next, long w, bool with_rest) const {
    std::vector<std::pair<bool, int>> todo(next.rbegin(), next.rend());
    std::size_t rest = with_rest ? stack_.size() : 0;
    while (true) {
      if (todo.empty()) {
        if (rest == 0) return true;
        const Cmd& r = stack_[--rest];
        const DocNode& rd = pool_[static_cast<std::size_t>(r.id)];
        if (rd.kind == DK::Fill) {
          for (std::size_t i = rd.kids.size(); i > r.from; --i) todo.emplace_back(r.flat, rd.kids[i - 1]);
        } else {
          todo.emplace_back(r.flat, r.id);
        }
        continue;
      }
      const auto [flat, id] = todo.back();
      todo.pop_back();
      const DocNode& d = pool_[static_cast<std::size_t>(id)];
      switch (d.kind) {
        case DK::Text: {
          const std::size_t nl = d.text.find('\n');
          w -= static_cast<long>(utf8_length(std::string_view(d.text).substr(0, nl)));
          if (nl != std::string::npos || w < 0) return w >= 0;
          break;
        }
        case DK::Group:
          for (auto k = d.kids.rbegin(); k != d.kids.rend(); ++k) todo.emplace_back(d.hard ? false : flat, *k);
          break;
        case DK::Concat:
        case DK::Nest:
        case DK::Anchor:
        case DK::Fill:
          for (auto k = d.kids.rbegin(); k != d.kids.rend(); ++k) todo.emplace_back(flat, *k);
          break;
        case DK::Line:
          if (d.line == LK::Hard || (!flat && d.line == LK::Line)) return true;
          if (--w < 0) return false;
          break;
        case DK::Suffix:
          break;
      }
    }
  }

  // Wadler's fill: each part flat if it fits; a separator breaks when the next part would not fit.
  void fill(const Cmd& c, const DocNode& d) {
    if (c.flat) {
      push_kids(c.indent, true, d, c.from);
      return;
    }
    const std::size_t i = c.from;
    if (i >= d.kids.size()) return;
    const int content = d.kids[i];
    const bool content_fits = fits({{true, content}}, left(), false);
    if (i + 2 >= d.kids.size()) {
      if (i + 1 < d.kids.size()) stack_.push_back({c.indent, content_fits, d.kids[i + 1], 0});
      stack_.push_back({c.indent, content_fits, content, 0});
      return;
    }
    const int sep = d.kids[i + 1];
    const bool both_fit = fits({{true, content}, {true, sep}, {true, d.kids[i + 2]}}, left(), false);
    stack_.push_back({c.indent, false, c.id, i + 2});
    stack_.push_back({c.indent, both_fit, sep, 0});
    stack_.push_back({c.indent, content_fits, content, 0});
  }

  void end_line() {
    while (!cur_.empty() && cur_.back() == ' ') cur_.pop_back();
    OutLine l;
    l.code = std::move(cur_);
    if (!suffixes_.empty()) l.comment = suffixes_.front();
    lines_.push_back(std::move(l));
    for (std::size_t s = 1; s < suffixes_.size(); ++s) lines_.push_back({"", suffixes_[s], true});
    suffixes_.clear();
    cur_.clear();
  }

  void newline(int indent) {
    end_line();
    cur_.assign(static_cast<std::size_t>(indent), ' ');
    col_ = static_cast<std::size_t>(indent);
    line_indent_ = indent;
  }

  void emit(std::string_view s) {
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = s.find('\n', start);
      if (nl == std::string_view::npos) {
        cur_ += s.substr(start);
        col_ += utf8_length(s.substr(start));
        return;
      }
      // A line break inside a string: the line is kept byte for byte, and no comment is flushed there.
      cur_ += s.substr(start, nl - start);
      lines_.push_back({std::move(cur_), "", false});
      cur_.clear();
      col_ = 0;
      start = nl + 1;
      const std::size_t text_start = std::min(s.find_first_not_of(" \t", start), s.size());
      line_indent_ = static_cast<int>(text_start - start);
    }
  }

  void finish() {
    while (!cur_.empty() && cur_.back() == ' ') cur_.pop_back();
    if (!cur_.empty() || !suffixes_.empty()) end_line();
  }

  std::vector<DocNode>& pool_;
  std::size_t width_;
  std::vector<Cmd> stack_;
  std::vector<OutLine> lines_;
  std::string cur_;
  std::size_t col_ = 0;
  int line_indent_ = 0;
  std::vector<std::string> suffixes_;
};

// Trailing comments on consecutive lines line up, two columns after the longest code among them.
std::string join_lines(const std::vector<OutLine>& lines) {
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].comment.empty()) {
      out += lines[i].code;
      out += '\n';
      ++i;
      continue;
    }
    std::size_t end = i;
    std::size_t column = 0;
    while (end < lines.size() && !lines[end].comment.empty()) {
      if (!lines[end].continuation) column = std::max(column, utf8_length(lines[end].code) + 2);
      ++end;
    }
    for (; i < end; ++i) {
      const std::size_t w = lines[i].continuation ? 0 : utf8_length(lines[i].code);
      out += lines[i].code;
      out.append(column - w, ' ');
      out += lines[i].comment;
      out += '\n';
    }
  }
  return out;
}

// --- 4. the printer: the canonical layout ------------------------------------------------------------

// Whether a keyword's first word as written is English: the first word of an English spelling of a
// keyword, and of no French one (`version`, `test`, `theme` are both).
bool is_english(std::string_view word) {
  const auto first_of = [&](TextLang lang) {
    for (const KeywordInfo& k : kKeywords) {
      for (std::size_t s = 0; s < keyword_spellings(k.id, lang); ++s) {
        const std::string_view spelling = keyword_spelling(k.id, lang, s);
        if (spelling.substr(0, spelling.find(' ')) == word) return true;
      }
    }
    return false;
  };
  return first_of(TextLang::English) && !first_of(TextLang::French);
}

// A word as the canonical layout writes it: a spelling of one of `ids` is that keyword's canonical
// spelling in its language (`aujourdhui` is `aujourd'hui`, `booleen` is `booléen`); any other word as
// written.
std::string_view canonical_word(std::string_view written, std::initializer_list<Kw> ids) {
  for (const Kw id : ids) {
    for (const TextLang lang : {TextLang::French, TextLang::English}) {
      if (keyword_has_spelling(id, lang, written)) return keyword_text(id, lang);
    }
  }
  return written;
}

// A literal as the canonical layout writes it (`aujourdhui` is `aujourd'hui`).
std::string_view literal_text(std::string_view written) {
  return canonical_word(written, {Kw::True, Kw::False, Kw::Today});
}

class Printer {
 public:
  Printer(const Lexed& lx, Attachment& at, std::vector<DocNode>& pool) : lx_(lx), at_(at), pool_(pool) {
    used_.assign(lx.tokens.size(), false);
  }

  // The document of one declaration (its leading comments are printed by the caller).
  int declaration(const Node& d) {
    pool_.emplace_back(DK::Concat);
    const int root = static_cast<int>(pool_.size()) - 1;
    stack_ = {root};
    last_sep_ = -1;
    pending_break_ = false;
    carry_.clear();
    switch (d.kind) {
      case NK::Rulebase:
        rulebase(d);
        break;
      case NK::Enum:
        keyword(d.kw, pick(d.kw, Kw::Enum));
        open(DK::Nest, 2);
        sep();
        tok(d.t[0]);
        sep();
        member_list(d.k[0]);
        close();
        break;
      case NK::Fact:
        fact(d);
        break;
      case NK::Define:
        define(d);
        break;
      case NK::Output:
        output(d);
        break;
      case NK::Rule:
      case NK::Warning:
        rule(d);
        break;
      case NK::Theme:
        // `theme` is a word of both languages: it is kept as written.
        keyword(d.kw, as_written(d.kw[0]));
        open(DK::Nest, 2);
        sep();
        tok(d.t[0]);
        sep();
        tok(d.t[1]);
        translation(d.tr);
        close();
        break;
      case NK::Test:
        test(d);
        break;
      default:
        throw FormatBug("not a declaration");
    }
    if (!carry_.empty()) leading({});
    return root;
  }

  // Every token printed once, every comment printed: the formatter's own bookkeeping.
  void check_complete() const {
    for (std::size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i])
        throw FormatBug(fmt::format("line {}: `{}` was not printed", lx_.tokens[i].line, lx_.tokens[i].text));
    }
    for (std::size_t i = 0; i < at_.printed.size(); ++i) {
      if (!at_.printed[i]) throw FormatBug(fmt::format("line {}: a comment was not printed", lx_.comments[i].line));
    }
  }

 private:
  // --- building documents, with the comments of each token

  int add(DocNode n) {
    pool_.push_back(std::move(n));
    const int id = static_cast<int>(pool_.size()) - 1;
    pool_[static_cast<std::size_t>(stack_.back())].kids.push_back(id);
    return id;
  }
  void open(DK kind, int indent = 0) {
    DocNode n{kind};
    n.indent = indent;
    stack_.push_back(add(std::move(n)));
  }
  void close() { stack_.pop_back(); }
  void text(std::string s) {
    DocNode n{DK::Text};
    n.text = std::move(s);
    add(std::move(n));
  }
  void line_node(LK kind) {
    DocNode n{DK::Line};
    n.line = kind;
    add(std::move(n));
  }

  // A separator between two tokens. After a trailing comment it is a line break.
  void sep(LK kind = LK::Space) {
    if (pending_break_) {
      kind = LK::Hard;
      pending_break_ = false;
    }
    DocNode n{DK::Line};
    n.line = kind;
    last_sep_ = add(std::move(n));
  }
  void hard() { sep(LK::Hard); }

  void use(std::size_t i) {
    if (used_.at(i))
      throw FormatBug(fmt::format("line {}: `{}` printed twice", lx_.tokens[i].line, lx_.tokens[i].text));
    used_[i] = true;
  }

  // Own-line comments before a token: the line breaks before them, and after each.
  void leading(std::vector<std::size_t> extra) {
    std::vector<std::size_t> list = std::move(carry_);
    carry_.clear();
    list.insert(list.end(), extra.begin(), extra.end());
    if (list.empty()) return;
    if (last_sep_ >= 0) {
      pool_[static_cast<std::size_t>(last_sep_)].line = LK::Hard;
    } else {
      line_node(LK::Hard);
    }
    for (const std::size_t c : list) {
      text(lx_.comments[c].text);
      line_node(LK::Hard);
      at_.printed[c] = true;
    }
    pending_break_ = false;
    last_sep_ = -1;
  }

  void trailing(const std::vector<std::size_t>& list) {
    for (const std::size_t c : list) {
      DocNode n{DK::Suffix};
      n.text = lx_.comments[c].text;
      add(std::move(n));
      at_.printed[c] = true;
      pending_break_ = true;
    }
  }

  std::vector<std::size_t> take_leading(std::size_t i) {
    std::vector<std::size_t> out = std::move(at_.leading[i]);
    at_.leading[i].clear();
    return out;
  }

  // A token, printed as `shown` (its canonical spelling) or as written.
  void tok(std::size_t i, std::string_view shown = {}) {
    use(i);
    leading(take_leading(i));
    text(std::string(shown.empty() ? std::string_view(lx_.tokens[i].text) : shown));
    last_sep_ = -1;
    trailing(at_.trailing[i]);
  }

  // A keyword of one or more words, printed in its canonical spelling.
  void keyword(const std::vector<std::size_t>& words, std::string_view shown) {
    std::vector<std::size_t> lead, trail;
    for (const std::size_t w : words) {
      use(w);
      const auto l = take_leading(w);
      lead.insert(lead.end(), l.begin(), l.end());
      trail.insert(trail.end(), at_.trailing[w].begin(), at_.trailing[w].end());
    }
    leading(std::move(lead));
    text(std::string(shown));
    last_sep_ = -1;
    trailing(trail);
  }

  // A token the layout leaves out (a trailing comma): its comments are still printed.
  void ghost(std::size_t i) {
    use(i);
    const auto l = take_leading(i);
    carry_.insert(carry_.end(), l.begin(), l.end());
    trailing(at_.trailing[i]);
  }

  // Comments just before a closing token, printed inside the block they close.
  void dangling(std::size_t close_tok) {
    std::vector<std::size_t> list = std::move(carry_);
    carry_.clear();
    const auto l = take_leading(close_tok);
    list.insert(list.end(), l.begin(), l.end());
    for (const std::size_t c : list) {
      line_node(LK::Hard);
      text(lx_.comments[c].text);
      at_.printed[c] = true;
      pending_break_ = true;
    }
    last_sep_ = -1;
  }

  // A keyword's canonical spelling in the language of its first word as written.
  [[nodiscard]] std::string_view pick(const std::vector<std::size_t>& kw, Kw id) const { return pick(kw.front(), id); }
  [[nodiscard]] std::string_view pick(std::size_t word, Kw id) const {
    return keyword_text(id, is_english(lx_.tokens[word].text) ? TextLang::English : TextLang::French);
  }
  // `valable à partir du`, the start of a period with no end.
  [[nodiscard]] std::string_view pick_alone(const std::vector<std::size_t>& kw) const {
    return valid_from_alone_text(is_english(lx_.tokens[kw.front()].text) ? TextLang::English : TextLang::French);
  }
  [[nodiscard]] std::string_view as_written(std::size_t word) const { return lx_.tokens[word].text; }

  // --- the layout of each construct

  // The translation of a text: on the text's line when it fits, else on a line of its own, in the
  // enclosing nest (callers open it where a text broken the same way would go, two columns in from the
  // construct). Its own group, so that a translation that does not fit does not move its text.
  void translation(const Translation& tr) {
    if (tr.lang == kNone) return;
    open(DK::Group);
    sep(LK::Line);
    tok(tr.lang);
    sep();
    tok(tr.text);
    close();
  }
  void nested_translation(const Translation& tr) {
    if (tr.lang == kNone) return;
    open(DK::Nest, 2);
    translation(tr);
    close();
  }

  // `{ a, b }` on one line if it fits; else `{`, the items filling lines two columns further in, and
  // `}` under the start of the line that opened it. Labelled members go one per line.
  template <typename Item>
  void braces(std::size_t open_tok, std::size_t close_tok, const std::vector<Node>& items, bool one_per_line,
              Item item) {
    if (items.empty()) {
      tok(open_tok);
      sep();
      tok(close_tok);
      return;
    }
    open(DK::Anchor);
    open(DK::Group);
    tok(open_tok);
    open(DK::Nest, 2);
    sep(LK::Line);
    open(one_per_line ? DK::Concat : DK::Fill);
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (j > 0) sep(LK::Line);
      open(DK::Concat);
      item(items[j]);
      comma_after(items[j], j + 1 == items.size());
      close();
    }
    close();
    dangling(close_tok);
    close();
    sep(LK::Line);
    tok(close_tok);
    close();
    close();
  }

  void comma_after(const Node& item, bool last) {
    if (!last) {
      tok(item.comma);
    } else if (item.comma != kNone) {
      ghost(item.comma);
    }
  }

  void member_list(const Node& list) {
    const bool labelled = std::any_of(list.k.begin(), list.k.end(), [](const Node& m) { return m.t[1] != kNone; });
    braces(list.t[0], list.t[1], list.k, labelled, [this](const Node& m) {
      // A label that does not fit after its member goes to the next line, two columns further in.
      open(DK::Group);
      tok(m.t[0]);
      for (std::size_t k = 2; k + 1 < m.t.size(); k += 2) {
        sep();
        tok(m.t[k]);
        sep();
        tok(m.t[k + 1]);
      }
      if (m.t[1] != kNone) {
        open(DK::Nest, 2);
        sep(LK::Line);
        tok(m.t[1]);
        close();
      }
      close();
      nested_translation(m.tr);
    });
  }

  void member_set(const Node& set) {
    braces(set.t[0], set.t[1], set.k, false, [this](const Node& r) { tok(r.t[0]); });
  }

  void set_literal(const Node& set) {
    braces(set.t[0], set.t[1], set.k, false, [this](const Node& item) {
      tok(item.t[0], literal_text(as_written(item.t[0])));
      if (item.t[1] != kNone) {
        sep();
        tok(item.t[1]);
        sep();
        tok(item.t[2], literal_text(as_written(item.t[2])));
      }
    });
  }

  void type(const Node& t) {
    switch (t.kind) {
      case NK::TypeSet:
        keyword(t.kw, pick(t.kw, Kw::SetOf));
        sep();
        type(t.k[0]);
        break;
      case NK::TypeEnum:
        keyword(t.kw, pick(t.kw, Kw::Enum));
        sep();
        member_list(t.k[0]);
        break;
      default:
        tok(t.t[0], canonical_word(as_written(t.t[0]), {Kw::Bool, Kw::Integer, Kw::String, Kw::Date, Kw::Article}));
        break;
    }
  }

  // `fait NAME : TYPE = DEFAULT "question" en "…"`; the question goes to the next line when it does not
  // fit, its translation to the line after it when it does not fit after it; `aide "…" en "…"` on a
  // line of its own, indented by two, its translation on the next one, two columns further in, when it
  // does not fit.
  void fact(const Node& d) {
    keyword(d.kw, pick(d.kw, Kw::Fact));
    open(DK::Nest, 2);
    open(DK::Group);
    sep();
    tok(d.t[0]);
    sep();
    tok(d.t[1]);
    sep();
    type(d.k[0]);
    if (d.t[2] != kNone) {
      sep();
      tok(d.t[2]);
      sep();
      tok(d.t[3], literal_text(as_written(d.t[3])));
    }
    if (d.t[4] != kNone) {
      sep(LK::Line);
      tok(d.t[4]);
    }
    close();
    translation(d.tr);
    if (!d.k.empty() && d.k.back().kind == NK::Help) {
      const Node& help = d.k.back();
      hard();
      keyword(help.kw, pick(help.kw, Kw::Help));
      sep();
      tok(help.t[0]);
      nested_translation(help.tr);
    }
    close();
  }

  // `base "…" version "…" à jour au D`; `à jour au D` goes to the next line when it does not fit.
  void rulebase(const Node& d) {
    keyword(d.kw, pick(d.kw, Kw::Rulebase));
    open(DK::Group);
    open(DK::Nest, 2);
    for (const std::size_t t : d.t) {
      sep();
      tok(t);
    }
    if (!d.k.empty()) {
      const Node& as_of = d.k[0];
      sep(LK::Line);
      keyword(as_of.kw, pick(as_of.kw, Kw::AsOf));
      sep();
      tok(as_of.t[0]);
    }
    close();
    close();
  }

  // `sortie NAME : TYPE = DEFAULT dans le doute a, b`; `dans le doute` goes to the next line when the
  // declaration does not fit on one, its members continuing under the first.
  void output(const Node& d) {
    keyword(d.kw, pick(d.kw, Kw::Output));
    open(DK::Group);
    open(DK::Nest, 2);
    sep();
    tok(d.t[0]);
    sep();
    tok(d.t[1]);
    sep();
    type(d.k[0]);
    if (d.t[2] != kNone) {
      sep();
      tok(d.t[2]);
      sep();
      tok(d.t[3]);
    }
    if (d.k.size() > 1) {
      const Node& doubt = d.k[1];
      const std::string_view head = pick(doubt.kw, Kw::InDoubt);
      sep(LK::Line);
      keyword(doubt.kw, head);
      sep();
      hanging_list(head, doubt.k, false, [this](const Node& r) { tok(r.t[0]); });
    }
    close();
    close();
  }

  // `définition NAME = EXPR`; when it does not fit, the expression goes to the next line, and breaks
  // there if it must, its operators under its first operand.
  void define(const Node& d) {
    keyword(d.kw, pick(d.kw, Kw::Define));
    open(DK::Nest, 2);
    sep();
    tok(d.t[0]);
    if (d.t[1] != kNone) {
      sep();
      tok(d.t[1]);
      sep();
      type(d.k[0]);
    }
    sep();
    tok(d.t[2]);
    const Node& value = d.k.back();
    if (value.kind == NK::SetLit) {
      sep();
      set_literal(value);
    } else {
      open(DK::Group);
      sep(LK::Line);
      expr(value, 0);
      close();
    }
    close();
  }

  static int clause_rank(NK kind) { return static_cast<int>(kind) - static_cast<int>(NK::Cite); }

  void rule(const Node& d) {
    keyword(d.kw, d.kind == NK::Warning ? pick(d.kw, Kw::Warning) : pick(d.kw, Kw::Rule));
    open(DK::Nest, 2);
    sep();
    tok(d.t[0]);
    if (d.t[1] != kNone) {
      sep();
      tok(d.t[1]);
      translation(d.tr);
    }
    std::vector<const Node*> clauses;
    for (const Node& c : d.k) clauses.push_back(&c);
    std::stable_sort(clauses.begin(), clauses.end(),
                     [](const Node* a, const Node* b) { return clause_rank(a->kind) < clause_rank(b->kind); });
    for (const Node* c : clauses) {
      hard();
      clause(*c);
    }
    close();
  }

  // A list after a clause keyword: continuation lines start under the first item. The items fill the
  // lines, or, `one_per_line`, each has a line of its own.
  template <typename Item>
  void hanging_list(std::string_view keyword_text, const std::vector<Node>& items, bool one_per_line, Item item) {
    open(DK::Nest, static_cast<int>(utf8_length(keyword_text)) + 1);
    open(one_per_line ? DK::Concat : DK::Fill);
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (j > 0) sep(one_per_line ? LK::Hard : LK::Line);
      open(DK::Concat);
      item(items[j]);
      comma_after(items[j], j + 1 == items.size());
      close();
    }
    close();
    close();
  }

  void clause(const Node& c) {
    switch (c.kind) {
      case NK::Cite:
      case NK::Note:
        keyword(c.kw, as_written(c.kw[0]));
        sep();
        tok(c.t[0]);
        nested_translation(c.tr);
        break;
      case NK::Because:
        keyword(c.kw, pick(c.kw, Kw::Because));
        sep();
        tok(c.t[0]);
        nested_translation(c.tr);
        break;
      case NK::Valid: {
        const std::size_t from = c.t[0], until_kw = c.t[1], until = c.t[2], reason = c.t[3];
        const std::string_view head = from == kNone    ? pick(c.kw, Kw::ValidUntil)
                                      : until == kNone ? pick_alone(c.kw)
                                                       : pick(c.kw, Kw::ValidFrom);
        keyword(c.kw, head);
        sep();
        if (from != kNone) {
          tok(from);
          if (until_kw != kNone) {
            sep();
            tok(until_kw, pick(c.kw, Kw::Until));
            sep();
            tok(until);
          }
        } else {
          tok(until);
        }
        if (reason != kNone) {
          sep();
          tok(reason);
          nested_translation(c.tr);
        }
        break;
      }
      case NK::Overrides: {
        const std::string_view head = pick(c.kw, Kw::Overrides);
        keyword(c.kw, head);
        sep();
        hanging_list(head, c.k, false, [this](const Node& r) { tok(r.t[0]); });
        break;
      }
      case NK::When:
        keyword(c.kw, pick(c.kw, Kw::When));
        sep();
        expr(c.k[0], 2);
        break;
      case NK::Proviso:
        // The condition as `quand`'s; the text after it, or on the next line two columns further in.
        // The group opens after the keyword, so that comments before the keyword do not break it.
        keyword(c.kw, pick(c.kw, Kw::Provided));
        open(DK::Group);
        sep();
        expr(c.k[0], 2);
        if (c.t[0] != kNone) {
          open(DK::Nest, 2);
          sep(LK::Line);
          tok(c.t[0]);
          close();
        }
        close();
        nested_translation(c.tr);
        break;
      case NK::Then: {
        const std::string_view head = pick(c.kw, Kw::Then);
        keyword(c.kw, head);
        sep();
        hanging_list(head, c.k, true, [this](const Node& e) {
          tok(e.t[0]);
          sep();
          tok(e.t[1]);
          sep();
          if (e.k[0].kind == NK::MemberSet) {
            member_set(e.k[0]);
          } else {
            tok(e.k[0].t[0]);
          }
        });
        break;
      }
      case NK::Given: {
        const std::string_view head = pick(c.kw, Kw::Given);
        keyword(c.kw, head);
        sep();
        hanging_list(head, c.k, false, [this](const Node& g) {
          tok(g.t[0]);
          sep();
          tok(g.t[1]);
          sep();
          tok(g.t[2]);  // case-file syntax: kept as written
        });
        break;
      }
      case NK::Expect: {
        const std::string_view head = pick(c.kw, Kw::Expect);
        keyword(c.kw, head);
        sep();
        hanging_list(head, c.k, false, [this](const Node& x) { expectation(x); });
        break;
      }
      default:
        throw FormatBug("not a clause");
    }
  }

  void expectation(const Node& x) {
    switch (x.kind) {
      case NK::ExFired:
        keyword(x.kw, pick(x.kw, Kw::Fired));
        sep();
        tok(x.t[0]);
        break;
      case NK::ExNotFired:
        keyword(x.kw, pick(x.kw, Kw::NotFired));
        sep();
        tok(x.t[0]);
        break;
      case NK::ExMissing:
        keyword(x.kw, pick(x.kw, Kw::Missing));
        sep();
        tok(x.t[0]);
        break;
      case NK::ExEquals:
        tok(x.t[0]);
        sep();
        tok(x.t[1]);
        sep();
        if (x.k[0].kind == NK::MemberSet) {
          member_set(x.k[0]);
        } else {
          tok(x.k[0].t[0]);
        }
        break;
      case NK::ExContains:
        tok(x.t[0]);
        sep();
        keyword(x.kw, pick(x.kw, Kw::Contains));
        sep();
        member_set(x.k[0]);
        break;
      case NK::ExUnknown:
        tok(x.t[0]);
        sep();
        keyword(x.kw, pick(x.kw, Kw::UnknownOutput));
        break;
      case NK::ExPossible:
        tok(x.t[0]);
        sep();
        keyword(x.kw, "possible");
        sep();
        member_set(x.k[0]);
        break;
      case NK::ExProviso:
        keyword(x.kw, pick(x.kw, Kw::ExpectProviso));
        sep();
        tok(x.t[0]);
        break;
      case NK::ExDepends:
        keyword(x.kw, pick(x.kw, Kw::DependsOn));
        sep();
        tok(x.t[0]);
        break;
      default:
        throw FormatBug("not an expectation");
    }
  }

  void test(const Node& d) {
    keyword(d.kw, as_written(d.kw[0]));
    open(DK::Nest, 2);
    sep();
    tok(d.t[0]);
    sep();
    tok(d.t[1]);
    for (const Node& c : d.k) {
      hard();
      clause(c);
    }
    dangling(d.t[2]);
    close();
    hard();
    tok(d.t[2]);
  }

  // A chain of `et` (or of `ou`) stays on one line if it fits; else each operator starts a line,
  // `nest` columns in from the chain's first line. A chain inside it breaks the same way, further in.
  void expr(const Node& e, int nest) {
    switch (e.kind) {
      case NK::Or:
      case NK::And:
        open(DK::Group);
        open(DK::Nest, nest);
        expr(e.k[0], 2);
        for (std::size_t j = 1; j < e.k.size(); ++j) {
          sep(LK::Line);
          tok(e.t[j - 1], e.kind == NK::Or ? pick(e.t[j - 1], Kw::Or) : pick(e.t[j - 1], Kw::And));
          sep();
          expr(e.k[j], 2);
        }
        close();
        close();
        break;
      case NK::Not:
        keyword(e.kw, pick(e.kw, Kw::Not));
        sep();
        expr(e.k[0], 2);
        break;
      case NK::Compare:
        expr(e.k[0], 2);
        for (std::size_t j = 1; j < e.k.size(); ++j) {
          sep();
          tok(e.t[j - 1], as_written(e.t[j - 1]) == "=" ? "==" : as_written(e.t[j - 1]));
          sep();
          expr(e.k[j], 2);
        }
        break;
      case NK::In:
        expr(e.k[0], 2);
        sep();
        keyword(e.kw, e.kw.size() == 2 ? pick(e.kw, Kw::NotIn) : pick(e.kw, Kw::In));
        sep();
        if (e.k[1].kind == NK::SetLit) {
          set_literal(e.k[1]);
        } else {
          tok(e.k[1].t[0]);
        }
        break;
      case NK::Known: {
        const std::string_view second = as_written(e.kw[1]);
        const bool unknown = is_keyword_word(Kw::IsUnknown, second, 1);
        expr(e.k[0], 2);
        sep();
        keyword(e.kw, unknown ? pick(e.kw, Kw::IsUnknown) : pick(e.kw, Kw::IsKnown));
        break;
      }
      case NK::Paren:
        tok(e.t[0]);
        expr(e.k[0], 2);
        tok(e.t[1]);
        break;
      case NK::Atom:
        tok(e.t[0], literal_text(as_written(e.t[0])));
        break;
      default:
        throw FormatBug("not an expression");
    }
  }

  const Lexed& lx_;
  Attachment& at_;
  std::vector<DocNode>& pool_;
  std::vector<int> stack_;
  std::vector<bool> used_;
  int last_sep_ = -1;               // the separator written since the last token, if any
  bool pending_break_ = false;      // a trailing comment was written: the next separator breaks the line
  std::vector<std::size_t> carry_;  // comments of a left-out token, for the next token
};

bool is_block(const Decl& d) {
  return d.node.kind == NK::Rule || d.node.kind == NK::Warning || d.node.kind == NK::Test;
}

// --- checking the result -----------------------------------------------------------------------------

// The declarations of a parsed file, every field but positions, as text: two layouts of the same rules
// describe alike.
class Describer {
 public:
  std::string operator()(const ast::Rulebase& rb) {
    for (const auto& h : rb.headers) {
      put("rulebase");
      put(h.name);
      put(h.version);
      put(h.law_as_of ? std::to_string(*h.law_as_of) : "-");
    }
    for (const auto& e : rb.enums) {
      put("enum");
      put(e.name);
      put(fmt::format("lang {}", static_cast<int>(e.lang)));
      list(e.members);
      list(e.labels);
      list(e.labels_tr);
      for (const auto& words : e.synonyms) list(words);
    }
    for (const auto& f : rb.facts) {
      put("fact");
      put(f.name);
      type(f.type);
      put(fmt::format("lang {}", static_cast<int>(f.lang)));
      expr(f.default_value.get());
      for (const std::string* s : {&f.question, &f.question_tr, &f.help, &f.help_tr}) put(*s);
    }
    for (const auto& t : rb.themes) {
      put("theme");
      put(fmt::format("lang {}", static_cast<int>(t.lang)));
      for (const std::string* s : {&t.name, &t.label, &t.label_tr}) put(*s);
    }
    for (const auto& d : rb.defines) {
      put("define");
      put(d.name);
      type(d.type);
      expr(d.value.get());
    }
    for (const auto& o : rb.outputs) {
      put("output");
      put(o.name);
      type(o.type);
      put(o.default_member);
      put(fmt::format("lang {}", static_cast<int>(o.lang)));
      list(o.doubt);
    }
    for (const auto& r : rb.rules) {
      put(r.warning ? "warning" : "rule");
      put(fmt::format("lang {}", static_cast<int>(r.lang)));
      for (const std::string* s : {&r.name, &r.title, &r.cite, &r.because, &r.note, &r.validity_reason, &r.title_tr,
                                   &r.because_tr, &r.note_tr, &r.validity_reason_tr, &r.file})
        put(*s);
      put(r.valid_from ? std::to_string(*r.valid_from) : "-");
      put(r.valid_until ? std::to_string(*r.valid_until) : "-");
      list(r.overrides);
      expr(r.when.get());
      put(fmt::format("provisos {}", r.provisos.size()));
      for (const auto& p : r.provisos) {
        expr(p.condition.get());
        put(p.text);
        put(p.text_tr);
      }
      for (const auto& e : r.effects) {
        put(fmt::format("effect {} {}", e.output, static_cast<int>(e.op)));
        list(e.members);
      }
    }
    for (const auto& t : rb.tests) {
      put("test");
      put(t.name);
      for (const auto& g : t.given) {
        put(fmt::format("given {} {}", g.name, static_cast<int>(g.kind)));
        put(g.text);
      }
      for (const auto& x : t.expect) {
        put(fmt::format("expect {} {} {}", static_cast<int>(x.kind), x.name, x.set_literal));
        list(x.members);
      }
    }
    return std::move(out_);
  }

 private:
  void put(std::string_view s) {
    out_ += fmt::format("{}:", s.size());
    out_ += s;
    out_ += '\n';
  }
  void list(const std::vector<std::string>& items) {
    put(fmt::format("list {}", items.size()));
    for (const auto& s : items) put(s);
  }
  void type(const ast::TypeRef& t) {
    put(fmt::format("type {} {}", t.present, t.is_set));
    put(t.name);
    list(t.members);
    list(t.labels);
    list(t.labels_tr);
    for (const auto& words : t.synonyms) list(words);
  }
  void expr(const ast::Expr* e) {
    if (e == nullptr) {
      put("none");
      return;
    }
    put(fmt::format("expr {} {} {} {} {} {}", static_cast<int>(e->kind), static_cast<int>(e->literal_kind), e->number,
                    e->set_literal, e->negated, e->operands.size()));
    put(e->text);
    for (const auto op : e->ops) put(fmt::format("op {}", static_cast<int>(op)));
    for (const auto& o : e->operands) expr(o.get());
    put(fmt::format("items {}", e->set_items.size()));
    for (const auto& item : e->set_items) {
      expr(item.lo.get());
      expr(item.hi.get());
    }
  }
  std::string out_;
};

std::vector<std::string> comment_texts(std::string_view text) {
  std::vector<std::string> out;
  for (auto& c : format_lexer::lex_rules(text).comments) out.push_back(std::move(c.text));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string layout_rules(std::string_view text) {
  const Lexed lx = format_lexer::lex_rules(text);
  if (!lx.error.empty()) throw FormatBug(fmt::format("line {}: {}", lx.error_line, lx.error));
  std::vector<Decl> decls = Parser(lx.tokens).file();
  Attachment at = attach(lx, decls);
  std::vector<DocNode> pool;
  Printer printer(lx, at, pool);
  std::vector<OutLine> out;
  auto comment_line = [&](std::size_t c, std::string_view indent) {
    out.push_back({std::string(indent) + lx.comments[c].text, "", false});
    at.printed[c] = true;
  };

  for (std::size_t k = 0; k < decls.size(); ++k) {
    const Decl& d = decls[k];
    const std::vector<std::size_t> lead = std::move(at.leading[d.first]);
    at.leading[d.first].clear();
    // Rules and tests stand apart; other declarations keep the grouping they were written in.
    const bool blank_in_source =
        lead.empty() ? lx.tokens[d.first].blank_before : lx.comments[lead.front()].blank_before;
    if (k > 0 && (is_block(d) || is_block(decls[k - 1]) || blank_in_source)) out.push_back({});
    for (std::size_t j = 0; j < lead.size(); ++j) {
      if (j > 0 && lx.comments[lead[j]].blank_before) out.push_back({});
      comment_line(lead[j], "");
    }
    if (!lead.empty() && lx.tokens[d.first].blank_before) out.push_back({});
    const int root = printer.declaration(d.node);
    std::vector<OutLine> lines = Renderer(pool, kFormatWidth).render(root);
    out.insert(out.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
    for (const std::size_t c : at.epilogue[k]) comment_line(c, "  ");
  }
  for (std::size_t j = 0; j < at.trailer.size(); ++j) {
    const bool first_line = out.empty();
    if (!first_line && lx.comments[at.trailer[j]].blank_before) out.push_back({});
    comment_line(at.trailer[j], "");
  }
  printer.check_complete();
  return join_lines(out);
}

FormatResult format_rules(const std::string& name, std::string_view text) {
  FormatResult r;
  r.sources.add(name, std::string(text));
  ast::Rulebase original;
  if (!parse_rules(r.sources, 0, original, r.diags)) {
    r.status = FormatStatus::InvalidSource;
    return r;
  }
  auto bug = [&](std::string problem) {
    r.status = FormatStatus::InternalError;
    r.problem = std::move(problem);
    return r;
  };
  std::string formatted;
  try {
    formatted = layout_rules(text);
  } catch (const std::exception& e) {
    return bug(e.what());
  }

  // The formatter checks its own work: same declarations, same comments, and a fixed point.
  SourceSet again_sources;
  again_sources.add(name, formatted);
  Diagnostics again_diags;
  ast::Rulebase again;
  if (!parse_rules(again_sources, 0, again, again_diags)) {
    const std::string first = render_diagnostic(again_diags.sorted().front(), again_sources);
    return bug(fmt::format("the formatted text does not parse: {}", first.substr(0, first.find('\n'))));
  }
  if (Describer()(original) != Describer()(again))
    return bug("the formatted text does not declare the same rules as the original");
  if (comment_texts(text) != comment_texts(formatted))
    return bug("the formatted text does not hold the same comments as the original");
  try {
    if (layout_rules(formatted) != formatted) return bug("formatting the formatted text changes it again");
  } catch (const std::exception& e) {
    return bug(fmt::format("the formatted text cannot be formatted again: {}", e.what()));
  }
  r.text = std::move(formatted);
  return r;
}

std::string layout_independent_bytes(Program program) {
  program.source_hash = 0;
  for (RuleInfo& rule : program.rules) {
    rule.source_file.clear();
    rule.source_line = 0;
  }
  return serialize_program(program);
}

}  // namespace secretc
