#include "compiler/parse_rules.hpp"

#include <algorithm>
#include <array>
#include <new>
#include <stdexcept>
#include <utility>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <fmt/format.h>

#include "compiler/cst.hpp"
#include "grammar/rules_errors.hpp"
#include "grammar/rules_grammar.hpp"
#include "runtime/case.hpp"
#include "runtime/utf8.hpp"

namespace secretc {

namespace {

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

template <typename T>
struct PooledNode : p::parse_tree::basic_node<T> {
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

template <typename N>
struct state : pt::state<N> {
  std::vector<std::size_t> marks;  // for each rule without a node being matched: its parent's child count
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
    s.marks.push_back(s.back()->children.size());
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& /*unused*/, state<N>& s, States&&... /*unused*/) {
    s.marks.pop_back();
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
  static void take_back(state<N>& s) {
    s.back()->children.resize(s.marks.back());
    s.marks.pop_back();
  }
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

constexpr std::string_view kEnglishMarker = "lang:en";
constexpr std::string_view kFrenchMarker = "lang:fr";

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
constexpr std::size_t kSyntaxErrorLimit = Diagnostics::kMaxKept - 1;

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

// --- syntax errors: the catalogue's message a grammar rule named, with its arguments ---------------------

bool in_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         (static_cast<unsigned char>(c) & 0x80U) != 0;
}

// The word around byte `at` of `line` (letters, digits, `_`, `.` and the bytes of accented letters):
// from `at` on, or, with `back`, from where the word begins.
std::string word_around(std::string_view line, std::size_t at, bool back) {
  std::size_t begin = std::min(at, line.size());
  while (back && begin > 0 && in_word(line[begin - 1])) --begin;
  std::size_t end = std::min(at, line.size());
  while (end < line.size() && in_word(line[end])) ++end;
  constexpr std::size_t kLongestShown = 60;  // a word this long is no name anyone wrote
  std::string word(line.substr(begin, std::min(end - begin, kLongestShown)));
  while (!word.empty() && is_utf8_continuation(word.back())) word.pop_back();
  return word;
}

// grammar/rules_errors.hpp names the message; the line gives its arguments: {0} the word at the error,
// and for an accented name, the whole word and the word without accents.
Message syntax_message(const std::string& id, std::string_view line, std::size_t byte) {
  const std::optional<Msg> m = message_named(id);
  if (!m) return msg(Msg::SyntaxError, id);  // a grammar rule without a message of its own
  if (*m == Msg::SyntaxNestingTooDeep) return msg(*m, kMaxNesting);
  if (*m == Msg::SyntaxAccentedName) {
    const std::string word = word_around(line, byte, true);
    return msg(*m, word, fold_word(word));
  }
  return msg(*m, word_around(line, byte, false));
}

// --- from parse tree to AST ------------------------------------------------------------------------------

class Builder {
 public:
  Builder(const SourceSet& sources, std::uint32_t file, Diagnostics& diags, ast::Rulebase& out)
      : sources_(sources), file_(file), diags_(diags), out_(out) {}

  void check_language(const Node& n) {
    if (n.type == kEnglishMarker || n.type == kFrenchMarker) {
      const ast::Lang lang = n.type == kEnglishMarker ? ast::Lang::English : ast::Lang::French;
      if (lang_ == ast::Lang::Unset) {
        lang_ = lang;
        lang_at_ = loc(n);
        lang_word_ = n.string();
      } else if (lang != lang_) {
        diags_.error(loc(n),
                     msg(lang == ast::Lang::English ? Msg::EnglishKeywordInFrenchFile : Msg::FrenchKeywordInEnglishFile,
                         n.string(), lang_word_, lang_at_.line),
                     msg(Msg::OneLanguageHint));
      }
      return;
    }
    for (const auto& c : n.children) check_language(*c);
  }

  void declarations(const Node& root) {
    for (const auto& c : root.children) declaration(*c);
  }

  Location loc(const Node& n) {
    return location_of(n.m_begin.line, n.m_begin.column);  // not n.begin(): a position copies the file's name
  }

  Location location_of(std::size_t line, std::size_t byte_column) {
    // PEGTL counts columns in bytes; diagnostics count characters. Nodes are located in file order, so
    // the characters before each byte of the current line are counted once, not once per node.
    if (line != counted_line_) {
      counted_line_ = line;
      const std::string_view text = sources_.line_text(file_, static_cast<std::uint32_t>(line));
      // Most lines are ASCII, where characters are bytes: nothing to count (chars_before_ left empty).
      chars_before_.clear();
      if (!std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) {
        chars_before_.assign(text.size() + 1, 0);
        for (std::size_t i = 0; i < text.size(); ++i) {
          chars_before_[i + 1] = chars_before_[i] + (is_utf8_continuation(text[i]) ? 0 : 1);
        }
      }
    }
    const std::size_t byte = byte_column - 1;
    std::size_t chars = byte;
    if (!chars_before_.empty()) {
      const std::size_t last = chars_before_.size() - 1;
      chars = byte <= last ? chars_before_[byte] : chars_before_[last] + (byte - last);
    }
    return {file_, static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(chars + 1)};
  }

  // Texts in double quotes longer than kMaxStringBytes, each reported at its opening quote.
  void check_strings(const Node& n) {
    if (n.is_type<g::string_lit>()) {
      const std::size_t bytes = n.string_view().size() - 2;
      if (bytes > kMaxStringBytes) {
        diags_.error(loc(n), msg(Msg::TextTooLong, bytes, kMaxStringBytes), msg(Msg::TextTooLongHint));
      }
      return;
    }
    for (const auto& c : n.children) check_strings(*c);
  }

 private:
  static bool is_marker(const Node& n) { return n.type == kEnglishMarker || n.type == kFrenchMarker; }

  // A node's children but its language markers. Nearly every node has few, so they are kept in place;
  // more go to the heap. (A vector each time was a tenth of the allocations of a compilation.)
  class Kids {
   public:
    using const_iterator = const Node* const*;
    void push_back(const Node* n) {
      if (size_ < kInline) {
        inline_[size_++] = n;
        return;
      }
      if (heap_.empty()) heap_.assign(inline_.begin(), inline_.end());
      heap_.push_back(n);
      ++size_;
    }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] const_iterator begin() const { return heap_.empty() ? inline_.data() : heap_.data(); }
    [[nodiscard]] const_iterator end() const { return begin() + size_; }
    const Node* operator[](std::size_t i) const { return begin()[i]; }
    [[nodiscard]] const Node* at(std::size_t i) const {
      if (i >= size_) throw std::out_of_range("parse tree: no such child");
      return begin()[i];
    }
    [[nodiscard]] const Node* front() const { return at(0); }
    [[nodiscard]] const Node* back() const { return at(size_ - 1); }

   private:
    static constexpr std::size_t kInline = 16;
    std::array<const Node*, kInline> inline_{};
    std::vector<const Node*> heap_;
    std::size_t size_ = 0;
  };

  static Kids kids(const Node& n) {
    Kids out;
    for (const auto& c : n.children) {
      if (!is_marker(*c)) out.push_back(c.get());
    }
    return out;
  }

  // The text of a string literal: escapes resolved, and each line break with the indentation around it
  // folded to one space, so that long explanations can be written over several lines.
  static std::string string_value(const Node& n) {
    const std::string_view raw = n.string_view();
    std::string out;
    if (raw.size() < 2) return out;
    const std::size_t end = raw.size() - 1;  // the text is raw[1, end), between the quotes
    out.reserve(end - 1);
    for (std::size_t i = 1; i < end; ++i) {
      // The run of plain characters up to the next escape or line break, appended at once.
      std::size_t plain = i;
      while (plain < end && raw[plain] != '\\' && raw[plain] != '\n' && raw[plain] != '\r') ++plain;
      out.append(raw.substr(i, plain - i));
      if (plain == end) break;
      i = plain;
      const char c = raw[i];
      if (c == '\\' && i + 2 < raw.size()) {
        out += raw[++i];
      } else if (c == '\n' || c == '\r') {
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
        while (i + 2 < raw.size() &&
               (raw[i + 1] == ' ' || raw[i + 1] == '\t' || raw[i + 1] == '\n' || raw[i + 1] == '\r'))
          ++i;
        out += ' ';
      } else {
        out += c;
      }
    }
    return out;
  }

  // The string under a wrapper node (rule_title, question, ...), or of the node itself.
  static std::string string_in(const Node& n) {
    if (n.is_type<g::string_lit>()) return string_value(n);
    for (const Node* k : kids(n)) {
      if (k->is_type<g::string_lit>()) return string_value(*k);
    }
    return {};
  }

  static const Node* first_kid(const Node& n) {
    const auto k = kids(n);
    return k.empty() ? nullptr : k.front();
  }

  ast::ExprPtr literal_or_name(const Node& n) {
    auto e = std::make_unique<ast::Expr>();
    e->at = loc(n);
    if (n.is_type<g::name>() || n.is_type<g::member>()) {
      e->kind = ast::ExprKind::Name;
      e->text = n.string();
      return e;
    }
    e->kind = ast::ExprKind::Literal;
    const std::string text = n.string();
    if (n.is_type<g::true_lit>() || n.is_type<g::false_lit>()) {
      e->literal_kind = ast::LiteralKind::Bool;
      e->number = n.is_type<g::true_lit>() ? 1 : 0;
    } else if (n.is_type<g::today_lit>()) {
      e->literal_kind = ast::LiteralKind::Today;
    } else if (n.is_type<g::date_lit>()) {
      e->literal_kind = ast::LiteralKind::Date;
      const auto days = parse_date(text);
      if (!days) diags_.error(e->at, msg(Msg::InvalidDate, text), msg(Msg::InvalidDateHint));
      e->number = days.value_or(0);
    } else if (n.is_type<g::article_lit>()) {
      e->literal_kind = ast::LiteralKind::Article;
      const auto key = parse_article(text);
      if (!key) diags_.error(e->at, msg(Msg::NotAnArticleNumber, text));
      e->number = key.value_or(0);
      e->text = text;
    } else if (n.is_type<g::integer_lit>()) {
      e->literal_kind = ast::LiteralKind::Integer;
      e->text = text;
      try {
        e->number = std::stoll(text);
      } catch (const std::exception&) {
        diags_.error(e->at, msg(Msg::NumberTooLarge, text));
      }
    } else if (n.is_type<g::string_lit>()) {
      e->literal_kind = ast::LiteralKind::String;
      e->text = string_value(n);
    } else {
      e = expr(n);
    }
    return e;
  }

  ast::ExprPtr make(ast::ExprKind kind, const Node& n) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->at = loc(n);
    return e;
  }

  ast::ExprPtr expr(const Node& n) {
    if (n.is_type<g::negation>()) {
      auto e = make(ast::ExprKind::Not, n);
      e->operands.push_back(expr(*first_kid(n)));
      return e;
    }
    if (n.is_type<g::and_expr>() || n.is_type<g::or_expr>()) {
      auto e = make(n.is_type<g::and_expr>() ? ast::ExprKind::And : ast::ExprKind::Or, n);
      for (const Node* k : kids(n)) e->operands.push_back(expr(*k));
      return e;
    }
    if (n.is_type<g::comparison>()) return comparison(n);
    return literal_or_name(n);
  }

  ast::ExprPtr comparison(const Node& n) {
    const auto k = kids(n);
    const Node& second = *k.at(1);
    if (second.is_type<g::op_is_known>() || second.is_type<g::op_is_unknown>()) {
      auto e = make(ast::ExprKind::IsKnown, n);
      e->at = loc(second);
      e->negated = second.is_type<g::op_is_unknown>();
      e->operands.push_back(expr(*k[0]));
      return e;
    }
    if (second.is_type<g::op_in>() || second.is_type<g::op_not_in>()) {
      auto e = make(ast::ExprKind::In, n);
      e->at = loc(second);
      e->negated = second.is_type<g::op_not_in>();
      e->operands.push_back(expr(*k[0]));
      const Node& set = *k.at(2);
      if (set.is_type<g::set_lit>()) {
        e->set_literal = true;
        e->set_items = set_items(set);
      } else {
        e->operands.push_back(literal_or_name(set));
      }
      return e;
    }
    auto e = make(ast::ExprKind::Compare, n);
    e->operands.push_back(expr(*k[0]));
    for (std::size_t i = 1; i + 1 < k.size(); i += 2) {
      const Node& op = *k[i];
      ast::CompareOp o = ast::CompareOp::Eq;
      if (op.is_type<g::op_ne>()) o = ast::CompareOp::Ne;
      if (op.is_type<g::op_lt>()) o = ast::CompareOp::Lt;
      if (op.is_type<g::op_le>()) o = ast::CompareOp::Le;
      if (op.is_type<g::op_gt>()) o = ast::CompareOp::Gt;
      if (op.is_type<g::op_ge>()) o = ast::CompareOp::Ge;
      e->ops.push_back(o);
      e->operands.push_back(expr(*k[i + 1]));
    }
    return e;
  }

  std::vector<ast::SetItem> set_items(const Node& set) {
    std::vector<ast::SetItem> items;
    for (const Node* item : kids(set)) {
      const auto parts = kids(*item);
      ast::SetItem s;
      s.lo = literal_or_name(*parts.at(0));
      if (parts.size() > 1) s.hi = literal_or_name(*parts[1]);
      items.push_back(std::move(s));
    }
    return items;
  }

  ast::TypeRef type_ref(const Node& n) {
    ast::TypeRef t;
    t.present = true;
    t.at = loc(n);
    const Node* base = &n;
    if (n.is_type<g::set_type>()) {
      t.is_set = true;
      base = first_kid(n);
    }
    if (base->is_type<g::inline_enum>()) {
      members_of(*base, 0, t.members, t.member_at, t.labels, t.synonyms, t.labels_tr);
    } else if (base->is_type<g::enum_ref>()) {
      t.name = base->string();
    } else {
      if (base->is_type<g::type_bool>()) t.name = "bool";
      if (base->is_type<g::type_integer>()) t.name = "integer";
      if (base->is_type<g::type_string>()) t.name = "string";
      if (base->is_type<g::type_date>()) t.name = "date";
      if (base->is_type<g::type_article>()) t.name = "article";
    }
    return t;
  }

  // Members of an enumeration, each with the label that may follow it.
  void members_of(const Node& n, std::size_t from, std::vector<std::string>& members, std::vector<Location>& at,
                  std::vector<std::string>& labels, std::vector<std::vector<std::string>>& synonyms,
                  std::vector<std::string>& labels_tr) {
    const auto k = kids(n);
    for (std::size_t i = from; i < k.size(); ++i) {
      if (k[i]->is_type<g::translation>()) {
        if (!labels_tr.empty()) labels_tr.back() = translation(*k[i]);
        continue;
      }
      if (k[i]->is_type<g::member_label>()) {
        if (!labels.empty()) labels.back() = string_in(*k[i]);
        continue;
      }
      if (k[i]->is_type<g::synonym_word>()) {
        if (!synonyms.empty()) synonyms.back().push_back(k[i]->string());
        continue;
      }
      members.push_back(k[i]->string());
      at.push_back(loc(*k[i]));
      labels.emplace_back();
      labels_tr.emplace_back();
      synonyms.emplace_back();
    }
  }

  static bool is_type_node(const Node& n) {
    return n.is_type<g::set_type>() || n.is_type<g::inline_enum>() || n.is_type<g::enum_ref>() ||
           n.is_type<g::type_bool>() || n.is_type<g::type_integer>() || n.is_type<g::type_string>() ||
           n.is_type<g::type_date>() || n.is_type<g::type_article>();
  }

  void declaration(const Node& n) {
    const auto k = kids(n);
    if (n.is_type<g::rulebase_decl>()) {
      ast::RulebaseDecl h{loc(n), string_in(*k.at(0)), string_in(*k.at(1)), std::nullopt};
      if (k.size() > 2) {
        const Node& date = *first_kid(*k[2]);
        h.law_as_of = parse_date(date.string());
        if (!h.law_as_of) diags_.error(loc(date), msg(Msg::InvalidDate, date.string()));
      }
      out_.headers.push_back(std::move(h));
    } else if (n.is_type<g::enum_decl>()) {
      ast::EnumDecl d;
      d.at = loc(*k.at(0));
      d.name = k[0]->string();
      members_of(n, 1, d.members, d.member_at, d.labels, d.synonyms, d.labels_tr);
      d.lang = lang_;
      out_.enums.push_back(std::move(d));
    } else if (n.is_type<g::fact_decl>()) {
      ast::FactDecl d;
      d.at = loc(*k.at(0));
      d.name = k[0]->string();
      d.lang = lang_;
      for (std::size_t i = 1; i < k.size(); ++i) {
        if (is_type_node(*k[i])) d.type = type_ref(*k[i]);
        if (k[i]->is_type<g::default_value>()) d.default_value = literal_or_name(*first_kid(*k[i]));
        if (k[i]->is_type<g::question>()) d.question = string_in(*k[i]);
        if (k[i]->is_type<g::translation>()) d.question_tr = translation(*k[i]);
        if (k[i]->is_type<g::help_clause>()) {
          const auto hk = kids(*k[i]);
          d.help = string_in(*hk.at(0));
          if (hk.size() > 1) d.help_tr = translation(*hk[1]);
        }
      }
      out_.facts.push_back(std::move(d));
    } else if (n.is_type<g::define_decl>()) {
      ast::DefineDecl d;
      d.at = loc(*k.at(0));
      d.name = k[0]->string();
      const Node& value = *k.back();
      if (k.size() > 2 && is_type_node(*k[1])) d.type = type_ref(*k[1]);
      if (value.is_type<g::set_lit>()) {
        d.value = make(ast::ExprKind::In, value);  // a named set: only its items matter
        d.value->set_literal = true;
        d.value->set_items = set_items(value);
      } else {
        d.value = expr(value);
      }
      out_.defines.push_back(std::move(d));
    } else if (n.is_type<g::output_decl>()) {
      ast::OutputDecl d;
      d.lang = lang_;
      d.at = loc(*k.at(0));
      d.name = k[0]->string();
      d.type = type_ref(*k.at(1));
      for (std::size_t i = 2; i < k.size(); ++i) {
        if (k[i]->is_type<g::output_default>()) {
          d.default_member = first_kid(*k[i])->string();
          d.default_at = loc(*k[i]);
        } else if (k[i]->is_type<g::doubt_clause>()) {
          for (const Node* m : kids(*k[i])) {
            d.doubt.push_back(m->string());
            d.doubt_at.push_back(loc(*m));
          }
        }
      }
      out_.outputs.push_back(std::move(d));
    } else if (n.is_type<g::theme_decl>()) {
      ast::ThemeDecl t{loc(*k.at(0)), k[0]->string(), string_in(*k.at(1)), k.size() > 2 ? translation(*k[2]) : "",
                       lang_};
      out_.themes.push_back(std::move(t));
    } else if (n.is_type<g::rule_decl>() || n.is_type<g::warning_decl>()) {
      rule(k, n.is_type<g::warning_decl>());
    } else if (n.is_type<g::test_decl>()) {
      test(n, k);
    }
  }

  // A translation: its text, once checked to be in the other language than the file's.
  std::string translation(const Node& n) {
    const auto k = kids(n);
    const std::string lang = k.at(0)->string();
    const ast::Lang in = lang == "en" ? ast::Lang::English : ast::Lang::French;
    if (lang_ != ast::Lang::Unset && in == lang_) {
      diags_.error(loc(*k[0]), msg(Msg::TranslationSameLanguage, lang),
                   msg(lang_ == ast::Lang::French ? Msg::TranslationHintFrenchFile : Msg::TranslationHintEnglishFile));
    }
    return string_in(*k.at(1));
  }

  void duplicate_clause(const Node& clause, Msg clause_twice) {
    diags_.error(loc(clause), msg(clause_twice), msg(Msg::ClauseTwiceHint));
  }

  void rule(const Kids& k, bool warning) {
    ast::RuleDecl r;
    r.warning = warning;
    r.lang = lang_;
    r.at = loc(*k.at(0));
    r.name = k[0]->string();
    r.file = sources_.name(file_);
    bool has_cite = false, has_valid = false, has_overrides = false, has_because = false, has_note = false;
    bool has_then = false;
    for (std::size_t i = 1; i < k.size(); ++i) {
      const Node& c = *k[i];
      const auto ck = kids(c);
      if (c.is_type<g::translation>()) {
        r.title_tr = translation(c);  // only the title's translation stands among the clauses
      } else if (c.is_type<g::rule_title>()) {
        r.title = string_in(c);
      } else if (c.is_type<g::cite_clause>()) {
        if (has_cite) duplicate_clause(c, Msg::ClauseTwiceCite);
        has_cite = true;
        r.cite = string_in(*ck.at(0));
        r.cite_at = loc(c);
      } else if (c.is_type<g::valid_clause>()) {
        if (has_valid) duplicate_clause(c, Msg::ClauseTwiceValidity);
        has_valid = true;
        r.valid_at = loc(c);
        for (const Node* v : ck) {
          const Node* inner = first_kid(*v);
          if (v->is_type<g::validity_reason>()) {
            r.validity_reason = string_in(*v);
            continue;
          }
          if (v->is_type<g::translation>()) {
            r.validity_reason_tr = translation(*v);
            continue;
          }
          const auto days = parse_date(inner->string());
          if (!days) {
            diags_.error(loc(*inner), msg(Msg::InvalidDate, inner->string()));
            continue;
          }
          (v->is_type<g::valid_from_date>() ? r.valid_from : r.valid_until) = *days;
        }
      } else if (c.is_type<g::overrides_clause>()) {
        if (has_overrides) duplicate_clause(c, Msg::ClauseTwiceOverrides);
        has_overrides = true;
        for (const Node* ref : ck) {
          r.overrides.push_back(ref->string());
          r.overrides_at.push_back(loc(*ref));
        }
      } else if (c.is_type<g::when_clause>()) {
        if (r.when) duplicate_clause(c, Msg::ClauseTwiceWhen);
        r.when = expr(*ck.at(0));
      } else if (c.is_type<g::proviso_clause>()) {
        ast::ProvisoDecl proviso;
        proviso.at = loc(c);
        proviso.condition = expr(*ck.at(0));
        if (ck.size() > 1) proviso.text = string_in(*ck[1]);
        if (ck.size() > 2) proviso.text_tr = translation(*ck[2]);
        r.provisos.push_back(std::move(proviso));
      } else if (c.is_type<g::then_clause>()) {
        if (has_then) duplicate_clause(c, Msg::ClauseTwiceThen);
        has_then = true;
        for (const Node* eff : ck) r.effects.push_back(effect(*eff));
      } else if (c.is_type<g::because_clause>()) {
        if (has_because) duplicate_clause(c, Msg::ClauseTwiceBecause);
        has_because = true;
        r.because = string_in(*ck.at(0));
        if (ck.size() > 1) r.because_tr = translation(*ck[1]);
      } else if (c.is_type<g::note_clause>()) {
        if (has_note) duplicate_clause(c, Msg::ClauseTwiceNote);
        has_note = true;
        r.note = string_in(*ck.at(0));
        if (ck.size() > 1) r.note_tr = translation(*ck[1]);
      }
    }
    out_.rules.push_back(std::move(r));
  }

  ast::EffectDecl effect(const Node& n) {
    ast::EffectDecl e;
    const auto k = kids(n);
    e.at = loc(*k.at(0));
    e.output = k[0]->string();
    e.op = n.is_type<g::effect_add>() ? ast::EffectOp::Add : ast::EffectOp::Assign;
    const Node& value = *k.at(1);
    if (value.is_type<g::member_set>()) {
      for (const Node* m : kids(value)) {
        e.members.push_back(m->string());
        e.member_at.push_back(loc(*m));
      }
    } else {
      e.members.push_back(value.string());
      e.member_at.push_back(loc(value));
    }
    return e;
  }

  void test(const Node& n, const Kids& k) {
    ast::TestDecl t;
    t.at = loc(n);
    t.name = string_value(*k.at(0));
    for (std::size_t i = 1; i < k.size(); ++i) {
      const Node& c = *k[i];
      const auto ck = kids(c);
      if (c.is_type<g::given_item>()) {
        ast::GivenValue v;
        v.at = loc(*ck.at(0));
        v.name = ck[0]->string();
        const Node& value = *ck.at(1);
        v.value_at = loc(value);
        if (value.is_type<g::unknown_value>()) {
          v.kind = CaseValueKind::Unknown;
        } else if (value.is_type<g::date_lit>()) {
          v.kind = CaseValueKind::Date;
          v.text = value.string();
        } else if (value.is_type<g::article_lit>()) {
          v.kind = CaseValueKind::Article;
          v.text = value.string();
        } else if (value.is_type<g::integer_lit>()) {
          v.kind = CaseValueKind::Integer;
          v.text = value.string();
        } else if (value.is_type<g::string_lit>()) {
          v.kind = CaseValueKind::String;
          v.text = string_value(value);
        } else {
          v.kind = CaseValueKind::Word;
          v.text = value.string();
        }
        t.given.push_back(std::move(v));
        continue;
      }
      ast::Expectation x;
      x.at = loc(c);
      if (c.is_type<g::expect_fired>() || c.is_type<g::expect_not_fired>() || c.is_type<g::expect_missing>() ||
          c.is_type<g::expect_proviso>() || c.is_type<g::expect_depends>()) {
        x.kind = c.is_type<g::expect_fired>()       ? ast::ExpectKind::Fired
                 : c.is_type<g::expect_not_fired>() ? ast::ExpectKind::NotFired
                 : c.is_type<g::expect_proviso>()   ? ast::ExpectKind::Proviso
                 : c.is_type<g::expect_depends>()   ? ast::ExpectKind::DependsOn
                                                    : ast::ExpectKind::Missing;
        x.name = ck.at(0)->string();
        x.at = loc(*ck[0]);
      } else if (c.is_type<g::expect_output>()) {
        x.name = ck.at(0)->string();
        x.at = loc(*ck[0]);
        const Node& rest = *ck.at(1);
        if (rest.is_type<g::expect_unknown>()) {
          x.kind = ast::ExpectKind::OutputUnknown;
        } else {
          x.kind = rest.is_type<g::expect_contains>()   ? ast::ExpectKind::OutputContains
                   : rest.is_type<g::expect_possible>() ? ast::ExpectKind::OutputPossible
                                                        : ast::ExpectKind::OutputEquals;
          const Node& value = *first_kid(rest);
          if (value.is_type<g::member_set>()) {
            x.set_literal = true;
            for (const Node* m : kids(value)) {
              x.members.push_back(m->string());
              x.member_at.push_back(loc(*m));
            }
          } else {
            x.members.push_back(value.string());
            x.member_at.push_back(loc(value));
          }
        }
      } else {
        continue;
      }
      t.expect.push_back(std::move(x));
    }
    out_.tests.push_back(std::move(t));
  }

  const SourceSet& sources_;
  std::uint32_t file_;
  Diagnostics& diags_;
  ast::Rulebase& out_;
  ast::Lang lang_ = ast::Lang::Unset;
  Location lang_at_;
  std::string lang_word_;
  std::size_t counted_line_ = 0;             // the line chars_before_ describes (0: none yet)
  std::vector<std::uint32_t> chars_before_;  // characters before each byte of that line (empty: ASCII)
};

// Lines longer than kMaxLineBytes, each reported where it passes the limit. A file with one is not
// parsed: the limit is what keeps locating every node of a line cheap.
bool lines_fit(const SourceSet& sources, std::uint32_t file, Diagnostics& diags) {
  bool fit = true;
  for (std::size_t l = 1; l <= sources.line_count(file); ++l) {
    const std::string_view text = sources.line_text(file, static_cast<std::uint32_t>(l));
    if (text.size() <= kMaxLineBytes) continue;
    fit = false;
    const auto column = static_cast<std::uint32_t>(utf8_length(text.substr(0, kMaxLineBytes)) + 1);
    diags.error({file, static_cast<std::uint32_t>(l), column}, msg(Msg::LineTooLong, text.size(), kMaxLineBytes),
                msg(Msg::LineTooLongHint));
  }
  return fit;
}

}  // namespace

bool parse_rules(const SourceSet& sources, std::uint32_t file, ast::Rulebase& out, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  if (!lines_fit(sources, file, diags)) return false;
  const std::string& text = sources.text(file);
  p::memory_input in(text.data(), text.size(), sources.name(file));
  ParseState state;
  std::unique_ptr<Node> root;
  try {
    root = lean_tree::parse<recovering_file, Node, selector, control>(in, state);
  } catch (const p::parse_error& e) {
    state.errors.push_back(e);
  }
  Builder builder(sources, file, diags, out);
  for (const p::parse_error& e : state.errors) {
    const auto& pos = e.positions().front();
    const std::string_view line = sources.line_text(file, static_cast<std::uint32_t>(pos.line));
    diags.error(builder.location_of(pos.line, pos.column),
                syntax_message(std::string(e.message()), line, pos.column - 1));
  }
  if (state.skipped_from_line > 0) {
    diags.note({file, static_cast<std::uint32_t>(state.skipped_from_line), 1}, msg(Msg::RuleFileTooManyErrors));
  }
  if (root) {
    builder.check_language(*root);
    builder.check_strings(*root);
    builder.declarations(*root);
  }
  return diags.error_count() == errors_before;
}

}  // namespace secretc

// --- the concrete syntax tree, for the formatter (compiler/cst.hpp) --------------------------------------
//
// The same grammar, the strict file rule, with another selector: every rule that is a token (each word of
// a keyword, each name, literal and punctuation mark, without the blanks after it) becomes a leaf, and
// the rules the formatter needs to tell the parts apart become nodes. The comments are not in the tree:
// they are read from the gaps between the tokens, which hold nothing else.

namespace secretc {

namespace {

namespace cst_select {

using cst::Kind;

template <typename Rule>
inline constexpr Kind kind_of = Kind::None;
template <typename Rule>
inline constexpr Kw kw_of{};

template <Kw Id, std::size_t A, std::size_t W>
inline constexpr Kind kind_of<g::keywords::phrase_word<Id, A, W>> = Kind::Word;  // each word of a keyword
template <>
inline constexpr Kind kind_of<p::one<'{'>> = Kind::OpenBrace;
template <>
inline constexpr Kind kind_of<p::one<'}'>> = Kind::CloseBrace;
template <>
inline constexpr Kind kind_of<p::one<'('>> = Kind::OpenParen;
template <>
inline constexpr Kind kind_of<p::one<')'>> = Kind::CloseParen;
template <>
inline constexpr Kind kind_of<p::one<','>> = Kind::Comma;
template <>
inline constexpr Kind kind_of<p::one<':'>> = Kind::Colon;
template <>
inline constexpr Kind kind_of<p::one<'='>> = Kind::Equals;
template <>
inline constexpr Kind kind_of<p::one<'|'>> = Kind::Bar;
template <>
inline constexpr Kind kind_of<p::ascii::string<'+', '='>> = Kind::AddOp;

#define SECRETC_CST_RULE(rule, kind) \
  template <>                        \
  inline constexpr Kind kind_of<g::rule> = Kind::kind;
// clang-format off
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

cst::TokenKind token_kind(cst::Kind k) {
  using cst::Kind;
  switch (k) {
    case Kind::String:
      return cst::TokenKind::String;
    case Kind::Date:
    case Kind::Article:
    case Kind::Integer:
      return cst::TokenKind::Number;
    default:
      return k >= Kind::OpenBrace ? cst::TokenKind::Punct : cst::TokenKind::Word;
  }
}

// The plain tree, the tokens numbered in the order written. A token's own parts (the `=` of `==`, a
// reserved word tried before a name) are not kept.
void to_plain(const cst_select::PegNode& n, std::vector<cst::Node>& out, cst::Cst& c) {
  cst::Node node;
  node.kind = n.kind;
  node.kw = n.kw;
  if (cst::is_token(n.kind)) {
    cst::Token t;
    t.kind = token_kind(n.kind);
    t.begin = n.begin().byte;
    t.end = n.end().byte;
    t.text = n.string();
    node.token = c.tokens.size();
    c.tokens.push_back(std::move(t));
    out.push_back(std::move(node));
    return;
  }
  for (const auto& k : n.children) to_plain(*k, node.kids, c);
  const bool chain = n.kind == cst::Kind::OrExpr || n.kind == cst::Kind::AndExpr || n.kind == cst::Kind::Comparison;
  if (chain && node.kids.size() == 1) {
    out.push_back(std::move(node.kids.front()));
    return;
  }
  out.push_back(std::move(node));
}

// The comments, and the lines of the tokens, from the gaps between the tokens: blanks and comments only.
void read_gaps(std::string_view text, cst::Cst& c) {
  std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::uint32_t line = 1;
  std::size_t line_start = pos;
  int newlines = 0;  // line ends since the last token or comment
  auto gap = [&](std::size_t end) {
    while (pos < end) {
      const char ch = text[pos];
      if (ch == '\n') {
        ++newlines;
        ++line;
        line_start = ++pos;
      } else if (ch == ' ' || ch == '\t' || ch == '\r') {
        ++pos;
      } else if (ch == '#') {
        const std::size_t e = std::min(text.find('\n', pos), end);
        cst::Comment k;
        k.text = std::string(text.substr(pos, e - pos));
        while (!k.text.empty() && (k.text.back() == ' ' || k.text.back() == '\t' || k.text.back() == '\r'))
          k.text.pop_back();
        k.begin = pos;
        k.line = line;
        k.column = static_cast<std::uint32_t>(utf8_length(text.substr(line_start, pos - line_start)) + 1);
        k.own_line = text.substr(line_start, pos - line_start).find_first_not_of(" \t\r") == std::string_view::npos;
        k.blank_before = newlines >= 2;
        c.comments.push_back(std::move(k));
        newlines = 0;
        pos = e;
      } else {
        throw std::logic_error(fmt::format("line {}: text outside every token of the syntax tree", line));
      }
    }
  };
  for (cst::Token& t : c.tokens) {
    if (t.begin < pos) throw std::logic_error(fmt::format("line {}: tokens out of order in the syntax tree", line));
    gap(t.begin);
    t.line = line;
    t.blank_before = newlines >= 2;
    newlines = 0;
    for (std::size_t i = t.begin; i < t.end; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    pos = t.end;
  }
  gap(text.size());
}

}  // namespace

namespace {

template <typename N>
bool same_tree(const N& a, const N& b, std::string& difference) {
  const bool same = a.type == b.type && a.has_content() == b.has_content() && a.m_begin.byte == b.m_begin.byte &&
                    a.m_begin.line == b.m_begin.line && a.m_begin.column == b.m_begin.column &&
                    (!a.has_content() || a.m_end.byte == b.m_end.byte) && a.children.size() == b.children.size();
  if (!same) {
    difference = fmt::format("line {}, column {}: {} ({} children) against {} ({} children)", a.m_begin.line,
                             a.m_begin.column, a.type, a.children.size(), b.type, b.children.size());
    return false;
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    if (!same_tree(*a.children[i], *b.children[i], difference)) return false;
  }
  return true;
}

struct Built {
  std::string error;  // the syntax errors, with their positions
  bool has_root = false;
};

template <typename Grammar, typename N, template <typename...> class Selector, bool Lean>
Built build_tree(std::string_view text, std::unique_ptr<N>& root) {
  p::memory_input in(text.data(), text.size(), "");
  ParseState state;
  Built built;
  try {
    if constexpr (Lean) {
      root = lean_tree::parse<Grammar, N, Selector, control>(in, state);
    } else {
      root = p::parse_tree::parse<Grammar, N, Selector, p::nothing, control>(in, state);
    }
  } catch (const p::parse_error& e) {
    state.errors.push_back(e);
  }
  for (const p::parse_error& e : state.errors)
    built.error += fmt::format("{}|{};", e.what(), e.positions().front().byte);
  built.has_root = root != nullptr;
  return built;
}

template <typename Grammar, typename N, template <typename...> class Selector>
bool trees_agree(std::string_view text, std::string_view which, std::string& difference) {
  std::unique_ptr<N> lean;
  std::unique_ptr<N> full;
  const Built a = build_tree<Grammar, N, Selector, true>(text, lean);
  const Built b = build_tree<Grammar, N, Selector, false>(text, full);
  if (a.error != b.error || a.has_root != b.has_root) {
    difference = fmt::format("{}: errors «{}» against «{}»", which, a.error, b.error);
    return false;
  }
  if (lean && !same_tree(*lean, *full, difference)) {
    difference = fmt::format("{}: {}", which, difference);
    return false;
  }
  return true;
}

}  // namespace

bool parse_trees_agree(std::string_view text, std::string& difference) {
  return trees_agree<recovering_file, Node, selector>(text, "compiler", difference) &&
         trees_agree<g::file, cst_select::PegNode, cst_select::selector>(text, "formatter", difference);
}

cst::Cst cst::parse_rules_cst(std::string_view text) {
  Cst c;
  c.root.kind = Kind::Root;
  p::memory_input in(text.data(), text.size(), "");
  ParseState state;
  std::unique_ptr<cst_select::PegNode> root;
  try {
    root = lean_tree::parse<g::file, cst_select::PegNode, cst_select::selector, control>(in, state);
  } catch (const p::parse_error& e) {
    c.error = e.message();
    c.error_line = static_cast<std::uint32_t>(e.positions().front().line);
    return c;
  }
  if (!root) {
    c.error = "not a rule file";
    c.error_line = 1;
    return c;
  }
  for (const auto& k : root->children) to_plain(*k, c.root.kids, c);
  try {
    read_gaps(text, c);
  } catch (const std::logic_error& e) {
    c = Cst{};
    c.root.kind = Kind::Root;
    c.error = e.what();
    c.error_line = 1;
  }
  return c;
}

}  // namespace secretc
