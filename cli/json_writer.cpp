#include "cli/json_writer.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "runtime/utf8.hpp"

namespace secretc {

JsonWriter& JsonWriter::value(std::int64_t n) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t n) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}

namespace {

// Per byte: 0 written as it is, 1 escaped, 2 the start of a character beyond ASCII (checked).
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int b = 0; b < 0x20; ++b) t[b] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int b = 0x80; b < 0x100; ++b) t[b] = 2;
  return t;
}();

}  // namespace

// nlohmann's escapes: the two-letter ones, \u00xx (lower-case hex) for the other control characters,
// and every other character as it is. A text that is not valid UTF-8 (a file name, say) is written by
// nlohmann itself, whose `replace` handler decides how its bad bytes become U+FFFD.
void JsonWriter::quoted(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  bool plain = true;
  // Eight bytes at a time while they are all plain ASCII: none below 0x20, no `"`, no `\`, no high bit.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  while (i + 8 <= n) {
    std::uint64_t v = 0;
    std::memcpy(&v, s.data() + i, 8);
    // Without its high bit, a byte is below 0x20 exactly when its bits 0x60 are both clear.
    const std::uint64_t special =
        (v & kHigh) | has_zero(v & (0x60 * kOnes)) | has_zero(v ^ (0x22 * kOnes)) | has_zero(v ^ (0x5C * kOnes));
    if (special != 0) break;
    i += 8;
  }
  while (i < n) {
    const std::uint8_t c = kByteClass[static_cast<unsigned char>(s[i])];
    if (c == 0) {
      ++i;
    } else if (c == 1) {
      plain = false;
      ++i;
    } else {
      const std::size_t length = utf8_char_length(s, i);
      if (length == 0) {
        out_ += nlohmann::ordered_json(std::string(s))
                    .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        return;
      }
      i += length;
    }
  }
  if (plain) {
    const std::size_t at = out_.size();
    out_.resize(at + n + 2);
    char* p = out_.data() + at;
    *p = '"';
    if (n != 0) std::memcpy(p + 1, s.data(), n);
    p[n + 1] = '"';
    return;
  }
  out_ += '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out_ += c;
        }
    }
  }
  out_ += '"';
}

}  // namespace secretc
