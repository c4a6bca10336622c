#include "cli/json_writer.hpp"

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

// nlohmann's escapes: the two-letter ones, \u00xx (lower-case hex) for the other control characters,
// and every other character as it is. A text that is not valid UTF-8 (a file name, say) is written by
// nlohmann itself, whose `replace` handler decides how its bad bytes become U+FFFD.
void JsonWriter::quoted(std::string_view s) {
  bool plain = true;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      plain = plain && b >= 0x20 && b != '"' && b != '\\';
      ++i;
      continue;
    }
    const std::size_t n = utf8_char_length(s, i);
    if (n == 0) {
      out_ += nlohmann::ordered_json(std::string(s)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      return;
    }
    i += n;
  }
  out_ += '"';
  if (plain) {
    out_ += s;
  } else {
    for (const char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            fmt::format_to(std::back_inserter(out_), "\\u{:04x}", static_cast<unsigned>(c));
          } else {
            out_ += c;
          }
      }
    }
  }
  out_ += '"';
}

}  // namespace secretc
