// The compiler's and the formatter's parse trees of rule files (compiler/parse_tree.hpp: built without a
// node for every rule tried, see lean_tree) against those p::parse_tree::parse builds: the same nodes,
// kinds, spans and syntax errors. p::parse_tree's two instantiations of the grammar are compiled for this
// test only, the longest unit of the build: the sanitizer build leaves it out (tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/parse_tree.hpp"
#include "tests/compiler/support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace secretc::rules_parse;

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

// Whether both trees of `text` are p::parse_tree's; when not, `difference` says where.
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

std::vector<std::string> rule_files() {
  std::vector<std::string> out;
  for (const char* dir : {"stdlib-rules", "examples", "tests/data"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(SECRETC_SOURCE_DIR) / dir)) {
      if (e.is_regular_file() && e.path().extension() == ".rules") out.push_back(e.path().string());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the parse trees are p::parse_tree's, on every rule file of the project and on broken ones") {
  const std::vector<std::string> files = rule_files();
  REQUIRE(files.size() > 20);
  std::mt19937 rng(11);
  std::size_t texts = 0;
  for (const std::string& path : files) {
    const std::string text = secretc::testing::read_file(path);
    std::vector<std::string> variants = {text};
    // Cut short at 4 places, and with a byte dropped or doubled at 4 others: syntax errors, recovery at
    // the next declaration, and the tree unwound by an exception in the middle of a rule.
    for (int k = 1; k <= 4 && !text.empty(); ++k) {
      variants.push_back(text.substr(0, text.size() * k / 5));
      const std::size_t at = rng() % text.size();
      variants.push_back(text.substr(0, at) + text.substr(at + 1));
      variants.push_back(text.substr(0, at + 1) + text.substr(at));
    }
    for (const std::string& v : variants) {
      std::string difference;
      CAPTURE(path);
      CHECK_MESSAGE(parse_trees_agree(v, difference), difference);
      ++texts;
    }
  }
  MESSAGE(texts << " texts compared");
}
