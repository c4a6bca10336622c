#include "runtime/value.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace secretc {

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

bool valid_date(int y, unsigned m, unsigned d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned max = (m == 2 && leap) ? 29 : days[m - 1];
  return d <= max;
}

std::optional<std::int64_t> parse_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n, unsigned& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + static_cast<unsigned>(t[i] - '0');
    }
    return true;
  };
  unsigned y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (!valid_date(static_cast<int>(y), m, d)) return std::nullopt;
  return days_from_civil(static_cast<int>(y), m, d);
}

std::string format_date(std::int64_t days) {
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

namespace {
// Latin ordinal suffixes as the Belgian codes use them, in order.
constexpr std::array<std::string_view, 16> kSuffixes{
    "",       "bis",    "ter",      "quater",    "quinquies", "sexies",       "septies",         "octies",
    "novies", "decies", "undecies", "duodecies", "terdecies", "quaterdecies", "quinquiesdecies", "sexiesdecies"};
constexpr std::int64_t kSubRange = 1000;  // "/n" sub-numbers 0..999
constexpr std::int64_t kSuffixRange = 16;
}  // namespace

std::optional<std::int64_t> parse_article(std::string_view t) {
  std::size_t i = 0;
  std::int64_t number = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    number = number * 10 + (t[i] - '0');
    if (number > 99999) return std::nullopt;
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::int64_t sub = 0;
  if (i < t.size() && t[i] == '/') {
    ++i;
    const std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      sub = sub * 10 + (t[i] - '0');
      if (sub >= kSubRange) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  std::int64_t suffix = 0;
  const std::string_view rest = t.substr(i);
  if (!rest.empty()) {
    bool found = false;
    for (std::size_t k = 1; k < kSuffixes.size(); ++k) {
      if (rest == kSuffixes[k]) {
        suffix = static_cast<std::int64_t>(k);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return (number * kSubRange + sub) * kSuffixRange + suffix;
}

std::string format_article(std::int64_t key) {
  if (key < 0) return "?";
  const std::int64_t suffix = key % kSuffixRange;
  const std::int64_t sub = (key / kSuffixRange) % kSubRange;
  const std::int64_t number = key / kSuffixRange / kSubRange;
  std::string out = fmt::format("{}", number);
  if (sub != 0) out += fmt::format("/{}", sub);
  out += kSuffixes[static_cast<std::size_t>(suffix)];
  return out;
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t h = seed;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  // Still a byte at a time, in order (the hash is FNV-1a's), but eight bytes read at once, lowest first:
  // half the instructions of a loop over the bytes (the rulebase's sources and its bytecode are hashed
  // at every compile).
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    h = (h ^ (w & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 8U) & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 16U) & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 24U) & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 32U) & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 40U) & 0xFFU)) * kPrime;
    h = (h ^ ((w >> 48U) & 0xFFU)) * kPrime;
    h = (h ^ (w >> 56U)) * kPrime;
  }
  for (; n > 0; ++p, --n) h = (h ^ static_cast<unsigned char>(*p)) * kPrime;
  return h;
}

}  // namespace secretc
