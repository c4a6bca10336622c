#include "tests/grammar/parse_trees_agree.hpp"

#include <memory>
#include <string>

#include <fmt/format.h>

#include "compiler/parse_tree.hpp"

namespace secretc::testing {

namespace {

using namespace rules_parse;

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

// The tree `parse` builds of `text`, with the syntax errors it met.
template <typename N, typename Parse>
Built build_tree(std::string_view text, std::unique_ptr<N>& root, Parse parse) {
  p::memory_input<> in(text.data(), text.size(), "");
  ParseState state;
  Built built;
  try {
    root = parse(in, state);
  } catch (const p::parse_error& e) {
    state.errors.push_back(e);
  }
  for (const p::parse_error& e : state.errors)
    built.error += fmt::format("{}|{};", e.what(), e.positions().front().byte);
  built.has_root = root != nullptr;
  return built;
}

template <typename N, typename Lean, typename Full>
bool trees_agree(std::string_view text, std::string_view which, Lean lean_parse, Full full_parse,
                 std::string& difference) {
  std::unique_ptr<N> lean;
  std::unique_ptr<N> full;
  const Built a = build_tree(text, lean, lean_parse);
  const Built b = build_tree(text, full, full_parse);
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
  const auto compiler_full = [](p::memory_input<>& in, ParseState& state) {
    return p::parse_tree::parse<recovering_file, Node, selector, p::nothing, control>(in, state);
  };
  const auto formatter_full = [](p::memory_input<>& in, ParseState& state) {
    return p::parse_tree::parse<g::file, cst_select::PegNode, cst_select::selector, p::nothing, control>(in, state);
  };
  return trees_agree<Node>(text, "compiler", compiler_tree, compiler_full, difference) &&
         trees_agree<cst_select::PegNode>(text, "formatter", formatter_tree, formatter_full, difference);
}

}  // namespace secretc::testing
