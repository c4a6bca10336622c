// Diagnostics: the order in which they are rendered.
#include <doctest/doctest.h>

#include "runtime/diagnostics.hpp"

using namespace secretc;

TEST_CASE("a note is rendered after the error it belongs to, even when it points earlier") {
  SourceSet sources;
  const std::uint32_t file = sources.add("case.fact", "a = 1\nb = 2\na = 3\n");
  Diagnostics diags;
  diags.error({file, 3, 1}, "`a` is given twice; keep one line for it");
  diags.note({file, 1, 1}, "`a` was first given here");
  diags.error({file, 2, 1}, "another error");
  const std::vector<Diagnostic> sorted = diags.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].message == "another error");
  CHECK(sorted[1].message == "`a` is given twice; keep one line for it");
  CHECK(sorted[2].message == "`a` was first given here");
}
