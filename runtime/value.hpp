// Values, types, dates and articles of law: the vocabulary shared by the compiler and the VM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secretc {

// The kinds of value a slot can hold. Enum and set types also carry the index of their enumeration.
enum class TypeKind : std::uint8_t { Bool = 0, Integer = 1, Date = 2, String = 3, Article = 4, Enum = 5, Set = 6 };

struct Type {
  TypeKind kind = TypeKind::Bool;
  std::uint32_t enum_id = 0;  // meaningful for Enum and Set only

  friend bool operator==(const Type&, const Type&) = default;
  [[nodiscard]] bool ordered() const {
    return kind == TypeKind::Integer || kind == TypeKind::Date || kind == TypeKind::Article;
  }
};

inline constexpr std::uint32_t kMaxEnumMembers = 64;  // a set is a 64-bit mask

// A three-valued slot: unknown, or known with a payload whose meaning depends on the slot's type:
// bool 0/1; integer; date as days since 1970-01-01; string as an interned id; article as an encoded key;
// enum as the member index; set as a bit mask of member indices.
struct Value {
  std::int64_t payload = 0;
  bool known = false;

  static constexpr Value unknown() { return {}; }
  static constexpr Value of(std::int64_t p) { return {p, true}; }
  friend bool operator==(const Value&, const Value&) = default;
};

// Three-valued (Kleene) truth, as stored in a bool slot.
enum class Truth : std::uint8_t { False = 0, True = 1, Unknown = 2 };

inline Truth truth_of(const Value& v) {
  if (!v.known) return Truth::Unknown;
  return v.payload != 0 ? Truth::True : Truth::False;
}

// --- dates ---------------------------------------------------------------------------------------

// Days since 1970-01-01 of a valid proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d);
bool valid_date(int y, unsigned m, unsigned d);
// Parses exactly YYYY-MM-DD; nullopt for a malformed or impossible date (2019-02-30).
std::optional<std::int64_t> parse_date(std::string_view text);
std::string format_date(std::int64_t days);

// --- articles of law -----------------------------------------------------------------------------

// An article number of a Belgian code: "458", "371/1", "377bis", "405ter", "433quinquies".
// Encoded so that integer order is the order of the code: number, then the /n sub-number, then the
// Latin suffix (bis < ter < quater < ...). "371/1" < "372" < "377" < "377bis" < "377quater".
std::optional<std::int64_t> parse_article(std::string_view text);
std::string format_article(std::int64_t key);

// --- strings -------------------------------------------------------------------------------------

// 64-bit FNV-1a: the source hash and the bytecode checksum. Any single changed byte changes it,
// since every step of FNV-1a is a bijection of the running state.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace secretc
