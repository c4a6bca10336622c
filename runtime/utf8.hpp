// UTF-8 as secretc counts it: columns, widths and lengths shown to a reader are in characters (code
// points), never in bytes — `règle` is five characters wide. Every count of this kind goes through here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secretc {

// A byte that continues a character begun before it (10xxxxxx).
constexpr bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// The number of characters of a text: its width on a terminal of fixed-width letters.
constexpr std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += is_utf8_continuation(c) ? 0 : 1;
  return n;
}

// The length of the well-formed character starting at `text[i]` (1 to 4), or 0 if none starts there.
// Strict, as RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
constexpr std::size_t utf8_char_length(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return 1;
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    length = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    length = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    length = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  const auto second = static_cast<unsigned char>(text[i + 1]);
  if (second < lo || second > hi) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!is_utf8_continuation(text[i + k])) return 0;
  }
  return length;
}

// The text with each byte that starts no well-formed character replaced by U+FFFD: what may be quoted
// back to a reader, or written in JSON, from input that was not valid UTF-8.
inline std::string utf8_scrubbed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_char_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace secretc
