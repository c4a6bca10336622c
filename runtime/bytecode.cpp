#include "runtime/bytecode.hpp"

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace secretc {

namespace {

// --- the layout ----------------------------------------------------------------------------------

constexpr std::string_view kMagic = "SECRETBC";
constexpr std::size_t kHeaderBytes = 8 + 4 + 4;  // magic, format version, section count
constexpr std::size_t kSectionHeaderBytes = 4 + 4;
constexpr std::size_t kChecksumBytes = 8;

// Sections come exactly once each, in this order. Numbered from 1 so that a zeroed header is never valid.
enum class Section : std::uint32_t { Meta = 1, Strings, Enums, Facts, Outputs, Rules, Slots, Constants, Code };
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
constexpr std::size_t kMinRule = 1 + 5 * kMinString + 2 + kMinString + 4 * kMinString + 1 + 5 * kWord + kMinString + kWord;
constexpr std::size_t kMinProviso = 2 * kMinString + kWord;
constexpr std::size_t kMinEffect = kWord + 8;
constexpr std::size_t kMinIndex = kWord;
constexpr std::size_t kMinInstr = 4 * kWord;

// The dates a date value may hold: what parse_date accepts, so that every date can be printed back.
const std::int64_t kFirstDay = days_from_civil(1, 1, 1);
const std::int64_t kLastDay = days_from_civil(9999, 12, 31);

std::uint64_t read_little_endian(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    v |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  }
  return v;
}

// --- writing -------------------------------------------------------------------------------------

// Appends little-endian integers byte by byte, so the file is the same on every host.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void flag(bool b) { u8(b ? 1 : 0); }
  void count(std::size_t n) { u32(static_cast<std::uint32_t>(n)); }
  void str(std::string_view s) {
    count(s.size());
    out_.append(s);
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
  std::string out_;
};

Writer meta_payload(const Program& p) {
  Writer w;
  w.str(p.name);
  w.str(p.version);
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
    w.str(f.question);
    w.str(f.question_tr);
    w.str(f.help);
    w.str(f.help_tr);
    w.u8(static_cast<std::uint8_t>(f.lang));
  }
  w.count(p.themes.size());
  for (const ThemeInfo& t : p.themes) {
    w.str(t.name);
    w.str(t.label);
    w.str(t.label_tr);
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
    w.str(r.name);
    w.str(r.title);
    w.str(r.cite);
    w.str(r.because);
    w.str(r.note);
    w.optional_i64(r.valid_from);
    w.optional_i64(r.valid_until);
    w.str(r.validity_reason);
    w.str(r.title_tr);
    w.str(r.because_tr);
    w.str(r.note_tr);
    w.str(r.validity_reason_tr);
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
      w.str(k.text);
      w.str(k.text_tr);
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
// already checked against the bytes left.
class Reader {
 public:
  Reader(std::string_view file, std::size_t begin, std::size_t end, Section section)
      : file_(file), pos_(begin), end_(end), section_(section) {}

  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  [[nodiscard]] const std::string& error() const { return *error_; }
  [[nodiscard]] std::size_t offset() const { return pos_; }
  [[nodiscard]] std::size_t remaining() const { return end_ - pos_; }

  // Names the entry being read in later messages: "rule 3: ...".
  void enter(std::string_view kind, std::size_t index) {
    entry_kind_ = kind;
    entry_index_ = index;
  }
  void leave() { entry_kind_ = {}; }

  void fail(std::size_t at, std::string_view message) {
    if (!ok()) return;
    const std::string entry = entry_kind_.empty() ? std::string() : fmt::format("{} {}: ", entry_kind_, entry_index_);
    error_ = fmt::format("section {} at byte {:#x}: {}{}", section_name(section_), at, entry, message);
  }

  std::uint8_t u8(std::string_view field) { return static_cast<std::uint8_t>(integer(1, field)); }
  std::uint32_t u32(std::string_view field) { return static_cast<std::uint32_t>(integer(4, field)); }
  std::uint64_t u64(std::string_view field) { return integer(8, field); }
  std::int64_t i64(std::string_view field) { return static_cast<std::int64_t>(integer(8, field)); }

  // Flags are exactly 0 or 1, so that every accepted file has one encoding and re-serialises byte for byte.
  bool flag(std::string_view field) {
    const std::size_t at = pos_;
    const std::uint8_t v = u8(field);
    if (v > 1) fail(at, fmt::format("the flag {} is {}; a flag is 0 or 1", field, v));
    return v == 1;
  }

  // A table's entry count, refused when the section has no room for that many entries.
  std::uint32_t count(std::string_view what, std::size_t min_entry_bytes) {
    const std::size_t at = pos_;
    const std::uint32_t n = u32(what);
    if (ok() && n > remaining() / min_entry_bytes) {
      fail(at, fmt::format("{} {} claimed, but the {} bytes left in the section hold at most {}", n, what, remaining(),
                           remaining() / min_entry_bytes));
    }
    return ok() ? n : 0;
  }

  std::string str(std::string_view field) {
    const std::size_t at = pos_;
    const std::uint32_t length = u32(field);
    if (!ok()) return {};
    if (length > remaining()) {
      fail(at, fmt::format("{} is {} bytes long, but only {} bytes remain in the section", field, length, remaining()));
      return {};
    }
    std::string s(file_.substr(pos_, length));
    pos_ += length;
    return s;
  }

  std::optional<std::int64_t> optional_i64(std::string_view field) {
    if (!flag(field)) return std::nullopt;
    return i64(field);
  }

  // The kind is kept as read; verify_program says whether it names a type.
  Type type(std::string_view field) {
    Type t;
    t.kind = static_cast<TypeKind>(u8(field));
    t.enum_id = u32(field);
    return t;
  }

  Value value(std::string_view field) {
    Value v;
    v.payload = i64(field);
    v.known = flag(field);
    return v;
  }

  std::vector<std::uint32_t> indices(std::string_view what) {
    const std::uint32_t n = count(what, kMinIndex);
    std::vector<std::uint32_t> list;
    list.reserve(n);
    for (std::uint32_t i = 0; i < n && ok(); ++i) list.push_back(u32(what));
    return list;
  }

 private:
  bool need(std::size_t n, std::string_view field) {
    if (!ok()) return false;
    if (n <= remaining()) return true;
    fail(pos_, fmt::format("{} needs {} bytes, but only {} remain in the section", field, n, remaining()));
    return false;
  }

  std::uint64_t integer(std::size_t width, std::string_view field) {
    if (!need(width, field)) return 0;
    const std::uint64_t v = read_little_endian(file_, pos_, width);
    pos_ += width;
    return v;
  }

  std::string_view file_;
  std::size_t pos_;
  std::size_t end_;
  Section section_;
  std::string_view entry_kind_;
  std::size_t entry_index_ = 0;
  std::optional<std::string> error_;
};

// Where each entry of each section starts in the file, so that the verifier's findings can point at bytes.
// A section's list ends with the offset of its end, which locates "after the last instruction".
struct Layout {
  std::array<std::size_t, kSectionCount> start{};
  std::array<std::vector<std::size_t>, kSectionCount> entries;
};

void read_meta(Reader& r, Program& p, std::vector<std::size_t>& /*entries*/) {
  p.name = r.str("name");
  p.version = r.str("version");
  p.source_hash = r.u64("source hash");
  p.law_as_of = r.optional_i64("law_as_of");
  const bool has_date = r.flag("has a date fact");
  const std::size_t at = r.offset();
  const std::uint32_t date = r.u32("date fact");
  // One encoding per program: without a date fact, its index is 0.
  if (!has_date && date != 0) r.fail(at, fmt::format("the date fact's index is {}, but the program has no date fact", date));
  if (has_date) p.date_fact = date;
}

void read_strings(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("strings", kMinString);
  p.strings.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("string", i);
    p.strings.push_back(r.str("text"));
  }
}

void read_enums(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("enums", kMinEnum);
  p.enums.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("enum", i);
    EnumInfo& e = p.enums.emplace_back();
    e.name = r.str("name");
    const std::uint32_t members = r.count("members", kMinString);
    e.members.reserve(members);
    for (std::uint32_t m = 0; m < members && r.ok(); ++m) e.members.push_back(r.str("member"));
    const std::uint32_t labels = r.count("labels", kMinString);
    e.labels.reserve(labels);
    for (std::uint32_t m = 0; m < labels && r.ok(); ++m) e.labels.push_back(r.str("label"));
    const std::uint32_t synonyms = r.count("synonym lists", kWord);
    e.synonyms.reserve(synonyms);
    for (std::uint32_t m = 0; m < synonyms && r.ok(); ++m) {
      auto& list = e.synonyms.emplace_back();
      const std::uint32_t words = r.count("synonyms", kMinString);
      list.reserve(words);
      for (std::uint32_t k = 0; k < words && r.ok(); ++k) list.push_back(r.str("synonym"));
    }
    const std::uint32_t translated = r.count("translated labels", kMinString);
    e.labels_tr.reserve(translated);
    for (std::uint32_t m = 0; m < translated && r.ok(); ++m) e.labels_tr.push_back(r.str("translated label"));
    e.lang = static_cast<TextLang>(r.u8("language"));
  }
}

void read_facts(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("facts", kMinFact);
  p.facts.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("fact", i);
    FactInfo& f = p.facts.emplace_back();
    f.name = r.str("name");
    f.type = r.type("type");
    f.default_kind = static_cast<DefaultKind>(r.u8("default kind"));
    f.default_value = r.value("default");
    f.question = r.str("question");
    f.question_tr = r.str("translated question");
    f.help = r.str("help");
    f.help_tr = r.str("translated help");
    f.lang = static_cast<TextLang>(r.u8("language"));
  }
  r.leave();
  const std::uint32_t themes = r.count("themes", kMinTheme);
  p.themes.reserve(themes);
  for (std::uint32_t i = 0; i < themes && r.ok(); ++i) {
    r.enter("theme", i);
    ThemeInfo& t = p.themes.emplace_back();
    t.name = r.str("name");
    t.label = r.str("label");
    t.label_tr = r.str("translated label");
    t.lang = static_cast<TextLang>(r.u8("language"));
  }
}

void read_outputs(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("outputs", kMinOutput);
  p.outputs.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("output", i);
    OutputInfo& o = p.outputs.emplace_back();
    o.name = r.str("name");
    o.kind = static_cast<OutputKind>(r.u8("kind"));
    o.enum_id = r.u32("enum");
    o.has_default = r.flag("has_default");
    o.default_member = r.u32("default member");
    o.doubt = r.indices("members in doubt");
  }
}

void read_rules(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("rules", kMinRule);
  p.rules.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("rule", i);
    RuleInfo& rule = p.rules.emplace_back();
    rule.kind = static_cast<RuleKind>(r.u8("kind"));
    rule.name = r.str("name");
    rule.title = r.str("title");
    rule.cite = r.str("cite");
    rule.because = r.str("because");
    rule.note = r.str("note");
    rule.valid_from = r.optional_i64("valid_from");
    rule.valid_until = r.optional_i64("valid_until");
    rule.validity_reason = r.str("validity reason");
    rule.title_tr = r.str("translated title");
    rule.because_tr = r.str("translated explanation");
    rule.note_tr = r.str("translated note");
    rule.validity_reason_tr = r.str("translated validity reason");
    rule.lang = static_cast<TextLang>(r.u8("language"));
    const std::uint32_t effects = r.count("effects", kMinEffect);
    rule.effects.reserve(effects);
    for (std::uint32_t e = 0; e < effects && r.ok(); ++e) {
      Effect& effect = rule.effects.emplace_back();
      effect.output = r.u32("effect output");
      effect.value = r.u64("effect value");
    }
    rule.overrides = r.indices("overrides");
    rule.overriders = r.indices("overriders");
    rule.facts_read = r.indices("facts read");
    const std::uint32_t provisos = r.count("provisos", kMinProviso);
    rule.provisos.reserve(provisos);
    for (std::uint32_t k = 0; k < provisos && r.ok(); ++k) {
      ProvisoInfo& proviso = rule.provisos.emplace_back();
      proviso.text = r.str("proviso text");
      proviso.text_tr = r.str("translated proviso text");
      proviso.facts_read = r.indices("facts the proviso reads");
    }
    rule.source_file = r.str("source file");
    rule.source_line = r.u32("source line");
  }
}

void read_slots(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t types = r.count("slot types", kMinType);
  p.slot_types.reserve(types);
  for (std::uint32_t i = 0; i < types && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("slot", i);
    p.slot_types.push_back(r.type("type"));
  }
  r.leave();
  const std::uint32_t names = r.count("slot names", kMinString);
  p.slot_names.reserve(names);
  for (std::uint32_t i = 0; i < names && r.ok(); ++i) {
    r.enter("slot", i);
    p.slot_names.push_back(r.str("name"));
  }
}

void read_constants(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t values = r.count("constants", kMinValue);
  p.constants.reserve(values);
  for (std::uint32_t i = 0; i < values && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("constant", i);
    p.constants.push_back(r.value("value"));
  }
  r.leave();
  const std::uint32_t types = r.count("constant types", kMinType);
  p.constant_types.reserve(types);
  for (std::uint32_t i = 0; i < types && r.ok(); ++i) {
    r.enter("constant", i);
    p.constant_types.push_back(r.type("type"));
  }
}

void read_code(Reader& r, Program& p, std::vector<std::size_t>& entries) {
  const std::uint32_t n = r.count("instructions", kMinInstr);
  p.code.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    entries.push_back(r.offset());
    r.enter("instruction", i);
    const std::size_t at = r.offset();
    const std::uint32_t op = r.u32("opcode");
    // Opcode is one byte wide in memory: an out-of-range word cannot even be stored for the verifier.
    if (op >= static_cast<std::uint32_t>(Opcode::Count_)) {
      r.fail(at, fmt::format("opcode {} does not exist (there are {} opcodes)", op,
                             static_cast<std::uint32_t>(Opcode::Count_)));
    }
    Instr& in = p.code.emplace_back();
    in.op = static_cast<Opcode>(op);
    in.a = r.u32("operand A");
    in.b = r.u32("operand B");
    in.c = r.u32("operand C");
  }
}

using SectionReader = void (*)(Reader&, Program&, std::vector<std::size_t>&);
constexpr std::array<SectionReader, kSectionCount> kSectionReaders{
    read_meta, read_strings, read_enums, read_facts, read_outputs, read_rules, read_slots, read_constants, read_code};

// --- verification --------------------------------------------------------------------------------

// A verifier finding, with the table entry it concerns; load_program turns the entry into a byte offset.
struct Problem {
  Section section = Section::Meta;
  std::size_t entry = kWholeSection;
  std::string message;

  static constexpr std::size_t kWholeSection = std::numeric_limits<std::size_t>::max();
};

bool is_enum_kind(TypeKind k) {
  return k == TypeKind::Enum || k == TypeKind::Set;
}

// Every bit of a set over an enumeration of `members` members.
std::uint64_t member_mask(std::size_t members) {
  return members >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << members) - 1;
}

class Verifier {
 public:
  explicit Verifier(const Program& p) : p_(p) {
    first_proviso_.reserve(p.rules.size() + 1);
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      first_proviso_.push_back(proviso_rule_.size());
      proviso_rule_.insert(proviso_rule_.end(), p.rules[r].provisos.size(), r);
    }
    first_proviso_.push_back(proviso_rule_.size());
  }

  std::optional<Problem> run() {
    if (check_enums() && check_facts() && check_outputs() && check_rules() && check_slots() && check_constants()) {
      check_code();
    }
    return problem_;
  }

 private:
  bool fail(Section section, std::size_t entry, std::string message) {
    problem_ = Problem{section, entry, std::move(message)};
    return false;
  }

  // Why t names no type of this program, or empty.
  [[nodiscard]] std::string invalid_type(Type t) const {
    if (static_cast<std::uint8_t>(t.kind) > static_cast<std::uint8_t>(TypeKind::Set)) {
      return fmt::format("type kind {} does not exist", static_cast<unsigned>(t.kind));
    }
    if (is_enum_kind(t.kind)) {
      if (t.enum_id >= p_.enums.size()) {
        return fmt::format("the type names enum {}, but there are only {} enums", t.enum_id, p_.enums.size());
      }
    } else if (t.enum_id != 0) {
      // Type equality compares enum_id too: a stray id would make equal types differ.
      return fmt::format("the {} type carries enum {}; only enum and set types name an enum", p_.type_name(t),
                         t.enum_id);
    }
    return {};
  }

  // Why v is not a known value of the valid type t, or empty. Dates and articles must print back.
  [[nodiscard]] std::string invalid_value(Type t, const Value& v) const {
    if (!v.known) return "the value is unknown";
    const std::int64_t x = v.payload;
    switch (t.kind) {
      case TypeKind::Bool:
        if (x != 0 && x != 1) return fmt::format("{} is not a bool (0 or 1)", x);
        return {};
      case TypeKind::Integer:
        return {};
      case TypeKind::Date:
        if (x < kFirstDay || x > kLastDay) return fmt::format("day {} is outside 0001-01-01 .. 9999-12-31", x);
        return {};
      case TypeKind::String:
        if (x < 0 || static_cast<std::uint64_t>(x) >= p_.strings.size()) {
          return fmt::format("string {} does not exist (there are {} strings)", x, p_.strings.size());
        }
        return {};
      case TypeKind::Article:
        if (x < 0 || parse_article(format_article(x)) != x) return fmt::format("{} encodes no article number", x);
        return {};
      case TypeKind::Enum: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if (x < 0 || static_cast<std::uint64_t>(x) >= e.members.size()) {
          return fmt::format("member {} does not exist: enum `{}` has {} members", x, e.name, e.members.size());
        }
        return {};
      }
      case TypeKind::Set: {
        const EnumInfo& e = p_.enums[t.enum_id];
        if ((static_cast<std::uint64_t>(x) & ~member_mask(e.members.size())) != 0) {
          return fmt::format("the set {:#x} has bits beyond the {} members of enum `{}`", static_cast<std::uint64_t>(x),
                             e.members.size(), e.name);
        }
        return {};
      }
    }
    return "unreachable type kind";
  }

  bool check_enums() {
    for (std::size_t i = 0; i < p_.enums.size(); ++i) {
      const EnumInfo& e = p_.enums[i];
      const std::size_t n = e.members.size();
      if (n == 0 || n > kMaxEnumMembers) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} members; an enum has 1 to {}", i, e.name, n, kMaxEnumMembers));
      }
      // Labels are one per member, or absent altogether (a program built without a report in mind).
      if (!e.labels.empty() && e.labels.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} labels for {} members; it needs one per member or none", i,
                                e.name, e.labels.size(), n));
      }
      if (!e.labels_tr.empty() && e.labels_tr.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} translated labels for {} members; it needs one per member or "
                                "none",
                                i, e.name, e.labels_tr.size(), n));
      }
      if (e.lang != TextLang::French && e.lang != TextLang::English) {
        return fail(Section::Enums, i, fmt::format("enum {} (`{}`): language {} does not exist", i, e.name,
                                                   static_cast<unsigned>(e.lang)));
      }
      if (!e.synonyms.empty() && e.synonyms.size() != n) {
        return fail(Section::Enums, i,
                    fmt::format("enum {} (`{}`) has {} synonym lists for {} members; it needs one per member or none",
                                i, e.name, e.synonyms.size(), n));
      }
    }
    return true;
  }

  bool check_facts() {
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      const FactInfo& f = p_.facts[i];
      if (const std::string why = invalid_type(f.type); !why.empty()) {
        return fail(Section::Facts, i, fmt::format("fact {} (`{}`): {}", i, f.name, why));
      }
      if (f.lang != TextLang::French && f.lang != TextLang::English) {
        return fail(Section::Facts, i, fmt::format("fact {} (`{}`): language {} does not exist", i, f.name,
                                                   static_cast<unsigned>(f.lang)));
      }
      switch (f.default_kind) {
        case DefaultKind::None:
          break;
        case DefaultKind::Constant:
          if (const std::string why = invalid_value(f.type, f.default_value); !why.empty()) {
            return fail(Section::Facts, i, fmt::format("fact {} (`{}`): invalid default: {}", i, f.name, why));
          }
          break;
        case DefaultKind::Today:
          if (f.type.kind != TypeKind::Date) {
            return fail(Section::Facts, i,
                        fmt::format("fact {} (`{}`) defaults to today, but its type is {}, not date", i, f.name,
                                    p_.type_name(f.type)));
          }
          break;
        default:
          return fail(Section::Facts, i,
                      fmt::format("fact {} (`{}`): default kind {} does not exist", i, f.name,
                                  static_cast<unsigned>(f.default_kind)));
      }
    }
    for (const ThemeInfo& t : p_.themes) {
      if (t.lang != TextLang::French && t.lang != TextLang::English) {
        return fail(Section::Facts, Problem::kWholeSection,
                    fmt::format("theme `{}`: language {} does not exist", t.name, static_cast<unsigned>(t.lang)));
      }
    }
    if (p_.date_fact) {
      const std::uint32_t d = *p_.date_fact;
      if (d >= p_.facts.size()) {
        return fail(Section::Meta, Problem::kWholeSection,
                    fmt::format("the date fact is fact {}, but there are only {} facts", d, p_.facts.size()));
      }
      if (p_.facts[d].type.kind != TypeKind::Date) {
        return fail(Section::Meta, Problem::kWholeSection,
                    fmt::format("the date fact is `{}`, of type {}, not date", p_.facts[d].name,
                                p_.type_name(p_.facts[d].type)));
      }
    }
    if (p_.law_as_of && (*p_.law_as_of < kFirstDay || *p_.law_as_of > kLastDay)) {
      return fail(Section::Meta, Problem::kWholeSection,
                  fmt::format("the rulebase is up to date on day {}, outside 0001-01-01 .. 9999-12-31", *p_.law_as_of));
    }
    return true;
  }

  bool check_outputs() {
    for (std::size_t i = 0; i < p_.outputs.size(); ++i) {
      const OutputInfo& o = p_.outputs[i];
      if (o.kind != OutputKind::Scalar && o.kind != OutputKind::Set) {
        return fail(
            Section::Outputs, i,
            fmt::format("output {} (`{}`): output kind {} does not exist", i, o.name, static_cast<unsigned>(o.kind)));
      }
      if (o.enum_id >= p_.enums.size()) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) takes its values from enum {}, but there are only {} enums", i,
                                o.name, o.enum_id, p_.enums.size()));
      }
      if (o.has_default && o.kind == OutputKind::Set) {
        return fail(
            Section::Outputs, i,
            fmt::format("output {} (`{}`) is a set and has a default; only scalar outputs have one", i, o.name));
      }
      const EnumInfo& e = p_.enums[o.enum_id];
      if (o.has_default && o.default_member >= e.members.size()) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) defaults to member {}, but enum `{}` has {} members", i, o.name,
                                o.default_member, e.name, e.members.size()));
      }
      if (!o.doubt.empty() && o.kind == OutputKind::Set) {
        return fail(Section::Outputs, i,
                    fmt::format("output {} (`{}`) is a set and has members in doubt; only scalar outputs have them", i,
                                o.name));
      }
      std::uint64_t seen = 0;
      for (const std::uint32_t m : o.doubt) {
        if (m >= e.members.size()) {
          return fail(Section::Outputs, i,
                      fmt::format("output {} (`{}`) names member {} in doubt, but enum `{}` has {} members", i, o.name,
                                  m, e.name, e.members.size()));
        }
        if (((seen >> m) & 1U) != 0) {
          return fail(Section::Outputs, i,
                      fmt::format("output {} (`{}`) names member {} in doubt twice", i, o.name, m));
        }
        seen |= std::uint64_t{1} << m;
      }
    }
    return true;
  }

  bool check_index_list(std::size_t rule, const std::vector<std::uint32_t>& list, std::string_view verb,
                        std::string_view what, std::size_t limit) {
    for (const std::uint32_t x : list) {
      if (x >= limit) {
        return fail(Section::Rules, rule,
                    fmt::format("rule {} {} {} {}, but there are only {} {}s", rule, verb, what, x, limit, what));
      }
    }
    return true;
  }

  bool check_rules() {
    const std::size_t rules = p_.rules.size();
    for (std::size_t i = 0; i < rules; ++i) {
      const RuleInfo& r = p_.rules[i];
      if (r.lang != TextLang::French && r.lang != TextLang::English) {
        return fail(Section::Rules, i,
                    fmt::format("rule {} (`{}`): language {} does not exist", i, r.name, static_cast<unsigned>(r.lang)));
      }
      if (r.kind != RuleKind::Rule && r.kind != RuleKind::Warning) {
        return fail(Section::Rules, i,
                    fmt::format("rule {} (`{}`): rule kind {} does not exist", i, r.name, static_cast<unsigned>(r.kind)));
      }
      if (r.kind == RuleKind::Warning &&
          (!r.effects.empty() || !r.overrides.empty() || !r.overriders.empty() || !r.provisos.empty())) {
        return fail(Section::Rules, i,
                    fmt::format("rule {} (`{}`) is a warning, which has no effects, overrides nothing, is overridden by "
                                "nothing and has no proviso",
                                i, r.name));
      }
      if ((r.valid_from || r.valid_until) && !p_.date_fact) {
        return fail(Section::Rules, i,
                    fmt::format("rule {} (`{}`) has a validity period, but the program has no date fact", i, r.name));
      }
      for (const ProvisoInfo& k : r.provisos) {
        if (!check_index_list(i, k.facts_read, "has a proviso that reads", "fact", p_.facts.size())) return false;
      }
      for (std::size_t k = 0; k < r.effects.size(); ++k) {
        const Effect& e = r.effects[k];
        if (e.output >= p_.outputs.size()) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} sets output {}, but there are only {} outputs", i, r.name,
                                  k, e.output, p_.outputs.size()));
        }
        const OutputInfo& o = p_.outputs[e.output];
        const EnumInfo& en = p_.enums[o.enum_id];
        if (o.kind == OutputKind::Scalar && e.value >= en.members.size()) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} sets `{}` to member {}, but enum `{}` has {} members", i,
                                  r.name, k, o.name, e.value, en.name, en.members.size()));
        }
        if (o.kind == OutputKind::Set && (e.value == 0 || (e.value & ~member_mask(en.members.size())) != 0)) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`): effect {} adds the set {:#x} to `{}`, which is not a nonempty "
                                  "set of the {} members of enum `{}`",
                                  i, r.name, k, e.value, o.name, en.members.size(), en.name));
        }
      }
      if (!check_index_list(i, r.overrides, "overrides", "rule", rules) ||
          !check_index_list(i, r.overriders, "is overridden by", "rule", rules) ||
          !check_index_list(i, r.facts_read, "reads", "fact", p_.facts.size())) {
        return false;
      }
      for (const std::uint32_t s : r.overrides) {
        if (p_.rules[s].kind == RuleKind::Warning) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`) overrides rule {} (`{}`), which is a warning", i, r.name, s,
                                  p_.rules[s].name));
        }
      }
      for (const std::uint32_t s : r.overriders) {
        if (s == i) {
          return fail(Section::Rules, i,
                      fmt::format("rule {} (`{}`) is among its own overriders: precedence must be acyclic", i, r.name));
        }
      }
      for (const auto& [bound, label] :
           {std::pair{r.valid_from, "valid_from"}, std::pair{r.valid_until, "valid_until"}}) {
        if (bound && (*bound < kFirstDay || *bound > kLastDay)) {
          return fail(
              Section::Rules, i,
              fmt::format("rule {} (`{}`): {} is day {}, outside 0001-01-01 .. 9999-12-31", i, r.name, label, *bound));
        }
      }
    }
    return true;
  }

  bool check_slots() {
    const std::size_t slots = p_.slot_types.size();
    if (slots < p_.facts.size()) {
      return fail(Section::Slots, Problem::kWholeSection,
                  fmt::format("there are {} slots, fewer than the {} facts that live in the first slots", slots,
                              p_.facts.size()));
    }
    if (p_.slot_names.size() != slots) {
      return fail(Section::Slots, Problem::kWholeSection,
                  fmt::format("there are {} slot names for {} slots", p_.slot_names.size(), slots));
    }
    for (std::size_t i = 0; i < slots; ++i) {
      if (const std::string why = invalid_type(p_.slot_types[i]); !why.empty()) {
        return fail(Section::Slots, i, fmt::format("slot {}: {}", i, why));
      }
    }
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
      if (p_.slot_types[i] != p_.facts[i].type) {
        return fail(Section::Slots, i,
                    fmt::format("slot {} has type {}, but it holds fact `{}` of type {}", i,
                                p_.type_name(p_.slot_types[i]), p_.facts[i].name, p_.type_name(p_.facts[i].type)));
      }
    }
    return true;
  }

  bool check_constants() {
    if (p_.constant_types.size() != p_.constants.size()) {
      return fail(
          Section::Constants, Problem::kWholeSection,
          fmt::format("there are {} constant types for {} constants", p_.constant_types.size(), p_.constants.size()));
    }
    for (std::size_t i = 0; i < p_.constants.size(); ++i) {
      const Type t = p_.constant_types[i];
      if (std::string why = invalid_type(t); !why.empty()) {
        return fail(Section::Constants, i, fmt::format("constant {}: {}", i, why));
      }
      if (std::string why = invalid_value(t, p_.constants[i]); !why.empty()) {
        return fail(Section::Constants, i, fmt::format("constant {} of type {}: {}", i, p_.type_name(t), why));
      }
    }
    return true;
  }

  // --- code: operands, types, definite assignment, and the order of fire/resolve/loadout ---

  static constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

  bool fail_at(std::size_t instr, std::string_view message) {
    return fail(Section::Code, instr,
                fmt::format("instruction {} ({}): {}", instr, opcode_info(p_.code[instr].op).mnemonic, message));
  }

  [[nodiscard]] std::string slot_label(std::uint32_t slot) const {
    return fmt::format("slot {} ({})", slot, p_.type_name(p_.slot_types[slot]));
  }

  bool check_operand(std::size_t i, char letter, OperandKind kind, std::uint32_t x,
                     const std::vector<std::uint8_t>& written) {
    const std::size_t slots = p_.slot_types.size();
    switch (kind) {
      case OperandKind::NONE:
        if (x != 0) return fail_at(i, fmt::format("operand {} is unused and must be 0, not {}", letter, x));
        return true;
      case OperandKind::DST:
        if (x >= slots) {
          return fail_at(i, fmt::format("operand {} writes slot {}, but there are only {} slots", letter, x, slots));
        }
        if (x < p_.facts.size()) {
          return fail_at(i, fmt::format("operand {} writes slot {}, which holds fact `{}`; facts are read-only", letter,
                                        x, p_.facts[x].name));
        }
        return true;
      case OperandKind::SRC:
        if (x >= slots) {
          return fail_at(i, fmt::format("operand {} reads slot {}, but there are only {} slots", letter, x, slots));
        }
        if (written[x] == 0) {
          return fail_at(i, fmt::format("operand {} reads slot {} before it is written", letter, x));
        }
        return true;
      case OperandKind::CONST:
        if (x >= p_.constants.size()) {
          return fail_at(i, fmt::format("operand {} names constant {}, but there are only {} constants", letter, x,
                                        p_.constants.size()));
        }
        return true;
      case OperandKind::RULE:
        if (x >= p_.rules.size()) {
          return fail_at(
              i, fmt::format("operand {} names rule {}, but there are only {} rules", letter, x, p_.rules.size()));
        }
        return true;
      case OperandKind::OUTPUT:
        if (x >= p_.outputs.size()) {
          return fail_at(i, fmt::format("operand {} names output {}, but there are only {} outputs", letter, x,
                                        p_.outputs.size()));
        }
        return true;
      case OperandKind::PROVISO:
        if (x >= proviso_rule_.size()) {
          return fail_at(i, fmt::format("operand {} names proviso {}, but there are only {} provisos", letter, x,
                                        proviso_rule_.size()));
        }
        return true;
    }
    return fail_at(i, fmt::format("operand {} has an unknown kind", letter));
  }

  bool expect_type(std::size_t i, char letter, std::uint32_t slot, Type expected) {
    if (p_.slot_types[slot] == expected) return true;
    return fail_at(i,
                   fmt::format("operand {} is {}, but {} is needed", letter, slot_label(slot), p_.type_name(expected)));
  }

  // The types an instruction needs; its operands are in range by now.
  bool check_types(std::size_t i, const Instr& in) {
    constexpr Type kBool{TypeKind::Bool, 0};
    const auto& types = p_.slot_types;
    switch (in.op) {
      case Opcode::Const:
        if (types[in.a] != p_.constant_types[in.b]) {
          return fail_at(i, fmt::format("operand A is {}, but constant {} has type {}", slot_label(in.a), in.b,
                                        p_.type_name(p_.constant_types[in.b])));
        }
        return true;
      case Opcode::Move:
        if (types[in.a] != types[in.b]) {
          return fail_at(i, fmt::format("operand A is {}, but operand B is {}", slot_label(in.a), slot_label(in.b)));
        }
        return true;
      case Opcode::Not:
        return expect_type(i, 'B', in.b, kBool) && expect_type(i, 'A', in.a, kBool);
      case Opcode::And:
      case Opcode::Or:
        return expect_type(i, 'B', in.b, kBool) && expect_type(i, 'C', in.c, kBool) && expect_type(i, 'A', in.a, kBool);
      case Opcode::Eq:
      case Opcode::Ne:
        if (types[in.b] != types[in.c]) {
          return fail_at(i, fmt::format("operand B is {}, but operand C is {}: only values of one type compare",
                                        slot_label(in.b), slot_label(in.c)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        if (types[in.b] != types[in.c]) {
          return fail_at(i, fmt::format("operand B is {}, but operand C is {}: only values of one type compare",
                                        slot_label(in.b), slot_label(in.c)));
        }
        if (!types[in.b].ordered()) {
          return fail_at(
              i, fmt::format("operand B is {}; only integers, dates and articles are ordered", slot_label(in.b)));
        }
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::In:
        if (types[in.b].kind != TypeKind::Enum) {
          return fail_at(i, fmt::format("operand B is {}, but an enum member is needed", slot_label(in.b)));
        }
        return expect_type(i, 'C', in.c, Type{TypeKind::Set, types[in.b].enum_id}) && expect_type(i, 'A', in.a, kBool);
      case Opcode::Known:
        return expect_type(i, 'A', in.a, kBool);
      case Opcode::Proviso:
      case Opcode::Fire:
        return expect_type(i, 'B', in.b, kBool);
      case Opcode::Resolve:
        return true;
      case Opcode::LoadOutput: {
        const OutputInfo& o = p_.outputs[in.b];
        const Type t{o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id};
        return expect_type(i, 'A', in.a, t);
      }
      case Opcode::Count_:
        break;
    }
    return fail_at(i, "the opcode does not exist");
  }

  bool check_code() {
    const std::size_t slots = p_.slot_types.size();
    std::vector<std::uint8_t> written(slots, 0);
    std::fill(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(p_.facts.size()), 1);
    std::vector<std::size_t> fired_at(p_.rules.size(), kNever);
    std::vector<std::size_t> proviso_at(proviso_rule_.size(), kNever);
    std::vector<std::size_t> resolved_at(p_.outputs.size(), kNever);
    std::vector<std::uint8_t> ready_at(p_.rules.size(), 0);  // see check_resolve
    std::vector<std::vector<std::uint32_t>> writers(p_.outputs.size());
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      for (const Effect& e : p_.rules[r].effects) {
        auto& w = writers[e.output];
        if (w.empty() || w.back() != r) w.push_back(r);
      }
    }

    for (std::size_t i = 0; i < p_.code.size(); ++i) {
      const Instr& in = p_.code[i];
      if (static_cast<std::uint32_t>(in.op) >= static_cast<std::uint32_t>(Opcode::Count_)) {
        return fail(Section::Code, i,
                    fmt::format("instruction {}: opcode {} does not exist (there are {} opcodes)", i,
                                static_cast<unsigned>(in.op), static_cast<unsigned>(Opcode::Count_)));
      }
      const OpcodeInfo& info = opcode_info(in.op);
      if (!check_operand(i, 'A', info.a, in.a, written) || !check_operand(i, 'B', info.b, in.b, written) ||
          !check_operand(i, 'C', info.c, in.c, written) || !check_types(i, in)) {
        return false;
      }
      switch (in.op) {
        case Opcode::Proviso: {
          const std::uint32_t rule = proviso_rule_[in.a];
          if (proviso_at[in.a] != kNever) {
            return fail_at(i, fmt::format("proviso {} is weighed a second time (first at instruction {})", in.a,
                                          proviso_at[in.a]));
          }
          if (fired_at[rule] != kNever) {
            return fail_at(i, fmt::format("proviso {} of rule {} (`{}`) is weighed after the rule fired (at "
                                          "instruction {})",
                                          in.a, rule, p_.rules[rule].name, fired_at[rule]));
          }
          proviso_at[in.a] = i;
          break;
        }
        case Opcode::Fire:
          if (fired_at[in.a] != kNever) {
            return fail_at(i, fmt::format("rule {} (`{}`) fires a second time (first at instruction {})", in.a,
                                          p_.rules[in.a].name, fired_at[in.a]));
          }
          for (std::size_t k = first_proviso_[in.a]; k < first_proviso_[in.a + 1]; ++k) {
            if (proviso_at[k] == kNever) {
              return fail_at(i, fmt::format("rule {} (`{}`) fires before its proviso {} is weighed", in.a,
                                            p_.rules[in.a].name, k));
            }
          }
          fired_at[in.a] = i;
          break;
        case Opcode::Resolve:
          if (!check_resolve(i, in.a, writers[in.a], fired_at, ready_at)) return false;
          if (resolved_at[in.a] != kNever) {
            return fail_at(i, fmt::format("output {} (`{}`) is resolved a second time (first at instruction {})", in.a,
                                          p_.outputs[in.a].name, resolved_at[in.a]));
          }
          resolved_at[in.a] = i;
          break;
        case Opcode::LoadOutput:
          if (resolved_at[in.b] == kNever) {
            return fail_at(
                i, fmt::format("operand B reads output {} (`{}`) before it is resolved", in.b, p_.outputs[in.b].name));
          }
          break;
        default:
          break;
      }
      if (info.a == OperandKind::DST) written[in.a] = 1;
    }

    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      if (fired_at[r] == kNever) {
        return fail(Section::Code, p_.code.size(),
                    fmt::format("rule {} (`{}`) never fires: every rule needs exactly one fire instruction", r,
                                p_.rules[r].name));
      }
    }
    for (std::size_t o = 0; o < p_.outputs.size(); ++o) {
      if (resolved_at[o] == kNever) {
        return fail(Section::Code, p_.code.size(),
                    fmt::format("output {} (`{}`) is never resolved: every output needs exactly one resolve "
                                "instruction",
                                o, p_.outputs[o].name));
      }
    }
    return true;
  }

  // Resolving reads the condition of every rule writing the output and of every rule overriding one of them.
  // Once a rule and all its overriders have fired, that stays true: `ready` remembers it, so that each
  // rule's overriders are looked at once, not once per output it writes (a crafted file could otherwise
  // make this quadratic).
  bool check_resolve(std::size_t i, std::uint32_t output, const std::vector<std::uint32_t>& writers,
                     const std::vector<std::size_t>& fired_at, std::vector<std::uint8_t>& ready) {
    const std::string& name = p_.outputs[output].name;
    for (const std::uint32_t w : writers) {
      if (ready[w] != 0) continue;
      if (fired_at[w] == kNever) {
        return fail_at(i, fmt::format("output {} (`{}`) is resolved before rule {} (`{}`), which sets it, has fired",
                                      output, name, w, p_.rules[w].name));
      }
      for (const std::uint32_t s : p_.rules[w].overriders) {
        if (fired_at[s] == kNever) {
          return fail_at(i, fmt::format("output {} (`{}`) is resolved before rule {} (`{}`) has fired; it overrides "
                                        "rule {} (`{}`), which sets the output",
                                        output, name, s, p_.rules[s].name, w, p_.rules[w].name));
        }
      }
      ready[w] = 1;
    }
    return true;
  }

  const Program& p_;
  std::vector<std::uint32_t> proviso_rule_;   // per proviso (program-wide numbers): its rule
  std::vector<std::size_t> first_proviso_;    // per rule, then one past the last
  std::optional<Problem> problem_;
};

BytecodeError error_at(std::size_t at, std::string_view message) {
  return BytecodeError{fmt::format("at byte {:#x}: {}", at, message)};
}

}  // namespace

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
    return BytecodeError{fmt::format("the file is {} bytes long; secretc bytecode may hold at most {} bytes",
                                     bytes.size(), kMaxBytecodeFileBytes)};
  }
  if (bytes.size() < kHeaderBytes + kChecksumBytes) {
    return BytecodeError{fmt::format("the file is {} bytes long, too short for secretc bytecode (at least {} bytes)",
                                     bytes.size(), kHeaderBytes + kChecksumBytes)};
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return BytecodeError{"not a secretc bytecode file: it does not start with \"SECRETBC\""};
  }
  // The checksum comes before anything else is believed: a damaged file gets one clear message, not a
  // misleading complaint about whichever field the damage happened to hit.
  const std::size_t checksum_at = bytes.size() - kChecksumBytes;
  if (read_little_endian(bytes, checksum_at, kChecksumBytes) != fnv1a64(bytes.substr(0, checksum_at))) {
    return BytecodeError{"checksum mismatch: the file is damaged or was altered"};
  }
  const auto version = static_cast<std::uint32_t>(read_little_endian(bytes, kMagic.size(), 4));
  if (version != kBytecodeVersion) {
    return BytecodeError{fmt::format("bytecode format version {} is not supported (expected {}); recompile the rules",
                                     version, kBytecodeVersion)};
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
      return error_at(pos, fmt::format("the file declares {} sections, but it ends after {}", declared, s));
    }
    const auto id = static_cast<std::uint32_t>(read_little_endian(bytes, pos, 4));
    const auto length = static_cast<std::uint32_t>(read_little_endian(bytes, pos + 4, 4));
    if (id < 1 || id > kSectionCount) return error_at(pos, fmt::format("unknown section id {}", id));
    const auto section = static_cast<Section>(id);
    const std::string_view name = section_name(section);
    if (seen_at[section_slot(section)] != 0) {
      return error_at(
          pos, fmt::format("section {} appears twice (first at byte {:#x})", name, seen_at[section_slot(section)]));
    }
    if (id != expected) {
      return error_at(pos, fmt::format("section {} comes where section {} was expected; sections come once each, in "
                                       "the order META STRINGS ENUMS FACTS OUTPUTS RULES SLOTS CONSTANTS CODE",
                                       name, section_name(static_cast<Section>(expected))));
    }
    if (length > left - kSectionHeaderBytes) {
      return error_at(pos, fmt::format("section {} declares {} bytes, but only {} remain before the checksum", name,
                                       length, left - kSectionHeaderBytes));
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
      reader.fail(reader.offset(),
                  fmt::format("{} bytes are left over after the section's content", reader.remaining()));
    }
    if (!reader.ok()) return BytecodeError{reader.error()};
    entries.push_back(end);
    pos = end;
    ++expected;
  }
  if (expected <= kSectionCount) {
    return error_at(pos, fmt::format("section {} is missing", section_name(static_cast<Section>(expected))));
  }
  if (pos != checksum_at) {
    return error_at(pos, fmt::format("{} bytes follow the last section, before the checksum", checksum_at - pos));
  }

  if (std::optional<Problem> problem = Verifier(program).run()) {
    const std::size_t slot = section_slot(problem->section);
    const auto& entries = layout.entries[slot];
    const std::size_t at = problem->entry < entries.size() ? entries[problem->entry] : layout.start[slot];
    return BytecodeError{
        fmt::format("section {} at byte {:#x}: {}", section_name(problem->section), at, problem->message)};
  }
  program.index_names();
  return program;
}

std::string verify_program(const Program& program) {
  std::optional<Problem> problem = Verifier(program).run();
  return problem ? std::move(problem->message) : std::string();
}

}  // namespace secretc
