// Whether two texts are equal, compared inline. The names and words a case gives are short (a fact's
// name, an enumeration member): `==` on them is a call to memcmp each time, which costs more than the
// comparison itself. Here the bytes are compared eight at a time (four, or one, below eight), the
// last chunk overlapping the one before instead of a loop over the rest.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace secretc {

[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (p == q) return true;
  if (n >= 8) {
    std::uint64_t x = 0, y = 0;
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) {
      std::memcpy(&x, p + i, 8);
      std::memcpy(&y, q + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, p + n - 8, 8);
    std::memcpy(&y, q + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    std::uint32_t x = 0, y = 0, u = 0, v = 0;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, q, 4);
    std::memcpy(&u, p + n - 4, 4);
    std::memcpy(&v, q + n - 4, 4);
    return x == y && u == v;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

}  // namespace secretc
