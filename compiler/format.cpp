#include "compiler/format.hpp"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "compiler/ast.hpp"
#include "compiler/cst.hpp"
#include "compiler/parse_rules.hpp"
#include "grammar/keywords.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/utf8.hpp"

// The formatter in four parts:
//   1. the declarations read from the compiler's concrete syntax tree (compiler/cst.hpp: the parse of
//      compiler/parse_rules.cpp with every token and comment kept), each token by its role;
//   2. comment attachment: each comment belongs to one token (or to the end of a declaration);
//   3. a layout engine in the manner of Wadler's "prettier printer": documents made of text, line
//      breaks, groups that break all together when they do not fit, nesting, and fills;
//   4. the printer, which turns each declaration into a document, the canonical layout being there.
// docs/language.md ("Layout") states the layout this produces.

namespace secretc {

namespace {

using cst::Comment;
using cst::kNone;
using cst::Token;
using cst::TokenKind;

// A formatter bug, never the user's fault: the file is then left as it is.
struct FormatBug : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --- 1. the declarations, read from the compiler's syntax tree ---------------------------------------

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

// One node per construct, its tokens (indexes in cst::Cst::tokens) by role; kNone: a token not written.
struct Node {
  explicit Node(NK node_kind) : kind(node_kind) {}
  NK kind;
  std::vector<std::size_t> kw;  // the words of the construct's keyword, as written
  std::size_t name = kNone;     // what it declares or names: a declaration, a member, a rule, a fact, an output, a type
  std::size_t text = kNone;     // its text: a title, a question, a label, a reason, a clause's text, a test's name
  std::size_t colon = kNone;
  std::size_t eq = kNone;                                     // `=` (`+=` in an effect)
  std::size_t value = kNone;                                  // a default, a given value, a date, an atom
  std::size_t open = kNone;                                   // `{` or `(`
  std::size_t close = kNone;                                  // `}` or `)`
  std::size_t version_kw = kNone, version = kNone;            // a header's `version "…"`
  std::size_t from = kNone, until_kw = kNone, until = kNone;  // a validity period
  std::size_t lo = kNone, dots = kNone, hi = kNone;           // a set item: `lo`, or `lo .. hi`
  std::vector<std::size_t> ops;                               // Or, And, Compare: the operators
  std::vector<std::pair<std::size_t, std::size_t>> synonyms;  // a member's `|` and word, each
  std::vector<Node> k;                                        // its parts
  std::size_t comma = kNone;                                  // in a list: the `,` written after the item
  Translation tr;                                             // the translation of its text

  // The part it is built around: the type of a declaration, the member list of an enumeration, the
  // condition of a clause, the value of an effect, the set of an expectation, the operand of `non`, of
  // parentheses, the left side of `dans` and `est connu`.
  [[nodiscard]] const Node& main() const {
    if (k.empty()) throw FormatBug("a construct lacks its main part");
    return k.front();
  }
  // Its optional part of that kind (`aide`, `à jour au`, `dans le doute`), or nullptr.
  [[nodiscard]] const Node* optional(NK part) const {
    for (const Node& n : k) {
      if (n.kind == part) return &n;
    }
    return nullptr;
  }
};

struct Decl {
  Node node;
  std::size_t first = 0;  // its first token
};

// The formatter's nodes from the syntax tree of compiler/parse_rules.cpp, each part found by its
// grammar rule (cst::Kind): the grammar is written once, in grammar/rules_grammar.hpp.
class Reader {
 public:
  static std::vector<Decl> file(const cst::Cst& c) {
    std::vector<Decl> out;
    for (const CNode& d : c.root.kids) out.push_back({declaration(d), d.first_token()});
    return out;
  }

 private:
  using CNode = cst::Node;
  using K = cst::Kind;

  static std::size_t tok(const CNode& n, K kind) { return n.get(kind).first_token(); }
  static std::size_t opt(const CNode& n, K kind) {
    const CNode* part = n.find(kind);
    return part == nullptr ? kNone : part->first_token();
  }
  static std::vector<std::size_t> words(const CNode& n, Kw id) {
    const CNode* k = n.keyword(id);
    if (k == nullptr)
      throw FormatBug(fmt::format("the syntax tree lacks the keyword `{}`", keyword_text(id, TextLang::English)));
    return k->tokens();
  }
  // The second part written: what follows a clause's keyword (an expression, which may itself be a
  // keyword literal), a comparison's operator, a parenthesis, an output's name.
  static const CNode& second_part(const CNode& n) {
    if (n.kids.size() < 2) throw FormatBug("the syntax tree lacks a part after a keyword");
    return n.kids[1];
  }
  static Translation translation(const CNode& n) {
    Translation tr;
    if (const CNode* t = n.find(K::Translation)) {
      tr.lang = tok(*t, K::Lang);
      tr.text = tok(*t, K::String);
    }
    return tr;
  }

  // The items of a list, those of kind `item_kind`, each with the `,` written after it.
  template <typename Item>
  static std::vector<Node> items(const CNode& n, std::initializer_list<K> item_kinds, Item item) {
    std::vector<Node> out;
    for (const CNode& k : n.kids) {
      if (k.is(K::Comma)) {
        if (!out.empty()) out.back().comma = k.token;
      } else if (std::find(item_kinds.begin(), item_kinds.end(), k.kind) != item_kinds.end()) {
        out.push_back(item(k));
      }
    }
    return out;
  }
  static Node ref(const CNode& n) {
    Node r{NK::Ref};
    r.name = n.first_token();
    return r;
  }
  static Node atom(const CNode& n) {
    Node a{NK::Atom};
    a.value = n.first_token();
    return a;
  }

  static Node declaration(const CNode& d) {
    switch (d.kind) {
      case K::RulebaseDecl: {
        Node n{NK::Rulebase};
        n.kw = words(d, Kw::Rulebase);
        n.text = tok(d, K::RulebaseName);
        n.version_kw = words(d, Kw::Version).front();
        n.version = tok(d, K::RulebaseVersion);
        if (const CNode* as_of = d.find(K::LawAsOf)) {
          Node a{NK::AsOf};
          a.kw = words(*as_of, Kw::AsOf);
          a.value = tok(*as_of, K::Date);
          n.k.push_back(std::move(a));
        }
        return n;
      }
      case K::EnumDecl: {
        Node n{NK::Enum};
        n.kw = words(d, Kw::Enum);
        n.name = tok(d, K::EnumName);
        n.k.push_back(member_list(d.get(K::MemberList)));
        return n;
      }
      case K::FactDecl:
        return fact(d);
      case K::DefineDecl:
        return define(d);
      case K::OutputDecl:
        return output(d);
      case K::RuleDecl:
      case K::WarningDecl:
        return rule(d);
      case K::ThemeDecl: {
        Node n{NK::Theme};
        n.kw = words(d, Kw::Theme);
        n.name = tok(d, K::ThemeName);
        n.text = tok(d, K::ThemeLabel);
        n.tr = translation(d);
        return n;
      }
      case K::TestDecl:
        return test(d);
      default:
        throw FormatBug("the syntax tree holds something else than a declaration");
    }
  }

  static Node member_list(const CNode& list) {
    Node n{NK::MemberList};
    n.open = tok(list, K::OpenBrace);
    n.close = tok(list, K::CloseBrace);
    n.k = items(list, {K::LabelledMember}, [](const CNode& m) {
      Node member{NK::Member};
      member.name = tok(m, K::Member);
      for (const CNode* s : m.all(K::Synonym)) member.synonyms.emplace_back(tok(*s, K::Bar), tok(*s, K::SynonymWord));
      member.text = opt(m, K::MemberLabel);
      member.tr = translation(m);
      return member;
    });
    return n;
  }

  static const CNode& type_part(const CNode& d) {
    for (const CNode& k : d.kids) {
      if (k.is(K::SetType) || k.is(K::InlineEnum) || k.is(K::TypeName)) return k;
    }
    throw FormatBug("the syntax tree lacks a type");
  }
  static Node type(const CNode& t) {
    if (t.is(K::SetType)) {
      Node n{NK::TypeSet};
      n.kw = words(t, Kw::SetOf);
      n.k.push_back(type(type_part(t)));
      return n;
    }
    if (t.is(K::InlineEnum)) {
      Node n{NK::TypeEnum};
      n.kw = words(t, Kw::Enum);
      n.k.push_back(member_list(t.get(K::MemberList)));
      return n;
    }
    Node n{NK::TypeName};
    n.name = t.first_token();
    return n;
  }

  static Node fact(const CNode& d) {
    Node n{NK::Fact};
    n.kw = words(d, Kw::Fact);
    n.name = tok(d, K::Name);
    n.colon = tok(d, K::Colon);
    n.k.push_back(type(type_part(d)));
    n.eq = opt(d, K::Equals);
    n.value = opt(d, K::DefaultValue);
    n.text = opt(d, K::Question);
    n.tr = translation(d);
    if (const CNode* help = d.find(K::HelpClause)) {
      Node h{NK::Help};
      h.kw = words(*help, Kw::Help);
      h.text = tok(*help, K::String);
      h.tr = translation(*help);
      n.k.push_back(std::move(h));
    }
    return n;
  }

  static Node define(const CNode& d) {
    Node n{NK::Define};
    n.kw = words(d, Kw::Define);
    n.name = tok(d, K::Name);
    n.colon = opt(d, K::Colon);
    if (n.colon != kNone) n.k.push_back(type(type_part(d)));
    n.eq = tok(d, K::Equals);
    const CNode& value = d.kids.back();
    n.k.push_back(value.is(K::SetLit) ? set_literal(value) : expr(value));
    return n;
  }

  static Node output(const CNode& d) {
    Node n{NK::Output};
    n.kw = words(d, Kw::Output);
    n.name = tok(d, K::Name);
    n.colon = tok(d, K::Colon);
    n.k.push_back(type(type_part(d)));
    n.eq = opt(d, K::Equals);
    n.value = opt(d, K::OutputDefault);
    if (const CNode* doubt = d.find(K::DoubtClause)) {
      Node c{NK::Doubt};
      c.kw = words(*doubt, Kw::InDoubt);
      c.k = items(*doubt, {K::DoubtMember}, ref);
      n.k.push_back(std::move(c));
    }
    return n;
  }

  // A rule or a warning (which takes a rule's clauses); its clauses as written.
  static Node rule(const CNode& d) {
    const bool warning = d.is(K::WarningDecl);
    Node n{warning ? NK::Warning : NK::Rule};
    n.kw = words(d, warning ? Kw::Warning : Kw::Rule);
    n.name = tok(d, K::RuleName);
    n.text = opt(d, K::RuleTitle);
    n.tr = translation(d);  // only the title's translation stands among the clauses
    for (const CNode& c : d.kids) {
      switch (c.kind) {
        case K::CiteClause:  // a reference is not translated
          n.k.push_back(string_clause(NK::Cite, Kw::Cite, c));
          break;
        case K::NoteClause:
          n.k.push_back(string_clause(NK::Note, Kw::Note, c));
          break;
        case K::BecauseClause:
          n.k.push_back(string_clause(NK::Because, Kw::Because, c));
          break;
        case K::ValidClause:
          n.k.push_back(valid(c));
          break;
        case K::OverridesClause: {
          Node o{NK::Overrides};
          o.kw = words(c, Kw::Overrides);
          o.k = items(c, {K::RuleRef}, ref);
          n.k.push_back(std::move(o));
          break;
        }
        case K::WhenClause: {
          Node w{NK::When};
          w.kw = words(c, Kw::When);
          w.k.push_back(expr(second_part(c)));
          n.k.push_back(std::move(w));
          break;
        }
        case K::ProvisoClause: {
          Node p{NK::Proviso};
          p.kw = words(c, Kw::Provided);
          p.k.push_back(expr(second_part(c)));
          p.text = opt(c, K::ProvisoText);
          p.tr = translation(c);
          n.k.push_back(std::move(p));
          break;
        }
        case K::ThenClause: {
          Node t{NK::Then};
          t.kw = words(c, Kw::Then);
          t.k = items(c, {K::EffectAdd, K::EffectAssign}, [](const CNode& e) {
            Node effect{NK::Effect};
            effect.name = tok(e, K::Name);
            effect.eq = tok(e, e.is(K::EffectAdd) ? K::AddOp : K::Equals);
            const CNode* set = e.find(K::MemberSet);
            effect.k.push_back(set != nullptr ? member_set(*set) : atom(e.get(K::Member)));
            return effect;
          });
          n.k.push_back(std::move(t));
          break;
        }
        default:
          break;
      }
    }
    return n;
  }

  static Node string_clause(NK kind, Kw id, const CNode& c) {
    Node n{kind};
    n.kw = words(c, id);
    n.text = tok(c, K::String);
    n.tr = translation(c);
    return n;
  }

  // `valable du D au D "…"`, `valable à partir du D`, `valable jusqu'au D`
  static Node valid(const CNode& c) {
    Node n{NK::Valid};
    n.kw = words(c, c.keyword(Kw::ValidFrom) != nullptr ? Kw::ValidFrom : Kw::ValidUntil);
    n.from = opt(c, K::ValidFromDate);
    if (c.keyword(Kw::Until) != nullptr) n.until_kw = words(c, Kw::Until).front();
    n.until = opt(c, K::ValidUntilDate);
    n.text = opt(c, K::ValidityReason);
    n.tr = translation(c);
    return n;
  }

  static Node test(const CNode& d) {
    Node n{NK::Test};
    n.kw = words(d, Kw::Test);
    n.text = tok(d, K::TestName);
    n.open = tok(d, K::OpenBrace);
    n.close = tok(d, K::TestClose);
    for (const CNode& c : d.kids) {
      if (c.is(K::GivenClause)) {
        Node g{NK::Given};
        g.kw = words(c, Kw::Given);
        g.k = items(c, {K::GivenItem}, [](const CNode& item) {
          Node i{NK::GivenItem};
          i.name = tok(item, K::Name);
          i.eq = tok(item, K::Equals);
          i.value = item.kids.back().first_token();
          return i;
        });
        n.k.push_back(std::move(g));
      } else if (c.is(K::ExpectClause)) {
        Node x{NK::Expect};
        x.kw = words(c, Kw::Expect);
        x.k = items(
            c,
            {K::ExpectFired, K::ExpectNotFired, K::ExpectMissing, K::ExpectOutput, K::ExpectProviso, K::ExpectDepends},
            expectation);
        n.k.push_back(std::move(x));
      }
    }
    return n;
  }

  static Node named_expectation(NK kind, Kw id, K name, const CNode& x) {
    Node n{kind};
    n.kw = words(x, id);
    n.name = tok(x, name);
    return n;
  }

  static Node expectation(const CNode& x) {
    switch (x.kind) {
      case K::ExpectFired:
        return named_expectation(NK::ExFired, Kw::Fired, K::RuleRef, x);
      case K::ExpectNotFired:
        return named_expectation(NK::ExNotFired, Kw::NotFired, K::RuleRef, x);
      case K::ExpectMissing:
        return named_expectation(NK::ExMissing, Kw::Missing, K::Name, x);
      case K::ExpectProviso:
        return named_expectation(NK::ExProviso, Kw::ExpectProviso, K::RuleRef, x);
      case K::ExpectDepends:
        return named_expectation(NK::ExDepends, Kw::DependsOn, K::Name, x);
      default:
        break;
    }
    // An output's expectation: its name, then `= …`, `contient {…}`, `possible {…}` or `inconnue`.
    const std::size_t name = tok(x, K::Name);
    const CNode& rest = second_part(x);
    if (rest.is(K::ExpectEquals)) {
      Node n{NK::ExEquals};
      n.name = name;
      n.eq = tok(rest, K::Equals);
      const CNode* set = rest.find(K::MemberSet);
      n.k.push_back(set != nullptr ? member_set(*set) : atom(rest.get(K::Member)));
      return n;
    }
    if (rest.is(K::ExpectContains) || rest.is(K::ExpectPossible)) {
      const bool possible = rest.is(K::ExpectPossible);
      Node n{possible ? NK::ExPossible : NK::ExContains};
      n.name = name;
      n.kw = words(rest, possible ? Kw::Possible : Kw::Contains);
      n.k.push_back(member_set(rest.get(K::MemberSet)));
      return n;
    }
    if (!rest.is(K::ExpectUnknown)) throw FormatBug("the syntax tree holds an unknown expectation");
    Node n{NK::ExUnknown};
    n.name = name;
    n.kw = rest.tokens();  // the rule is the keyword's itself: its words are the node's
    return n;
  }

  static Node member_set(const CNode& set) {
    Node n{NK::MemberSet};
    n.open = tok(set, K::OpenBrace);
    n.close = tok(set, K::CloseBrace);
    n.k = items(set, {K::Member}, ref);
    return n;
  }

  static Node set_literal(const CNode& set) {
    Node n{NK::SetLit};
    n.open = tok(set, K::OpenBrace);
    n.close = tok(set, K::CloseBrace);
    n.k = items(set, {K::SetItem}, [](const CNode& item) {
      Node i{NK::SetItem};
      i.lo = item.kids.front().first_token();
      i.dots = opt(item, K::DotDot);
      i.hi = opt(item, K::RangeEnd);
      return i;
    });
    return n;
  }

  static Node expr(const CNode& e) {
    switch (e.kind) {
      case K::OrExpr:
      case K::AndExpr: {
        const bool is_or = e.is(K::OrExpr);
        Node n{is_or ? NK::Or : NK::And};
        for (const CNode& k : e.kids) {
          if (k.is_keyword(is_or ? Kw::Or : Kw::And)) {
            n.ops.push_back(k.first_token());
          } else {
            n.k.push_back(expr(k));
          }
        }
        return n;
      }
      case K::Negation: {
        Node n{NK::Not};
        n.kw = words(e, Kw::Not);
        n.k.push_back(expr(second_part(e)));
        return n;
      }
      case K::Comparison:
        return comparison(e);
      case K::Paren: {
        Node n{NK::Paren};
        n.open = tok(e, K::OpenParen);
        n.close = tok(e, K::CloseParen);
        n.k.push_back(expr(second_part(e)));
        return n;
      }
      default:
        return atom(e);
    }
  }

  // `a == b < c`, `a dans {…}`, `a non dans s`, `a est connu`
  static Node comparison(const CNode& e) {
    const CNode& tail = second_part(e);
    if (tail.is(K::CompareOp)) {
      Node n{NK::Compare};
      for (const CNode& k : e.kids) {
        if (k.is(K::CompareOp)) {
          n.ops.push_back(k.token);
        } else {
          n.k.push_back(expr(k));
        }
      }
      return n;
    }
    if (tail.is_keyword(Kw::In) || tail.is_keyword(Kw::NotIn)) {
      Node n{NK::In};
      n.kw = tail.tokens();
      n.k.push_back(expr(e.kids.front()));
      const CNode& set = e.kids.back();
      n.k.push_back(set.is(K::SetLit) ? set_literal(set) : atom(set));
      return n;
    }
    if (tail.is_keyword(Kw::IsKnown) || tail.is_keyword(Kw::IsUnknown)) {
      Node n{NK::Known};
      n.kw = tail.tokens();
      n.k.push_back(expr(e.kids.front()));
      return n;
    }
    throw FormatBug("the syntax tree holds an unknown comparison");
  }
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

Attachment attach(const cst::Cst& src, const std::vector<Decl>& decls) {
  Attachment a;
  const auto& toks = src.tokens;
  const auto& coms = src.comments;
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
  Printer(const cst::Cst& src, Attachment& at, std::vector<DocNode>& pool) : src_(src), at_(at), pool_(pool) {
    used_.assign(src.tokens.size(), false);
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
        tok(d.name);
        sep();
        member_list(d.main());
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
        tok(d.name);
        sep();
        tok(d.text);
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
        throw FormatBug(fmt::format("line {}: `{}` was not printed", src_.tokens[i].line, src_.tokens[i].text));
    }
    for (std::size_t i = 0; i < at_.printed.size(); ++i) {
      if (!at_.printed[i]) throw FormatBug(fmt::format("line {}: a comment was not printed", src_.comments[i].line));
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
      throw FormatBug(fmt::format("line {}: `{}` printed twice", src_.tokens[i].line, src_.tokens[i].text));
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
      text(src_.comments[c].text);
      line_node(LK::Hard);
      at_.printed[c] = true;
    }
    pending_break_ = false;
    last_sep_ = -1;
  }

  void trailing(const std::vector<std::size_t>& list) {
    for (const std::size_t c : list) {
      DocNode n{DK::Suffix};
      n.text = src_.comments[c].text;
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
    text(std::string(shown.empty() ? std::string_view(src_.tokens[i].text) : shown));
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
      text(src_.comments[c].text);
      at_.printed[c] = true;
      pending_break_ = true;
    }
    last_sep_ = -1;
  }

  // A keyword's canonical spelling in the language of its first word as written.
  [[nodiscard]] std::string_view pick(const std::vector<std::size_t>& kw, Kw id) const { return pick(kw.front(), id); }
  [[nodiscard]] std::string_view pick(std::size_t word, Kw id) const {
    return keyword_text(id, is_english(src_.tokens[word].text) ? TextLang::English : TextLang::French);
  }
  // `valable à partir du`, the start of a period with no end.
  [[nodiscard]] std::string_view pick_alone(const std::vector<std::size_t>& kw) const {
    return valid_from_alone_text(is_english(src_.tokens[kw.front()].text) ? TextLang::English : TextLang::French);
  }
  [[nodiscard]] std::string_view as_written(std::size_t word) const { return src_.tokens[word].text; }

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
    const bool labelled = std::any_of(list.k.begin(), list.k.end(), [](const Node& m) { return m.text != kNone; });
    braces(list.open, list.close, list.k, labelled, [this](const Node& m) {
      // A label that does not fit after its member goes to the next line, two columns further in.
      open(DK::Group);
      tok(m.name);
      for (const auto& [bar, word] : m.synonyms) {
        sep();
        tok(bar);
        sep();
        tok(word);
      }
      if (m.text != kNone) {
        open(DK::Nest, 2);
        sep(LK::Line);
        tok(m.text);
        close();
      }
      close();
      nested_translation(m.tr);
    });
  }

  void member_set(const Node& set) {
    braces(set.open, set.close, set.k, false, [this](const Node& r) { tok(r.name); });
  }

  void set_literal(const Node& set) {
    braces(set.open, set.close, set.k, false, [this](const Node& item) {
      tok(item.lo, literal_text(as_written(item.lo)));
      if (item.dots != kNone) {
        sep();
        tok(item.dots);
        sep();
        tok(item.hi, literal_text(as_written(item.hi)));
      }
    });
  }

  void type(const Node& t) {
    switch (t.kind) {
      case NK::TypeSet:
        keyword(t.kw, pick(t.kw, Kw::SetOf));
        sep();
        type(t.main());
        break;
      case NK::TypeEnum:
        keyword(t.kw, pick(t.kw, Kw::Enum));
        sep();
        member_list(t.main());
        break;
      default:
        tok(t.name, canonical_word(as_written(t.name), {Kw::Bool, Kw::Integer, Kw::String, Kw::Date, Kw::Article}));
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
    tok(d.name);
    sep();
    tok(d.colon);
    sep();
    type(d.main());
    if (d.eq != kNone) {
      sep();
      tok(d.eq);
      sep();
      tok(d.value, literal_text(as_written(d.value)));
    }
    if (d.text != kNone) {
      sep(LK::Line);
      tok(d.text);
    }
    close();
    translation(d.tr);
    if (const Node* help = d.optional(NK::Help)) {
      hard();
      keyword(help->kw, pick(help->kw, Kw::Help));
      sep();
      tok(help->text);
      nested_translation(help->tr);
    }
    close();
  }

  // `base "…" version "…" à jour au D`; `à jour au D` goes to the next line when it does not fit.
  void rulebase(const Node& d) {
    keyword(d.kw, pick(d.kw, Kw::Rulebase));
    open(DK::Group);
    open(DK::Nest, 2);
    for (const std::size_t t : {d.text, d.version_kw, d.version}) {
      sep();
      tok(t);
    }
    if (const Node* as_of = d.optional(NK::AsOf)) {
      sep(LK::Line);
      keyword(as_of->kw, pick(as_of->kw, Kw::AsOf));
      sep();
      tok(as_of->value);
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
    tok(d.name);
    sep();
    tok(d.colon);
    sep();
    type(d.main());
    if (d.eq != kNone) {
      sep();
      tok(d.eq);
      sep();
      tok(d.value);
    }
    if (const Node* doubt = d.optional(NK::Doubt)) {
      const std::string_view head = pick(doubt->kw, Kw::InDoubt);
      sep(LK::Line);
      keyword(doubt->kw, head);
      sep();
      hanging_list(head, doubt->k, false, [this](const Node& r) { tok(r.name); });
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
    tok(d.name);
    if (d.colon != kNone) {
      sep();
      tok(d.colon);
      sep();
      type(d.main());
    }
    sep();
    tok(d.eq);
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
    tok(d.name);
    if (d.text != kNone) {
      sep();
      tok(d.text);
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
        tok(c.text);
        nested_translation(c.tr);
        break;
      case NK::Because:
        keyword(c.kw, pick(c.kw, Kw::Because));
        sep();
        tok(c.text);
        nested_translation(c.tr);
        break;
      case NK::Valid: {
        const std::size_t from = c.from, until_kw = c.until_kw, until = c.until, reason = c.text;
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
        hanging_list(head, c.k, false, [this](const Node& r) { tok(r.name); });
        break;
      }
      case NK::When:
        keyword(c.kw, pick(c.kw, Kw::When));
        sep();
        expr(c.main(), 2);
        break;
      case NK::Proviso:
        // The condition as `quand`'s; the text after it, or on the next line two columns further in.
        // The group opens after the keyword, so that comments before the keyword do not break it.
        keyword(c.kw, pick(c.kw, Kw::Provided));
        open(DK::Group);
        sep();
        expr(c.main(), 2);
        if (c.text != kNone) {
          open(DK::Nest, 2);
          sep(LK::Line);
          tok(c.text);
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
          tok(e.name);
          sep();
          tok(e.eq);
          sep();
          if (e.main().kind == NK::MemberSet) {
            member_set(e.main());
          } else {
            tok(e.main().value);
          }
        });
        break;
      }
      case NK::Given: {
        const std::string_view head = pick(c.kw, Kw::Given);
        keyword(c.kw, head);
        sep();
        hanging_list(head, c.k, false, [this](const Node& g) {
          tok(g.name);
          sep();
          tok(g.eq);
          sep();
          tok(g.value);  // case-file syntax: kept as written
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
      // The expectations that are a keyword and a name.
      case NK::ExFired:
      case NK::ExNotFired:
      case NK::ExMissing:
      case NK::ExProviso:
      case NK::ExDepends: {
        const Kw kw = x.kind == NK::ExFired      ? Kw::Fired
                      : x.kind == NK::ExNotFired ? Kw::NotFired
                      : x.kind == NK::ExMissing  ? Kw::Missing
                      : x.kind == NK::ExProviso  ? Kw::ExpectProviso
                                                 : Kw::DependsOn;
        keyword(x.kw, pick(x.kw, kw));
        sep();
        tok(x.name);
        break;
      }
      case NK::ExEquals:
        tok(x.name);
        sep();
        tok(x.eq);
        sep();
        if (x.main().kind == NK::MemberSet) {
          member_set(x.main());
        } else {
          tok(x.main().value);
        }
        break;
      case NK::ExContains:
        tok(x.name);
        sep();
        keyword(x.kw, pick(x.kw, Kw::Contains));
        sep();
        member_set(x.main());
        break;
      case NK::ExUnknown:
        tok(x.name);
        sep();
        keyword(x.kw, pick(x.kw, Kw::UnknownOutput));
        break;
      case NK::ExPossible:
        tok(x.name);
        sep();
        keyword(x.kw, "possible");
        sep();
        member_set(x.main());
        break;
      default:
        throw FormatBug("not an expectation");
    }
  }

  void test(const Node& d) {
    keyword(d.kw, as_written(d.kw[0]));
    open(DK::Nest, 2);
    sep();
    tok(d.text);
    sep();
    tok(d.open);
    for (const Node& c : d.k) {
      hard();
      clause(c);
    }
    dangling(d.close);
    close();
    hard();
    tok(d.close);
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
          tok(e.ops[j - 1], e.kind == NK::Or ? pick(e.ops[j - 1], Kw::Or) : pick(e.ops[j - 1], Kw::And));
          sep();
          expr(e.k[j], 2);
        }
        close();
        close();
        break;
      case NK::Not:
        keyword(e.kw, pick(e.kw, Kw::Not));
        sep();
        expr(e.main(), 2);
        break;
      case NK::Compare:
        expr(e.k[0], 2);
        for (std::size_t j = 1; j < e.k.size(); ++j) {
          sep();
          tok(e.ops[j - 1], as_written(e.ops[j - 1]) == "=" ? "==" : as_written(e.ops[j - 1]));
          sep();
          expr(e.k[j], 2);
        }
        break;
      case NK::In:
        expr(e.main(), 2);
        sep();
        keyword(e.kw, e.kw.size() == 2 ? pick(e.kw, Kw::NotIn) : pick(e.kw, Kw::In));
        sep();
        if (e.k.back().kind == NK::SetLit) {
          set_literal(e.k.back());
        } else {
          tok(e.k.back().value);
        }
        break;
      case NK::Known: {
        const std::string_view second = as_written(e.kw[1]);
        const bool unknown = is_keyword_word(Kw::IsUnknown, second, 1);
        expr(e.main(), 2);
        sep();
        keyword(e.kw, unknown ? pick(e.kw, Kw::IsUnknown) : pick(e.kw, Kw::IsKnown));
        break;
      }
      case NK::Paren:
        tok(e.open);
        expr(e.main(), 2);
        tok(e.close);
        break;
      case NK::Atom:
        tok(e.value, literal_text(as_written(e.value)));
        break;
      default:
        throw FormatBug("not an expression");
    }
  }

  const cst::Cst& src_;
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

std::vector<std::string> comment_texts(const cst::Cst& src) {
  std::vector<std::string> out;
  for (const auto& c : src.comments) out.push_back(c.text);
  std::sort(out.begin(), out.end());
  return out;
}

// The syntax tree of a text the compiler's parser has accepted.
cst::Cst syntax_tree(std::string_view text) {
  cst::Cst src = cst::parse_rules_cst(text);
  if (!src.error.empty()) throw FormatBug(fmt::format("line {}: {}", src.error_line, src.error));
  return src;
}

std::string layout(const cst::Cst& src) {
  std::vector<Decl> decls = Reader::file(src);
  Attachment at = attach(src, decls);
  std::vector<DocNode> pool;
  Printer printer(src, at, pool);
  std::vector<OutLine> out;
  auto comment_line = [&](std::size_t c, std::string_view indent) {
    out.push_back({std::string(indent) + src.comments[c].text, "", false});
    at.printed[c] = true;
  };

  for (std::size_t k = 0; k < decls.size(); ++k) {
    const Decl& d = decls[k];
    const std::vector<std::size_t> lead = std::move(at.leading[d.first]);
    at.leading[d.first].clear();
    // Rules and tests stand apart; other declarations keep the grouping they were written in.
    const bool blank_in_source =
        lead.empty() ? src.tokens[d.first].blank_before : src.comments[lead.front()].blank_before;
    if (k > 0 && (is_block(d) || is_block(decls[k - 1]) || blank_in_source)) out.push_back({});
    for (std::size_t j = 0; j < lead.size(); ++j) {
      if (j > 0 && src.comments[lead[j]].blank_before) out.push_back({});
      comment_line(lead[j], "");
    }
    if (!lead.empty() && src.tokens[d.first].blank_before) out.push_back({});
    const int root = printer.declaration(d.node);
    std::vector<OutLine> lines = Renderer(pool, kFormatWidth).render(root);
    out.insert(out.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
    for (const std::size_t c : at.epilogue[k]) comment_line(c, "  ");
  }
  for (std::size_t j = 0; j < at.trailer.size(); ++j) {
    const bool first_line = out.empty();
    if (!first_line && src.comments[at.trailer[j]].blank_before) out.push_back({});
    comment_line(at.trailer[j], "");
  }
  printer.check_complete();
  return join_lines(out);
}

}  // namespace

std::string layout_rules(std::string_view text) {
  return layout(syntax_tree(text));
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
  cst::Cst tree;
  try {
    tree = syntax_tree(text);
    formatted = layout(tree);
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
  try {
    const cst::Cst again_tree = syntax_tree(formatted);
    if (comment_texts(tree) != comment_texts(again_tree))
      return bug("the formatted text does not hold the same comments as the original");
    if (layout(again_tree) != formatted) return bug("formatting the formatted text changes it again");
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
