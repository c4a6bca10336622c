// For tests: whether the parse trees built for a rule file, the compiler's (with its recovery from
// syntax errors) and the formatter's, are those p::parse_tree::parse builds: the same nodes, kinds,
// spans and syntax errors. They are built without its node for every rule tried (lean_tree in
// compiler/parse_tree.hpp). Here, not in the compiler: p::parse_tree's two instantiations of the grammar
// are compiled for this test only.
#pragma once

#include <string>
#include <string_view>

namespace secretc::testing {

// When the trees differ, `difference` says where.
bool parse_trees_agree(std::string_view text, std::string& difference);

}  // namespace secretc::testing
