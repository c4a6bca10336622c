#include "runtime/bytecode.hpp"

#include <array>
#include <cstddef>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "runtime/verify.hpp"

namespace secretc {

namespace {

using bytecode_internal::find_problem;
using bytecode_internal::Problem;
using bytecode_internal::Section;

// --- the layout ----------------------------------------------------------------------------------

constexpr std::string_view kMagic = "SECRETBC";
constexpr std::size_t kHeaderBytes = 8 + 4 + 4;  // magic, format version, section count
constexpr std::size_t kSectionHeaderBytes = 4 + 4;
constexpr std::size_t kChecksumBytes = 8;

// Section (verify.hpp, which the verifier shares) numbers the sections from 1, in the order of the file.
constexpr std::uint32_t kSectionCount = 9;
constexpr std::array<std::string_view, kSectionCount> kSectionNames{"META",  "STRINGS", "ENUMS",     "FACTS", "OUTPUTS",
                                                                    "RULES", "SLOTS",   "CONSTANTS", "CODE"};

constexpr std::size_t section_slot(Section s) {
  return static_cast<std::size_t>(s) - 1;
}
constexpr std::string_view section_name(Section s) {
  return kSectionNames[section_slot(s)];
}

// The smallest encoding of one entry of each table: a count claiming more entries than the bytes left
// could hold is rejected before anything is allocated.
constexpr std::size_t kWord = 4;  // a u32: a count, an index, a length
constexpr std::size_t kMinString = kWord;
constexpr std::size_t kMinType = 1 + kWord;
constexpr std::size_t kMinValue = 8 + 1;
// name, member, label, synonym-list and translated-label counts, language
constexpr std::size_t kMinEnum = kMinString + 4 * kWord + 1;
constexpr std::size_t kMinFact = kMinString + kMinType + 1 + kMinValue + 4 * kMinString + 1;
constexpr std::size_t kMinTheme = 3 * kMinString + 1;
constexpr std::size_t kMinOutput = kMinString + 1 + kWord + 1 + kWord + kWord;
// kind; name, title, cite, because, note; two validity flags; the reason; five list counts; source file
// and line
constexpr std::size_t kMinRule =
    1 + 5 * kMinString + 2 + kMinString + 4 * kMinString + 1 + 5 * kWord + kMinString + kWord;
constexpr std::size_t kMinProviso = 2 * kMinString + kWord;
constexpr std::size_t kMinEffect = kWord + 8;
constexpr std::size_t kMinIndex = kWord;
constexpr std::size_t kMinInstr = 4 * kWord;

std::uint64_t read_little_endian(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    v |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  }
  return v;
}

// A byte offset or a bit set as messages write it: 0x1c.
std::string hex(std::uint64_t v) {
  return fmt::format("{:#x}", v);
}

// --- writing -------------------------------------------------------------------------------------

// Appends little-endian integers byte by byte, so the file is the same on every host.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { little_endian<4>(v); }
  void u64(std::uint64_t v) { little_endian<8>(v); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void flag(bool b) { u8(b ? 1 : 0); }
  void count(std::size_t n) { u32(static_cast<std::uint32_t>(n)); }
  void str(std::string_view s) {
    count(s.size());
    out_.append(s);
  }
  // Several strings in a row, in this order.
  template <typename... Strings>
  void strs(const Strings&... s) {
    (str(s), ...);
  }
  void type(Type t) {
    u8(static_cast<std::uint8_t>(t.kind));
    u32(t.enum_id);
  }
  void value(const Value& v) {
    i64(v.payload);
    flag(v.known);
  }
  void optional_i64(const std::optional<std::int64_t>& v) {
    flag(v.has_value());
    if (v) i64(*v);
  }
  void indices(const std::vector<std::uint32_t>& list) {
    count(list.size());
    for (const std::uint32_t x : list) u32(x);
  }
  void section(Section id, const Writer& payload) {
    u32(static_cast<std::uint32_t>(id));
    count(payload.out_.size());
    out_.append(payload.out_);
  }
  [[nodiscard]] const std::string& bytes() const { return out_; }

 private:
  // The low N bytes of v, least significant first, appended at once (not a byte at a time).
  template <unsigned N>
  void little_endian(std::uint64_t v) {
    std::array<char, N> bytes{};
    for (unsigned i = 0; i < N; ++i) bytes[i] = static_cast<char>(static_cast<std::uint8_t>(v >> (8 * i)));
    out_.append(bytes.data(), N);
  }

  std::string out_;
};

Writer meta_payload(const Program& p) {
  Writer w;
  w.strs(p.name, p.version);
  w.u64(p.source_hash);
  w.optional_i64(p.law_as_of);
  w.flag(p.date_fact.has_value());
  w.u32(p.date_fact.value_or(0));
  return w;
}

Writer strings_payload(const Program& p) {
  Writer w;
  w.count(p.strings.size());
  for (const std::string& s : p.strings) w.str(s);
  return w;
}

Writer enums_payload(const Program& p) {
  Writer w;
  w.count(p.enums.size());
  for (const EnumInfo& e : p.enums) {
    w.str(e.name);
    w.count(e.members.size());
    for (const std::string& m : e.members) w.str(m);
    w.count(e.labels.size());
    for (const std::string& l : e.labels) w.str(l);
    w.count(e.synonyms.size());
    for (const auto& list : e.synonyms) {
      w.count(list.size());
      for (const std::string& word : list) w.str(word);
    }
    w.count(e.labels_tr.size());
    for (const std::string& l : e.labels_tr) w.str(l);
    w.u8(static_cast<std::uint8_t>(e.lang));
  }
  return w;
}

Writer facts_payload(const Program& p) {
  Writer w;
  w.count(p.facts.size());
  for (const FactInfo& f : p.facts) {
    w.str(f.name);
    w.type(f.type);
    w.u8(static_cast<std::uint8_t>(f.default_kind));
    w.value(f.default_value);
    w.strs(f.question, f.question_tr, f.help, f.help_tr);
    w.u8(static_cast<std::uint8_t>(f.lang));
  }
  w.count(p.themes.size());
  for (const ThemeInfo& t : p.themes) {
    w.strs(t.name, t.label, t.label_tr);
    w.u8(static_cast<std::uint8_t>(t.lang));
  }
  return w;
}

Writer outputs_payload(const Program& p) {
  Writer w;
  w.count(p.outputs.size());
  for (const OutputInfo& o : p.outputs) {
    w.str(o.name);
    w.u8(static_cast<std::uint8_t>(o.kind));
    w.u32(o.enum_id);
    w.flag(o.has_default);
    w.u32(o.default_member);
    w.indices(o.doubt);
  }
  return w;
}

Writer rules_payload(const Program& p) {
  Writer w;
  w.count(p.rules.size());
  for (const RuleInfo& r : p.rules) {
    w.u8(static_cast<std::uint8_t>(r.kind));
    w.strs(r.name, r.title, r.cite, r.because, r.note);
    w.optional_i64(r.valid_from);
    w.optional_i64(r.valid_until);
    w.strs(r.validity_reason, r.title_tr, r.because_tr, r.note_tr, r.validity_reason_tr);
    w.u8(static_cast<std::uint8_t>(r.lang));
    w.count(r.effects.size());
    for (const Effect& e : r.effects) {
      w.u32(e.output);
      w.u64(e.value);
    }
    w.indices(r.overrides);
    w.indices(r.overriders);
    w.indices(r.facts_read);
    w.count(r.provisos.size());
    for (const ProvisoInfo& k : r.provisos) {
      w.strs(k.text, k.text_tr);
      w.indices(k.facts_read);
    }
    w.str(r.source_file);
    w.u32(r.source_line);
  }
  return w;
}

// Types and names are two arrays, not one array of pairs, so that a program whose two tables disagree
// in length still serialises as it is and the verifier, not the writer, says what is wrong.
Writer slots_payload(const Program& p) {
  Writer w;
  w.count(p.slot_types.size());
  for (const Type t : p.slot_types) w.type(t);
  w.count(p.slot_names.size());
  for (const std::string& n : p.slot_names) w.str(n);
  return w;
}

Writer constants_payload(const Program& p) {
  Writer w;
  w.count(p.constants.size());
  for (const Value& v : p.constants) w.value(v);
  w.count(p.constant_types.size());
  for (const Type t : p.constant_types) w.type(t);
  return w;
}

Writer code_payload(const Program& p) {
  Writer w;
  w.count(p.code.size());
  for (const Instr& in : p.code) {
    w.u32(static_cast<std::uint32_t>(in.op));
    w.u32(in.a);
    w.u32(in.b);
    w.u32(in.c);
  }
  return w;
}

// --- reading -------------------------------------------------------------------------------------

// Reads one section's payload. The first error sticks: later reads return zeros and consume nothing,
// so a parser can run to the end of a loop and check ok() once, and every loop is bounded by a count
// already checked against the bytes left. Fields are named by their catalogue messages (BytecodeField*).
class Reader {
 public:
  Reader(std::string_view file, std::size_t begin, std::size_t end, Section section)
      : file_(file), pos_(begin), end_(end), section_(section) {}

  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  [[nodiscard]] const std::vector<Message>& error() const { return *error_; }
  [[nodiscard]] std::size_t offset() const { return pos_; }
  [[nodiscard]] std::size_t remaining() const { return end_ - pos_; }

  // Names the entry being read in later messages: "rule 3: ..." (`kind`: a BytecodeIn* message).
  void enter(Msg kind, std::size_t index) {
    entry_kind_ = kind;
    entry_index_ = index;
  }
  void leave() { entry_kind_ = Msg::Count_; }

  // `detail`: what is wrong at byte `at` (nested_text), without the section and the entry, which this adds.
  void fail(std::size_t at, std::vector<Message> detail) {
    if (!ok()) return;
    std::vector<Message> chain{msg(Msg::BytecodeInSection, section_name(section_), hex(at))};
    if (entry_kind_ != Msg::Count_) chain.push_back(msg(entry_kind_, entry_index_));
    chain.insert(chain.end(), std::make_move_iterator(detail.begin()), std::make_move_iterator(detail.end()));
    error_ = std::move(chain);
  }

  std::uint8_t u8(Msg field) { return static_cast<std::uint8_t>(integer(1, field)); }
  std::uint32_t u32(Msg field) { return static_cast<std::uint32_t>(integer(4, field)); }
  std::uint64_t u64(Msg field) { return integer(8, field); }
  std::int64_t i64(Msg field) { return static_cast<std::int64_t>(integer(8, field)); }

  // Flags are exactly 0 or 1, so that every accepted file has one encoding and re-serialises byte for byte.
  bool flag(Msg field) {
    const std::size_t at = pos_;
    const std::uint8_t v = u8(field);
    if (v > 1) fail(at, {msg(Msg::BytecodeFlagNotBool, v), msg(field)});
    return v == 1;
  }

  // A table's entry count, refused when the section has no room for that many entries.
  std::uint32_t count(Msg what, std::size_t min_entry_bytes) {
    const std::size_t at = pos_;
    const std::uint32_t n = u32(what);
    if (ok() && n > remaining() / min_entry_bytes) {
      fail(at, {msg(Msg::BytecodeCountTooLarge, n, remaining(), remaining() / min_entry_bytes), msg(what)});
    }
    return ok() ? n : 0;
  }

  std::string str(Msg field) {
    const std::size_t at = pos_;
    const std::uint32_t length = u32(field);
    if (!ok()) return {};
    if (length > remaining()) {
      fail(at, {msg(Msg::BytecodeStringTooLong, length, remaining()), msg(field)});
      return {};
    }
    std::string s(file_.substr(pos_, length));
    pos_ += length;
    return s;
  }

  std::optional<std::int64_t> optional_i64(Msg field) {
    if (!flag(field)) return std::nullopt;
    return i64(field);
  }

  // The kind is kept as read; verify_program says whether it names a type.
  Type type(Msg field) {
    Type t;
    t.kind = static_cast<TypeKind>(u8(field));
    t.enum_id = u32(field);
    return t;
  }

  Value value(Msg field) {
    Value v;
    v.payload = i64(field);
    v.known = flag(field);
    return v;
  }

  std::vector<std::uint32_t> indices(Msg what) {
    const std::uint32_t n = count(what, kMinIndex);
    std::vector<std::uint32_t> list;
    list.reserve(n);
    for (std::uint32_t i = 0; i < n && ok(); ++i) list.push_back(u32(what));
    return list;
  }

 private:
  bool need(std::size_t n, Msg field) {
    if (!ok()) return false;
    if (n <= remaining()) return true;
    fail(pos_, {msg(Msg::BytecodeFieldCutShort, n, remaining()), msg(field)});
    return false;
  }

  std::uint64_t integer(std::size_t width, Msg field) {
    if (!need(width, field)) return 0;
    const std::uint64_t v = read_little_endian(file_, pos_, width);
    pos_ += width;
    return v;
  }

  std::string_view file_;
  std::size_t pos_;
  std::size_t end_;
  Section section_;
  Msg entry_kind_ = Msg::Count_;  // Count_: no entry
  std::size_t entry_index_ = 0;
  std::optional<std::vector<Message>> error_;
};

// Where each entry of each section starts in the file, so that the verifier's findings can point at bytes.
// A section's list ends with the offset of its end, which locates "after the last instruction".
struct Layout {
  std::array<std::size_t, kSectionCount> start{};
  std::array<std::vector<std::size_t>, kSectionCount> entries;
};

void read_meta(Reader& r, Program& p, std::vector<std::size_t>& /*entries*/) {
  p.name = r.str(Msg::BytecodeFieldName);
  p.version = r.str(Msg::BytecodeFieldVersion);
  p.source_hash = r.u64(Msg::BytecodeFieldSourceHash);
  p.law_as_of = r.optional_i64(Msg::BytecodeFieldLawAsOf);
  const bool has_date = r.flag(Msg::BytecodeFieldHasDateFact);
  const std::size_t at = r.offset();
  const std::uint32_t date = r.u32(Msg::BytecodeFieldDateFact);
  // One encoding per program: without a date fact, its index is 0.
  if (!has_date && date != 0) r.fail(at, {msg(Msg::BytecodeNoDateFactIndex, date)});
  if (has_date) p.date_fact = date;
}

void read_strings(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldStrings, kMinString);
  p.strings.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInString, i);
    p.strings.push_back(r.str(Msg::BytecodeFieldText));
  }
}

void read_enums(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldEnums, kMinEnum);
  p.enums.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInEnum, i);
    EnumInfo& e = p.enums.emplace_back();
    e.name = r.str(Msg::BytecodeFieldName);
    const std::uint32_t members = r.count(Msg::BytecodeFieldMembers, kMinString);
    e.members.reserve(members);
    for (std::uint32_t m = 0; m < members && r.ok(); ++m) e.members.push_back(r.str(Msg::BytecodeFieldMember));
    const std::uint32_t labels = r.count(Msg::BytecodeFieldLabels, kMinString);
    e.labels.reserve(labels);
    for (std::uint32_t m = 0; m < labels && r.ok(); ++m) e.labels.push_back(r.str(Msg::BytecodeFieldLabel));
    const std::uint32_t synonyms = r.count(Msg::BytecodeFieldSynonymLists, kWord);
    e.synonyms.reserve(synonyms);
    for (std::uint32_t m = 0; m < synonyms && r.ok(); ++m) {
      auto& list = e.synonyms.emplace_back();
      const std::uint32_t words = r.count(Msg::BytecodeFieldSynonyms, kMinString);
      list.reserve(words);
      for (std::uint32_t k = 0; k < words && r.ok(); ++k) list.push_back(r.str(Msg::BytecodeFieldSynonym));
    }
    const std::uint32_t translated = r.count(Msg::BytecodeFieldTranslatedLabels, kMinString);
    e.labels_tr.reserve(translated);
    for (std::uint32_t m = 0; m < translated && r.ok(); ++m)
      e.labels_tr.push_back(r.str(Msg::BytecodeFieldTranslatedLabel));
    e.lang = static_cast<TextLang>(r.u8(Msg::BytecodeFieldLanguage));
  }
}

void read_facts(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldFacts, kMinFact);
  p.facts.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInFact, i);
    FactInfo& f = p.facts.emplace_back();
    f.name = r.str(Msg::BytecodeFieldName);
    f.type = r.type(Msg::BytecodeFieldType);
    f.default_kind = static_cast<DefaultKind>(r.u8(Msg::BytecodeFieldDefaultKind));
    f.default_value = r.value(Msg::BytecodeFieldDefault);
    f.question = r.str(Msg::BytecodeFieldQuestion);
    f.question_tr = r.str(Msg::BytecodeFieldTranslatedQuestion);
    f.help = r.str(Msg::BytecodeFieldHelp);
    f.help_tr = r.str(Msg::BytecodeFieldTranslatedHelp);
    f.lang = static_cast<TextLang>(r.u8(Msg::BytecodeFieldLanguage));
  }
  r.leave();
  const std::uint32_t themes = r.count(Msg::BytecodeFieldThemes, kMinTheme);
  p.themes.reserve(themes);
  for (std::uint32_t i = 0; i < themes && r.ok(); ++i) {
    r.enter(Msg::BytecodeInTheme, i);
    ThemeInfo& t = p.themes.emplace_back();
    t.name = r.str(Msg::BytecodeFieldName);
    t.label = r.str(Msg::BytecodeFieldLabel);
    t.label_tr = r.str(Msg::BytecodeFieldTranslatedLabel);
    t.lang = static_cast<TextLang>(r.u8(Msg::BytecodeFieldLanguage));
  }
}

void read_outputs(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldOutputs, kMinOutput);
  p.outputs.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInOutput, i);
    OutputInfo& o = p.outputs.emplace_back();
    o.name = r.str(Msg::BytecodeFieldName);
    o.kind = static_cast<OutputKind>(r.u8(Msg::BytecodeFieldKind));
    o.enum_id = r.u32(Msg::BytecodeFieldEnum);
    o.has_default = r.flag(Msg::BytecodeFieldHasDefault);
    o.default_member = r.u32(Msg::BytecodeFieldDefaultMember);
    o.doubt = r.indices(Msg::BytecodeFieldMembersInDoubt);
  }
}

void read_rules(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldRules, kMinRule);
  p.rules.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInRule, i);
    RuleInfo& rule = p.rules.emplace_back();
    rule.kind = static_cast<RuleKind>(r.u8(Msg::BytecodeFieldKind));
    rule.name = r.str(Msg::BytecodeFieldName);
    rule.title = r.str(Msg::BytecodeFieldTitle);
    rule.cite = r.str(Msg::BytecodeFieldCite);
    rule.because = r.str(Msg::BytecodeFieldBecause);
    rule.note = r.str(Msg::BytecodeFieldNote);
    rule.valid_from = r.optional_i64(Msg::BytecodeFieldValidFrom);
    rule.valid_until = r.optional_i64(Msg::BytecodeFieldValidUntil);
    rule.validity_reason = r.str(Msg::BytecodeFieldValidityReason);
    rule.title_tr = r.str(Msg::BytecodeFieldTranslatedTitle);
    rule.because_tr = r.str(Msg::BytecodeFieldTranslatedBecause);
    rule.note_tr = r.str(Msg::BytecodeFieldTranslatedNote);
    rule.validity_reason_tr = r.str(Msg::BytecodeFieldTranslatedValidityReason);
    rule.lang = static_cast<TextLang>(r.u8(Msg::BytecodeFieldLanguage));
    const std::uint32_t effects = r.count(Msg::BytecodeFieldEffects, kMinEffect);
    rule.effects.reserve(effects);
    for (std::uint32_t e = 0; e < effects && r.ok(); ++e) {
      Effect& effect = rule.effects.emplace_back();
      effect.output = r.u32(Msg::BytecodeFieldEffectOutput);
      effect.value = r.u64(Msg::BytecodeFieldEffectValue);
    }
    rule.overrides = r.indices(Msg::BytecodeFieldOverrides);
    rule.overriders = r.indices(Msg::BytecodeFieldOverriders);
    rule.facts_read = r.indices(Msg::BytecodeFieldFactsRead);
    const std::uint32_t provisos = r.count(Msg::BytecodeFieldProvisos, kMinProviso);
    rule.provisos.reserve(provisos);
    for (std::uint32_t k = 0; k < provisos && r.ok(); ++k) {
      ProvisoInfo& proviso = rule.provisos.emplace_back();
      proviso.text = r.str(Msg::BytecodeFieldProvisoText);
      proviso.text_tr = r.str(Msg::BytecodeFieldTranslatedProvisoText);
      proviso.facts_read = r.indices(Msg::BytecodeFieldProvisoFactsRead);
    }
    rule.source_file = r.str(Msg::BytecodeFieldSourceFile);
    rule.source_line = r.u32(Msg::BytecodeFieldSourceLine);
  }
}

// A list: its count (each item taking at least `min_bytes`), then each item read by `one` in the context
// `item i` (what an error names); the offset of each recorded in `entries` when given.
template <typename T, typename F>
void read_list(Reader& r, Msg list, std::size_t min_bytes, Msg item, std::vector<T>& out,
               std::vector<std::size_t>* entries, F one) {
  const std::uint32_t n = r.count(list, min_bytes);
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    if (entries != nullptr) entries->push_back(r.offset());
    r.enter(item, i);
    out.push_back(one());
  }
  r.leave();
}

void read_slots(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  read_list(r, Msg::BytecodeFieldSlotTypes, kMinType, Msg::BytecodeInSlot, p.slot_types, &entries,
            [&] { return r.type(Msg::BytecodeFieldType); });
  read_list(r, Msg::BytecodeFieldSlotNames, kMinString, Msg::BytecodeInSlot, p.slot_names, nullptr,
            [&] { return r.str(Msg::BytecodeFieldName); });
}

void read_constants(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  read_list(r, Msg::BytecodeFieldConstants, kMinValue, Msg::BytecodeInConstant, p.constants, &entries,
            [&] { return r.value(Msg::BytecodeFieldValue); });
  read_list(r, Msg::BytecodeFieldConstantTypes, kMinType, Msg::BytecodeInConstant, p.constant_types, nullptr,
            [&] { return r.type(Msg::BytecodeFieldType); });
}

void read_code(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count(Msg::BytecodeFieldInstructions, kMinInstr);
  p.code.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter(Msg::BytecodeInInstruction, i);
    const std::size_t at = r.offset();
    const std::uint32_t op = r.u32(Msg::BytecodeFieldOpcode);
    // Opcode is one byte wide in memory: an out-of-range word cannot even be stored for the verifier.
    if (op >= static_cast<std::uint32_t>(Opcode::Count_)) {
      r.fail(at, {msg(Msg::BytecodeUnknownOpcode, op, static_cast<std::uint32_t>(Opcode::Count_))});
    }
    Instr& in = p.code.emplace_back();
    in.op = static_cast<Opcode>(op);
    in.a = r.u32(Msg::BytecodeFieldOperandA);
    in.b = r.u32(Msg::BytecodeFieldOperandB);
    in.c = r.u32(Msg::BytecodeFieldOperandC);
  }
}

using SectionReader = void (*)(Reader&, Program&, std::vector<std::size_t>&);
constexpr std::array<SectionReader, kSectionCount> kSectionReaders{
    read_meta, read_strings, read_enums, read_facts, read_outputs, read_rules, read_slots, read_constants, read_code};

BytecodeError error_at(std::size_t at, Message what) {
  return BytecodeError({msg(Msg::BytecodeAtByte, hex(at)), std::move(what)});
}

}  // namespace

std::string nested_text(const std::vector<Message>& chain, TextLang lang) {
  std::string text;
  for (auto m = chain.rbegin(); m != chain.rend(); ++m) {
    if (m == chain.rbegin()) {
      text = message_text(*m, lang);
    } else {
      Message outer = *m;
      outer.args.push_back(std::move(text));
      text = message_text(outer, lang);
    }
  }
  return text;
}

BytecodeError::BytecodeError(std::vector<Message> chain)
    : detail(std::move(chain)), message(nested_text(detail, TextLang::English)) {}

std::string serialize_program(const Program& program) {
  Writer file;
  for (const char c : kMagic) file.u8(static_cast<std::uint8_t>(c));
  file.u32(kBytecodeVersion);
  file.u32(kSectionCount);
  file.section(Section::Meta, meta_payload(program));
  file.section(Section::Strings, strings_payload(program));
  file.section(Section::Enums, enums_payload(program));
  file.section(Section::Facts, facts_payload(program));
  file.section(Section::Outputs, outputs_payload(program));
  file.section(Section::Rules, rules_payload(program));
  file.section(Section::Slots, slots_payload(program));
  file.section(Section::Constants, constants_payload(program));
  file.section(Section::Code, code_payload(program));
  file.u64(fnv1a64(file.bytes()));
  return file.bytes();
}

std::variant<Program, BytecodeError> load_program(std::string_view bytes) {
  if (bytes.size() > kMaxBytecodeFileBytes) {
    return BytecodeError({msg(Msg::BytecodeFileTooLong, bytes.size(), kMaxBytecodeFileBytes)});
  }
  if (bytes.size() < kHeaderBytes + kChecksumBytes) {
    return BytecodeError({msg(Msg::BytecodeFileTooShort, bytes.size(), kHeaderBytes + kChecksumBytes)});
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return BytecodeError({msg(Msg::BytecodeNoMagic)});
  }
  // The checksum comes before anything else is believed: a damaged file gets one clear message, not a
  // misleading complaint about whichever field the damage happened to hit.
  const std::size_t checksum_at = bytes.size() - kChecksumBytes;
  if (read_little_endian(bytes, checksum_at, kChecksumBytes) != fnv1a64(bytes.substr(0, checksum_at))) {
    return BytecodeError({msg(Msg::BytecodeChecksumMismatch)});
  }
  const auto version = static_cast<std::uint32_t>(read_little_endian(bytes, kMagic.size(), 4));
  if (version != kBytecodeVersion) {
    return BytecodeError({msg(Msg::BytecodeVersionUnsupported, version, kBytecodeVersion)});
  }
  const auto declared = static_cast<std::uint32_t>(read_little_endian(bytes, kMagic.size() + 4, 4));

  Program program;
  Layout layout;
  std::array<std::size_t, kSectionCount> seen_at{};
  std::size_t pos = kHeaderBytes;
  std::uint32_t expected = 1;  // sections come in id order, so the next one must have this id
  for (std::uint32_t s = 0; s < declared; ++s) {
    const std::size_t left = checksum_at - pos;
    if (left < kSectionHeaderBytes) {
      return error_at(pos, msg(Msg::BytecodeSectionsEndEarly, declared, s));
    }
    const auto id = static_cast<std::uint32_t>(read_little_endian(bytes, pos, 4));
    const auto length = static_cast<std::uint32_t>(read_little_endian(bytes, pos + 4, 4));
    if (id < 1 || id > kSectionCount) return error_at(pos, msg(Msg::BytecodeUnknownSection, id));
    const auto section = static_cast<Section>(id);
    const std::string_view name = section_name(section);
    if (seen_at[section_slot(section)] != 0) {
      return error_at(pos, msg(Msg::BytecodeSectionTwice, name, hex(seen_at[section_slot(section)])));
    }
    if (id != expected) {
      return error_at(pos, msg(Msg::BytecodeSectionOutOfOrder, name, section_name(static_cast<Section>(expected))));
    }
    if (length > left - kSectionHeaderBytes) {
      return error_at(pos, msg(Msg::BytecodeSectionTooLong, name, length, left - kSectionHeaderBytes));
    }
    seen_at[section_slot(section)] = pos;
    const std::size_t begin = pos + kSectionHeaderBytes;
    const std::size_t end = begin + length;
    layout.start[section_slot(section)] = begin;
    Reader reader(bytes, begin, end, section);
    auto& entries = layout.entries[section_slot(section)];
    kSectionReaders[section_slot(section)](reader, program, entries);
    reader.leave();
    if (reader.ok() && reader.remaining() != 0) {
      reader.fail(reader.offset(), {msg(Msg::BytecodeSectionLeftover, reader.remaining())});
    }
    if (!reader.ok()) return BytecodeError(reader.error());
    entries.push_back(end);
    pos = end;
    ++expected;
  }
  if (expected <= kSectionCount) {
    return error_at(pos, msg(Msg::BytecodeSectionMissing, section_name(static_cast<Section>(expected))));
  }
  if (pos != checksum_at) {
    return error_at(pos, msg(Msg::BytecodeTrailingBytes, checksum_at - pos));
  }

  if (std::optional<Problem> problem = find_problem(program)) {
    const std::size_t slot = section_slot(problem->section);
    const auto& entries = layout.entries[slot];
    const std::size_t at = problem->entry < entries.size() ? entries[problem->entry] : layout.start[slot];
    std::vector<Message> chain{msg(Msg::BytecodeInSection, section_name(problem->section), hex(at))};
    chain.insert(chain.end(), std::make_move_iterator(problem->detail.begin()),
                 std::make_move_iterator(problem->detail.end()));
    return BytecodeError(std::move(chain));
  }
  program.index_names();
  return program;
}

}  // namespace secretc
