#include "runtime/same_text.hpp"

#include <string>

#include <doctest/doctest.h>

namespace secretc {
namespace {

TEST_CASE("same_text: equal exactly when the texts are, at every length and every place of a difference") {
  // Lengths on both sides of each width the comparison uses (1, 4 and 8 bytes at a time).
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string a;
    for (std::size_t i = 0; i < n; ++i) a += static_cast<char>('a' + i % 26);
    const std::string b = a;  // another copy: not the same address
    CHECK(same_text(a, b));
    CHECK(same_text(a, a));
    for (std::size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ 0x20);
      CHECK_FALSE(same_text(a, c));
      CHECK_FALSE(same_text(c, a));
    }
    CHECK_FALSE(same_text(a, a + "x"));
    if (n > 0) CHECK_FALSE(same_text(a, std::string_view(a).substr(1)));
  }
  // A prefix at the same address is not the whole.
  const std::string s = "confident.fonction";
  CHECK_FALSE(same_text(std::string_view(s).substr(0, 9), s));
  CHECK(same_text("", std::string_view()));
  CHECK(same_text(std::string("\0x", 2), std::string("\0x", 2)));
  CHECK_FALSE(same_text(std::string("\0x", 2), std::string("\0y", 2)));
}

}  // namespace
}  // namespace secretc
