#include "runtime/program.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "runtime/same_text.hpp"

namespace secretc {

const OpcodeInfo& opcode_info(Opcode op) {
  static constexpr std::array<OpcodeInfo, static_cast<std::size_t>(Opcode::Count_)> kInfo{{
#define OPCODE(name, mnemonic, a, b, c) {mnemonic, OperandKind::a, OperandKind::b, OperandKind::c},
#include "runtime/opcodes.def"
#undef OPCODE
  }};
  return kInfo[static_cast<std::size_t>(op)];
}

namespace {
template <typename Table>
std::optional<std::uint32_t> find_named(const Table& table, std::string_view n) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == n) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}
}  // namespace

const std::string& text_in(TextLang wanted, TextLang written_in, const std::string& written,
                           const std::string& translated) {
  if (wanted == written_in || translated.empty()) return written;
  return translated;
}

TextLang Program::written_in() const {
  if (!facts.empty()) return facts.front().lang;
  if (!rules.empty()) return rules.front().lang;
  return TextLang::French;
}

std::string Program::member_label(std::uint32_t enum_id, std::uint32_t member, TextLang lang) const {
  static const std::string kNone;
  const EnumInfo& e = enums.at(enum_id);
  const std::string& written = member < e.labels.size() ? e.labels[member] : kNone;
  const std::string& translated = member < e.labels_tr.size() ? e.labels_tr[member] : kNone;
  const std::string& label = text_in(lang, e.lang, written, translated);
  if (!label.empty()) return label;
  std::string words = e.members.at(member);
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

const std::string& Program::question_of(std::uint32_t fact, TextLang lang) const {
  const FactInfo& f = facts.at(fact);
  return text_in(lang, f.lang, f.question, f.question_tr);
}

const std::string& Program::help_of(std::uint32_t fact, TextLang lang) const {
  const FactInfo& f = facts.at(fact);
  return text_in(lang, f.lang, f.help, f.help_tr);
}

const std::string& Program::theme_label(std::uint32_t theme, TextLang lang) const {
  const ThemeInfo& t = themes.at(theme);
  return text_in(lang, t.lang, t.label, t.label_tr);
}

const std::string& Program::rule_title(std::uint32_t rule, TextLang lang) const {
  const RuleInfo& r = rules.at(rule);
  const std::string& title = text_in(lang, r.lang, r.title, r.title_tr);
  return title.empty() ? r.name : title;
}

const std::string& Program::rule_because(std::uint32_t rule, TextLang lang) const {
  const RuleInfo& r = rules.at(rule);
  return text_in(lang, r.lang, r.because, r.because_tr);
}

const std::string& Program::rule_note(std::uint32_t rule, TextLang lang) const {
  const RuleInfo& r = rules.at(rule);
  return text_in(lang, r.lang, r.note, r.note_tr);
}

const std::string& Program::rule_validity_reason(std::uint32_t rule, TextLang lang) const {
  const RuleInfo& r = rules.at(rule);
  return text_in(lang, r.lang, r.validity_reason, r.validity_reason_tr);
}

std::optional<std::uint32_t> Program::theme_of(std::uint32_t fact) const {
  if (fact >= facts.size()) return std::nullopt;
  const std::string_view fact_name = facts[fact].name;
  const std::string_view head = fact_name.substr(0, fact_name.find('.'));
  for (std::uint32_t t = 0; t < themes.size(); ++t) {
    if (themes[t].name == head) return t;
  }
  return std::nullopt;
}

std::size_t Program::proviso_count() const {
  std::size_t n = 0;
  for (const RuleInfo& r : rules) n += r.provisos.size();
  return n;
}

namespace {

// A name's hash from its length and its first and last eight bytes: constant time whatever the
// name (a case looks up each of its facts), and names that share both ends only meet in the probe,
// where the whole name is compared. Mixed as MurmurHash3's finaliser mixes.
std::uint64_t name_hash(std::string_view name) {
  // The first eight bytes and the last eight (overlapping when shorter than sixteen), loaded whole:
  // a memcpy of a size known when compiled is one load, of a size known only here a call.
  std::uint64_t head = 0, tail = 0;
  const std::size_t n = name.size();
  const char* p = name.data();
  if (n >= 8) {
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    head = a;
    tail = b;
  } else {
    for (std::size_t i = 0; i < n; ++i) head |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  std::uint64_t h = head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ (n << 56);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 33);
}

}  // namespace

void Program::index_names() {
  std::size_t size = 8;
  while (size < 2 * facts.size()) size *= 2;
  fact_index.assign(size, FactSlot{});
  for (std::uint32_t f = 0; f < facts.size(); ++f) {
    const std::uint64_t h = name_hash(facts[f].name);
    std::size_t at = h & (size - 1);
    while (fact_index[at].fact != kNoFact) at = (at + 1) & (size - 1);
    fact_index[at] = FactSlot{f, static_cast<std::uint32_t>(h >> 32)};
  }
}

std::optional<std::uint32_t> Program::find_fact(std::string_view n) const {
  const std::size_t size = fact_index.size();
  // Probed only while the table is a power of two with an empty slot left (it always is as built).
  if (size >= 2 * facts.size() && size != 0 && (size & (size - 1)) == 0) {
    const std::uint64_t h = name_hash(n);
    const auto high = static_cast<std::uint32_t>(h >> 32);
    std::size_t at = h & (size - 1);
    for (std::size_t probes = 0; probes < size; ++probes, at = (at + 1) & (size - 1)) {
      const FactSlot& slot = fact_index[at];
      if (slot.fact == kNoFact) break;
      if (slot.hash == high && slot.fact < facts.size() && same_text(facts[slot.fact].name, n)) return slot.fact;
    }
  }
  // No index, a stale one, or a name no fact has: the table itself says.
  return find_named(facts, n);
}

std::optional<std::uint32_t> Program::find_output(std::string_view n) const {
  return find_named(outputs, n);
}
std::optional<std::uint32_t> Program::find_rule(std::string_view n) const {
  return find_named(rules, n);
}

std::optional<std::uint32_t> Program::find_member(std::uint32_t enum_id, std::string_view n) const {
  if (enum_id >= enums.size()) return std::nullopt;
  const auto& m = enums[enum_id].members;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == n) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

std::string type_name(Type t, const std::vector<EnumInfo>& enums, TextLang lang) {
  const bool fr = lang == TextLang::French;
  const std::string enum_name = t.enum_id < enums.size() ? enums[t.enum_id].name : std::string("?");
  switch (t.kind) {
    case TypeKind::Bool:
      return fr ? "booléen" : "bool";
    case TypeKind::Integer:
      return fr ? "entier" : "integer";
    case TypeKind::Date:
      return "date";
    case TypeKind::String:
      return fr ? "texte" : "string";
    case TypeKind::Article:
      return "article";
    case TypeKind::Enum:
      return enum_name;
    case TypeKind::Set:
      return (fr ? "ensemble de " : "set of ") + enum_name;
  }
  return "?";
}

std::string Program::format_value(Type t, const Value& v) const {
  if (!v.known) return "?";
  switch (t.kind) {
    case TypeKind::Bool:
      return v.payload != 0 ? "true" : "false";
    case TypeKind::Integer:
      return fmt::format("{}", v.payload);
    case TypeKind::Date:
      return format_date(v.payload);
    case TypeKind::Article:
      return fmt::format("\"{}\"", format_article(v.payload));
    case TypeKind::String: {
      const auto id = static_cast<std::size_t>(v.payload);
      return id < strings.size() ? fmt::format("\"{}\"", strings[id]) : std::string("\"…\"");
    }
    case TypeKind::Enum: {
      if (t.enum_id < enums.size() && v.payload >= 0 &&
          static_cast<std::size_t>(v.payload) < enums[t.enum_id].members.size()) {
        return enums[t.enum_id].members[static_cast<std::size_t>(v.payload)];
      }
      return fmt::format("#{}", v.payload);
    }
    case TypeKind::Set: {
      std::string out = "{";
      const auto mask = static_cast<std::uint64_t>(v.payload);
      bool first = true;
      for (std::uint32_t i = 0; i < 64; ++i) {
        if (((mask >> i) & 1U) == 0) continue;
        out += first ? " " : ", ";
        first = false;
        out += t.enum_id < enums.size() && i < enums[t.enum_id].members.size() ? enums[t.enum_id].members[i]
                                                                               : fmt::format("#{}", i);
      }
      return out + (first ? "}" : " }");
    }
  }
  return "?";
}

}  // namespace secretc
