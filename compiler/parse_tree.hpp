// The parse trees of rule files, for the translation units that build them: the compiler's
// (compiler/parse_rules.cpp, with recovery from syntax errors), the formatter's (compiler/parse_cst.cpp,
// every token kept), and the test comparing both with p::parse_tree's
// (tests/grammar/parse_trees_agree_test.cpp). An instantiation of the grammar costs a minute or more of
// compiling: each unit has its own (the test, PEGTL's two), so that they are compiled side by side.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "compiler/cst.hpp"
#include "compiler/parse_rules.hpp"
#include "grammar/rules_errors.hpp"
#include "grammar/rules_grammar.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc::rules_parse {

namespace p = tao::pegtl;
namespace g = grammar::rules;

// Parse-tree nodes come and go by the thousand: every rule tried makes one and every failed try frees
// it again. They are taken from a free list of the thread's instead of from malloc each time (a third
// of compiling the Belgian rulebase went to malloc and free). Under AddressSanitizer each node is its
// own allocation, so that a node used after it is freed is still caught.
class NodePool {
 public:
  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;
  ~NodePool() {
    while (free_ != nullptr) ::operator delete(std::exchange(free_, free_->next));
  }

  void* take(std::size_t size) {
    if (free_ == nullptr || size != size_) return ::operator new(size);
    return std::exchange(free_, free_->next);
  }
  void give(void* block, std::size_t size) noexcept {
    if (size_ == 0) size_ = size;
    if (size != size_) return ::operator delete(block);
    free_ = ::new (block) Free{free_};
  }

 private:
  struct Free {
    Free* next;
  };
  Free* free_ = nullptr;
  std::size_t size_ = 0;  // the size of the blocks kept (every node type of a tree has one size)
};

#if defined(__SANITIZE_ADDRESS__)  // GCC's word for -fsanitize=address
#define SECRETC_POOLED_NODES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang's
#define SECRETC_POOLED_NODES 0
#endif
#endif
#ifndef SECRETC_POOLED_NODES
#define SECRETC_POOLED_NODES 1
#endif

// The children's vectors too: a node is made for every selected rule tried, and one that fails, or a
// tree once built, frees them all; growing those vectors again was most of what compiling still asked
// of malloc. A node freed gives its vector, emptied, to the next node made (at most kSpareVectors kept).
template <typename Children>
class VectorPool {
 public:
  static constexpr std::size_t kSpareVectors = 4096;
  Children take() {
    if (spare_.empty()) return {};
    Children v = std::move(spare_.back());
    spare_.pop_back();
    return v;
  }
  void give(Children& v) noexcept {
    v.clear();
    if (v.capacity() == 0 || spare_.size() == spare_.capacity()) return;
    spare_.push_back(std::move(v));
  }
  VectorPool() { spare_.reserve(kSpareVectors); }

 private:
  std::vector<Children> spare_;
};

// One variable a grammar rule: its address names the rule (the same in every translation unit).
template <typename Rule>
inline constexpr char rule_tag = 0;

template <typename T>
struct PooledNode : p::parse_tree::basic_node<T> {
  // A node's rule is compared by the address of its tag: p::parse_tree's is_type<> compares the rules'
  // names as strings, and the builder asks it of every node several times (a memcmp each time the names
  // have the same length). `type` is still set, as PEGTL sets it (and the language markers change it).
  template <typename Rule, typename ParseInput, typename... States>
  void start(const ParseInput& in, States&&... st) {
    p::parse_tree::basic_node<T>::template start<Rule>(in, st...);
    rule_ = &rule_tag<Rule>;
  }
  template <typename U>
  [[nodiscard]] bool is_type() const noexcept {
    return rule_ == &rule_tag<U>;
  }
  // A child that matched, added to its parent: the vector's own emplace_back was a call per child.
  template <typename... States>
  [[gnu::flatten]] void emplace_back(std::unique_ptr<T>&& child, States&&... /*unused*/) {
    this->children.push_back(std::move(child));
  }

 private:
  const void* rule_ = nullptr;  // the root's: none

 public:
#if SECRETC_POOLED_NODES
  using Children = typename p::parse_tree::basic_node<T>::children_t;
  PooledNode() {
    this->children = vectors().take();
  }
  PooledNode(const PooledNode&) = delete;
  PooledNode& operator=(const PooledNode&) = delete;
  ~PooledNode() {
    vectors().give(this->children);
  }

  static void* operator new(std::size_t size) {
    return pool().take(size);
  }
  static void operator delete(void* block, std::size_t size) noexcept {
    pool().give(block, size);
  }

 private:
  static NodePool& pool() {
    thread_local NodePool nodes;  // one a thread and a node type
    return nodes;
  }
  static VectorPool<Children>& vectors() {
    thread_local VectorPool<Children> spare;
    return spare;
  }
#endif
};

struct Node : PooledNode<Node> {};

// --- building the parse tree -----------------------------------------------------------------------------
// p::parse_tree::parse, but a rule that makes no node of its own no longer gathers its children in a
// node made for it (then moved to its parent on success): they go to the parent at once, and a failed
// rule takes back those it gave (the parent's children past the count when it started). The tree built
// is the same; what goes is a node made and freed for nearly every rule tried, about a fifth of
// compiling the Belgian rulebase. Rules that make nodes are handled exactly as by p::parse_tree.
namespace lean_tree {

namespace pt = p::parse_tree::internal;

// For each rule without a node being matched: its parent's child count. A stack pushed and popped inline
// (std::vector's push_back was a call each time, for nearly every rule tried).
class Marks {
 public:
  void push(std::size_t count) {
    if (size_ == stack_.size()) stack_.resize(stack_.empty() ? 256 : 2 * stack_.size());
    stack_[size_++] = count;
  }
  std::size_t pop() noexcept { return stack_[--size_]; }

 private:
  std::vector<std::size_t> stack_;
  std::size_t size_ = 0;
};

template <typename N>
struct state : pt::state<N> {
  Marks marks;
};

template <typename N, template <typename...> class Selector, template <typename...> class Control>
struct make_control {
  template <typename Rule, bool, bool>
  struct state_handler;

  template <typename Rule>
  using type = p::rotate_states_right<
      state_handler<Rule, pt::is_selected_node<Rule, Selector>, pt::is_leaf<8, typename Rule::subs_t, Selector>>>;
};

// No node below: the rule is matched as without a tree.
template <typename N, template <typename...> class Selector, template <typename...> class Control>
template <typename Rule>
struct make_control<N, Selector, Control>::state_handler<Rule, false, true> : p::remove_first_state<Control<Rule>> {};

// A node of its own: as p::parse_tree does it.
template <typename N, template <typename...> class Selector, template <typename...> class Control>
template <typename Rule, bool B>
struct make_control<N, Selector, Control>::state_handler<Rule, true, B>
    : pt::make_control<N, Selector, Control>::template state_handler<Rule, true, B> {};

// Nodes below but none of its own (p::parse_tree calls none of Control<Rule>'s hooks here either).
template <typename N, template <typename...> class Selector, template <typename...> class Control>
template <typename Rule>
struct make_control<N, Selector, Control>::state_handler<Rule, false, false> : p::remove_first_state<Control<Rule>> {
  static constexpr bool enable = true;

  template <typename ParseInput, typename... States>
  static void start(const ParseInput& /*unused*/, state<N>& s, States&&... /*unused*/) {
    s.marks.push(s.back()->children.size());
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& /*unused*/, state<N>& s, States&&... /*unused*/) {
    (void)s.marks.pop();
  }
  template <typename ParseInput, typename... States>
  static void failure(const ParseInput& /*unused*/, state<N>& s, States&&... /*unused*/) {
    take_back(s);
  }
  template <typename ParseInput, typename... States>
  static void unwind(const ParseInput& /*unused*/, state<N>& s, States&&... /*unused*/) {
    take_back(s);
  }

 private:
  static void take_back(state<N>& s) { s.back()->children.resize(s.marks.pop()); }
};

template <typename Rule, typename N, template <typename...> class Selector, template <typename...> class Control,
          typename ParseInput, typename... States>
[[nodiscard]] std::unique_ptr<N> parse(ParseInput&& in, States&&... st) {
  state<N> s;
  if (!p::parse<Rule, p::nothing, make_control<N, Selector, Control>::template type>(in, st..., s)) return nullptr;
  return std::move(s.back());
}

}  // namespace lean_tree

// --- which grammar rules become parse-tree nodes ---------------------------------------------------------

template <typename Rule>
struct selector
    : p::parse_tree::selector<
          Rule,
          p::parse_tree::store_content::on<
              g::name, g::member, g::rule_ref, g::rule_name, g::enum_name, g::enum_ref, g::string_lit, g::date_lit,
              g::article_lit, g::integer_lit, g::true_lit, g::false_lit, g::today_lit, g::op_eq, g::op_ne, g::op_le,
              g::op_ge, g::op_lt, g::op_gt, g::op_in, g::op_not_in, g::op_is_known, g::op_is_unknown, g::negation,
              g::set_lit, g::set_item, g::rulebase_decl, g::enum_decl, g::fact_decl, g::define_decl, g::output_decl,
              g::rule_decl, g::test_decl, g::type_bool, g::type_integer, g::type_string, g::type_date, g::type_article,
              g::set_type, g::inline_enum, g::default_value, g::question, g::output_default, g::rule_title,
              g::cite_clause, g::valid_clause, g::valid_from_date, g::valid_until_date, g::validity_reason,
              g::overrides_clause, g::when_clause, g::then_clause, g::effect_add, g::effect_assign, g::member_set,
              g::because_clause, g::note_clause, g::given_item, g::given_word, g::unknown_value, g::member_label,
              g::expect_fired, g::expect_not_fired, g::expect_missing, g::expect_output, g::expect_equals,
              g::expect_contains, g::expect_unknown, g::law_date, g::doubt_clause, g::proviso_clause, g::proviso_text,
              g::warning_decl, g::synonym_word, g::translation, g::translation_lang, g::help_clause, g::theme_decl,
              g::theme_name, g::theme_label, g::expect_possible, g::expect_proviso, g::expect_depends>,
          p::parse_tree::fold_one::on<g::comparison, g::and_expr, g::or_expr, g::paren>> {};

inline constexpr std::string_view kEnglishMarker = "lang:en";
inline constexpr std::string_view kFrenchMarker = "lang:fr";

template <typename K>
struct selector<g::en<K>> : std::true_type {
  template <typename N, typename... S>
  static void transform(std::unique_ptr<N>& n, S&&... /*unused*/) {
    n->type = kEnglishMarker;
  }
};
template <typename K>
struct selector<g::fr<K>> : std::true_type {
  template <typename N, typename... S>
  static void transform(std::unique_ptr<N>& n, S&&... /*unused*/) {
    n->type = kFrenchMarker;
  }
};

// --- the parse's own state: errors recovered from, and the nesting depth ---------------------------------

struct ParseState {
  std::vector<p::parse_error> errors;
  std::uint32_t depth = 0;
  std::size_t skipped_from_line = 0;  // past the error limit, where the rest of the file was skipped
};

// Syntax errors reported before the rest of a file is skipped: more help no one, and a file that is not
// a rule file at all would cost a recovery per line. One less than Diagnostics keeps, for the note.
inline constexpr std::size_t kSyntaxErrorLimit = Diagnostics::kMaxKept - 1;

template <typename... States>
ParseState& parse_state(States&... st) {
  ParseState* found = nullptr;
  (
      [&](auto& s) {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, ParseState>) found = &s;
      }(st),
      ...);
  return *found;
}

// Controls: the grammar's error messages, plus a depth guard on the rules that nest. (The parse tree
// calls a control's start/success/failure only for selected rules: `paren` is selected, and folded.)
template <typename Rule>
struct control : g::error_control<Rule> {};

// `Opener` is what begins the rule (`(`, `non`). Every attempt at the rule starts it, also where the
// input holds something else (a name): past the limit, only an attempt that would really open one more
// level is an error, so that the limit is exactly kMaxNesting and the error points at the opener.
template <typename Rule, typename Opener>
struct depth_guarded : g::error_control<Rule> {
  template <typename ParseInput, typename... States>
  static void start(const ParseInput& in, States&... st) {
    ParseState& s = parse_state(st...);
    if (++s.depth > kMaxNesting) {
      p::memory_input<> probe(in.current(), in.end(), "");
      if (p::parse<Opener>(probe)) {
        throw p::parse_error("SyntaxNestingTooDeep", in);
      }
    }
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& /*unused*/, States&... st) {
    --parse_state(st...).depth;
  }
  template <typename ParseInput, typename... States>
  static void failure(const ParseInput& in, States&... st) {
    --parse_state(st...).depth;
    g::error_control<Rule>::failure(in, st...);
  }
};
template <>
struct control<g::paren> : depth_guarded<g::paren, g::open_paren> {};
template <>
struct control<g::negation> : depth_guarded<g::negation, g::kw_not> {};

// A declaration, or, when it is malformed, the error recorded and the input skipped to the next
// declaration: every error of a file is reported, not only the first.
struct declaration_or_recovery {
  using rule_t = declaration_or_recovery;
  using subs_t = p::type_list<g::strict_declaration, g::recovery>;

  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    try {
      return Control<g::strict_declaration>::template match<A, p::rewind_mode::required, Action, Control>(in, st...);
    } catch (const p::parse_error& e) {
      ParseState& s = parse_state(st...);
      s.errors.push_back(e);
      s.depth = 0;
      if (s.errors.size() >= kSyntaxErrorLimit) {
        s.skipped_from_line = in.position().line;
        in.bump(in.size());
        return true;
      }
      return Control<g::recovery>::template match<A, M, Action, Control>(in, st...);
    }
  }
};

using recovering_file = g::file_of<declaration_or_recovery>;

// --- the concrete syntax tree, for the formatter (compiler/cst.hpp) --------------------------------------
//
// The same grammar, the strict file rule, with another selector: every rule that is a token (each word of
// a keyword, each name, literal and punctuation mark, without the blanks after it) becomes a leaf, and
// the rules the formatter needs to tell the parts apart become nodes. The comments are not in the tree:
// they are read from the gaps between the tokens, which hold nothing else.

namespace cst_select {

using cst::Kind;

template <typename Rule>
inline constexpr Kind kind_of = Kind::None;
template <typename Rule>
inline constexpr Kw kw_of{};

template <Kw Id, std::size_t A, std::size_t W>
inline constexpr Kind kind_of<g::keywords::phrase_word<Id, A, W>> = Kind::Word;  // each word of a keyword
template <>
inline constexpr Kind kind_of<p::ascii::string<'+', '='>> = Kind::AddOp;

#define SECRETC_CST_KIND(type, kind) \
  template <>                        \
  inline constexpr Kind kind_of<type> = Kind::kind;
#define SECRETC_CST_RULE(rule, kind) SECRETC_CST_KIND(g::rule, kind)
// clang-format off
SECRETC_CST_KIND(p::one<'{'>, OpenBrace) SECRETC_CST_KIND(p::one<'}'>, CloseBrace)
SECRETC_CST_KIND(p::one<'('>, OpenParen) SECRETC_CST_KIND(p::one<')'>, CloseParen)
SECRETC_CST_KIND(p::one<','>, Comma) SECRETC_CST_KIND(p::one<':'>, Colon)
SECRETC_CST_KIND(p::one<'='>, Equals) SECRETC_CST_KIND(p::one<'|'>, Bar)
SECRETC_CST_RULE(translation_lang, Lang)
SECRETC_CST_RULE(name, Name) SECRETC_CST_RULE(member, Member) SECRETC_CST_RULE(rule_ref, RuleRef)
SECRETC_CST_RULE(rule_name, RuleName) SECRETC_CST_RULE(enum_name, EnumName) SECRETC_CST_RULE(enum_ref, EnumRef)
SECRETC_CST_RULE(theme_name, ThemeName) SECRETC_CST_RULE(synonym_word, SynonymWord) SECRETC_CST_RULE(given_word, GivenWord)
SECRETC_CST_RULE(string_lit, String) SECRETC_CST_RULE(date_lit, Date) SECRETC_CST_RULE(article_lit, Article)
SECRETC_CST_RULE(integer_lit, Integer) SECRETC_CST_RULE(unknown_value, Unknown) SECRETC_CST_RULE(dotdot, DotDot)
SECRETC_CST_RULE(op_eq, CompareOp) SECRETC_CST_RULE(op_ne, CompareOp) SECRETC_CST_RULE(op_le, CompareOp)
SECRETC_CST_RULE(op_ge, CompareOp) SECRETC_CST_RULE(op_lt, CompareOp) SECRETC_CST_RULE(op_gt, CompareOp)
SECRETC_CST_RULE(rulebase_decl, RulebaseDecl) SECRETC_CST_RULE(enum_decl, EnumDecl) SECRETC_CST_RULE(fact_decl, FactDecl)
SECRETC_CST_RULE(define_decl, DefineDecl) SECRETC_CST_RULE(output_decl, OutputDecl) SECRETC_CST_RULE(rule_decl, RuleDecl)
SECRETC_CST_RULE(warning_decl, WarningDecl) SECRETC_CST_RULE(theme_decl, ThemeDecl) SECRETC_CST_RULE(test_decl, TestDecl)
SECRETC_CST_RULE(rulebase_name, RulebaseName) SECRETC_CST_RULE(rulebase_version, RulebaseVersion)
SECRETC_CST_RULE(law_as_of, LawAsOf) SECRETC_CST_RULE(member_list, MemberList)
SECRETC_CST_RULE(labelled_member, LabelledMember) SECRETC_CST_RULE(synonym, Synonym)
SECRETC_CST_RULE(member_label, MemberLabel) SECRETC_CST_RULE(translation, Translation)
SECRETC_CST_RULE(set_type, SetType) SECRETC_CST_RULE(inline_enum, InlineEnum) SECRETC_CST_RULE(type_name, TypeName)
SECRETC_CST_RULE(default_value, DefaultValue) SECRETC_CST_RULE(question, Question) SECRETC_CST_RULE(help_clause, HelpClause)
SECRETC_CST_RULE(theme_label, ThemeLabel) SECRETC_CST_RULE(output_default, OutputDefault)
SECRETC_CST_RULE(doubt_clause, DoubtClause) SECRETC_CST_RULE(doubt_member, DoubtMember)
SECRETC_CST_RULE(rule_title, RuleTitle) SECRETC_CST_RULE(cite_clause, CiteClause) SECRETC_CST_RULE(valid_clause, ValidClause)
SECRETC_CST_RULE(valid_from_date, ValidFromDate) SECRETC_CST_RULE(valid_until_date, ValidUntilDate)
SECRETC_CST_RULE(validity_reason, ValidityReason) SECRETC_CST_RULE(overrides_clause, OverridesClause)
SECRETC_CST_RULE(when_clause, WhenClause) SECRETC_CST_RULE(proviso_clause, ProvisoClause)
SECRETC_CST_RULE(proviso_text, ProvisoText) SECRETC_CST_RULE(then_clause, ThenClause)
SECRETC_CST_RULE(effect_add, EffectAdd) SECRETC_CST_RULE(effect_assign, EffectAssign) SECRETC_CST_RULE(member_set, MemberSet)
SECRETC_CST_RULE(because_clause, BecauseClause) SECRETC_CST_RULE(note_clause, NoteClause)
SECRETC_CST_RULE(given_clause, GivenClause) SECRETC_CST_RULE(given_item, GivenItem) SECRETC_CST_RULE(expect_clause, ExpectClause)
SECRETC_CST_RULE(expect_fired, ExpectFired) SECRETC_CST_RULE(expect_not_fired, ExpectNotFired)
SECRETC_CST_RULE(expect_missing, ExpectMissing) SECRETC_CST_RULE(expect_output, ExpectOutput)
SECRETC_CST_RULE(expect_equals, ExpectEquals) SECRETC_CST_RULE(expect_contains, ExpectContains)
SECRETC_CST_RULE(expect_unknown, ExpectUnknown) SECRETC_CST_RULE(expect_possible, ExpectPossible)
SECRETC_CST_RULE(expect_proviso, ExpectProviso) SECRETC_CST_RULE(expect_depends, ExpectDepends)
SECRETC_CST_RULE(test_name, TestName) SECRETC_CST_RULE(test_close, TestClose)
SECRETC_CST_RULE(or_expr, OrExpr) SECRETC_CST_RULE(and_expr, AndExpr) SECRETC_CST_RULE(negation, Negation)
SECRETC_CST_RULE(comparison, Comparison) SECRETC_CST_RULE(paren, Paren) SECRETC_CST_RULE(set_lit, SetLit)
SECRETC_CST_RULE(set_item, SetItem) SECRETC_CST_RULE(range_end, RangeEnd)
// clang-format on
#undef SECRETC_CST_RULE
#undef SECRETC_CST_KIND

// Every keyword rule of grammar/keywords.def: a Keyword node, which says which keyword it is.
// clang-format off
#define SECRETC_KEYWORD(id, rule, form, reserved, english, french) \
  template <> inline constexpr Kind kind_of<g::rule> = Kind::Keyword; \
  template <> inline constexpr Kw kw_of<g::rule> = Kw::id;
#include "grammar/keywords.def"
#undef SECRETC_KEYWORD

template <typename Rule>
struct selector : std::bool_constant<kind_of<Rule> != Kind::None> {};
// clang-format on

struct PegNode : PooledNode<PegNode> {
  Kind kind = Kind::Root;
  Kw kw{};

  template <typename Rule, typename ParseInput, typename... States>
  void start(const ParseInput& in, States&&... st) {
    PooledNode<PegNode>::template start<Rule>(in, st...);
    kind = kind_of<Rule>;
    kw = kw_of<Rule>;
  }
};

}  // namespace cst_select

// --- the two trees, each built in its own translation unit -------------------------------------------------

// The compiler's: the file with recovery (recovering_file), the compiler's selector. Null when the text
// is not a rule file at all; the syntax errors recovered from are in state.errors. Throws p::parse_error
// on an error past recovery. Defined in compiler/parse_rules.cpp.
std::unique_ptr<Node> compiler_tree(p::memory_input<>& in, ParseState& state);

// The formatter's: the strict file rule (g::file), cst_select's selector. Throws p::parse_error on the
// first syntax error. Defined in compiler/parse_cst.cpp.
std::unique_ptr<cst_select::PegNode> formatter_tree(p::memory_input<>& in, ParseState& state);

}  // namespace secretc::rules_parse
