// The formatter's syntax tree of a rule file (compiler/cst.hpp): its parse tree (compiler/parse_tree.hpp),
// made plain, with the comments read from the gaps between the tokens.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/cst.hpp"
#include "compiler/parse_tree.hpp"
#include "runtime/utf8.hpp"

namespace secretc {

namespace rules_parse {

std::unique_ptr<cst_select::PegNode> formatter_tree(p::memory_input<>& in, ParseState& state) {
  return lean_tree::parse<g::file, cst_select::PegNode, cst_select::selector, control>(in, state);
}

namespace {

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

}  // namespace rules_parse

cst::Cst cst::parse_rules_cst(std::string_view text) {
  using namespace rules_parse;
  Cst c;
  c.root.kind = Kind::Root;
  p::memory_input in(text.data(), text.size(), "");
  ParseState state;
  std::unique_ptr<cst_select::PegNode> root;
  try {
    root = rules_parse::formatter_tree(in, state);
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
