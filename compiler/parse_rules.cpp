// Parsing rule files: the compiler's parse tree (compiler/parse_tree.hpp), then the AST built from it.
#include "compiler/parse_rules.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "compiler/parse_tree.hpp"
#include "grammar/rules_errors.hpp"
#include "runtime/case.hpp"
#include "runtime/utf8.hpp"

namespace secretc {

namespace rules_parse {

std::unique_ptr<Node> compiler_tree(p::memory_input<>& in, ParseState& state) {
  return lean_tree::parse<recovering_file, Node, selector, control>(in, state);
}

namespace {

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

  // Past the run of raw[from, end) without a backslash or a line break: eight bytes at a time (a byte of
  // a word is 0x80 where it equals one of the three; the lowest such byte is always a true one), then
  // one at a time.
  static std::size_t plain_run(std::string_view raw, std::size_t from, std::size_t end) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    std::size_t i = from;
    for (; i + 8 <= end; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, raw.data() + i, 8);
      if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);  // the first byte lowest
      const std::uint64_t slash = w ^ (kOnes * '\\'), lf = w ^ (kOnes * '\n'), cr = w ^ (kOnes * '\r');
      const std::uint64_t hit = (((slash - kOnes) & ~slash) | ((lf - kOnes) & ~lf) | ((cr - kOnes) & ~cr)) & kHigh;
      if (hit != 0) return i + static_cast<std::size_t>(std::countr_zero(hit)) / 8;
    }
    while (i < end && raw[i] != '\\' && raw[i] != '\n' && raw[i] != '\r') ++i;
    return i;
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
      const std::size_t plain = plain_run(raw, i, end);
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

}  // namespace rules_parse

bool parse_rules(const SourceSet& sources, std::uint32_t file, ast::Rulebase& out, Diagnostics& diags) {
  using namespace rules_parse;
  const std::size_t errors_before = diags.error_count();
  if (!lines_fit(sources, file, diags)) return false;
  const std::string& text = sources.text(file);
  p::memory_input in(text.data(), text.size(), sources.name(file));
  ParseState state;
  std::unique_ptr<Node> root;
  try {
    root = rules_parse::compiler_tree(in, state);
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
