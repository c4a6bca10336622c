#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "runtime/bytecode.hpp"
#include "runtime/disasm.hpp"

using namespace secretc;

namespace {

constexpr Type kBool{TypeKind::Bool, 0};
constexpr Type kDate{TypeKind::Date, 0};
constexpr Type kFonction{TypeKind::Enum, 0};
constexpr Type kVerdict{TypeKind::Enum, 1};
constexpr Type kConditions{TypeKind::Set, 2};

// A small valid program using every table and field: three facts (the last, `cas.date`, the date fact
// that dated rules are judged on), three enumerations, a scalar output with a default and values in
// doubt, a set output, three rules (medecin overrides temoignage, which is dated; avocat conflicts with
// temoignage and has a proviso) and a warning, and code that computes the conditions, weighs the
// proviso, fires the rules, resolves the outputs and loads them back.
Program sample_program() {
  Program p;
  p.name = "Secret professionnel — essai";
  p.version = "2025.1";
  p.source_hash = 0x0123456789abcdefULL;
  p.law_as_of = parse_date("2024-01-01");
  p.date_fact = 2;
  p.strings = {"Bruxelles", "art. 458 C. pén."};
  p.enums = {{"fonction", {"medecin", "avocat", "autre"}, {}},
             {"verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"}, {"garder le secret", "", "révéler"}},
             {"condition", {"serment", "libre_de_repondre"}, {"", ""}}};

  FactInfo fonction;
  fonction.name = "confident.fonction";
  fonction.type = kFonction;
  fonction.question = "Quelle est votre fonction ?";
  FactInfo en_justice;
  en_justice.name = "cas.en_justice";
  en_justice.type = kBool;
  en_justice.default_kind = DefaultKind::Constant;
  en_justice.default_value = Value::of(0);
  FactInfo date;
  date.name = "cas.date";
  date.type = kDate;
  date.default_kind = DefaultKind::Today;
  p.facts = {fonction, en_justice, date};

  p.outputs = {OutputInfo{"verdict", OutputKind::Scalar, 1, true, 0, {0, 1}},
               OutputInfo{"conditions", OutputKind::Set, 2, false, 0, {}}};

  RuleInfo temoignage;
  temoignage.name = "temoignage";
  temoignage.title = "Témoignage en justice";
  temoignage.cite = "art. 458 C. pén.";
  temoignage.because = "Devant un juge, le secret peut être levé.";
  temoignage.note = "rien n'oblige à parler";
  temoignage.valid_from = parse_date("2017-05-17");
  temoignage.valid_until = parse_date("2019-03-14");
  temoignage.validity_reason = "annulée par C.C., arrêt 44/2019";
  temoignage.effects = {{0, 1}, {1, 0b11}};
  temoignage.overriders = {1};
  temoignage.facts_read = {1};
  temoignage.source_file = "secret.rules";
  temoignage.source_line = 12;
  RuleInfo medecin;
  medecin.name = "medecin";
  medecin.cite = "art. 458 C. pén.";
  medecin.effects = {{0, 0}};
  medecin.overrides = {0};
  medecin.facts_read = {0, 1};
  medecin.source_line = 20;
  RuleInfo avocat;
  avocat.name = "avocat";
  avocat.effects = {{0, 2}};
  avocat.facts_read = {0};
  avocat.provisos = {ProvisoInfo{"devant un juge", {1}}};
  RuleInfo reforme;
  reforme.kind = RuleKind::Warning;
  reforme.name = "reforme";
  reforme.title = "Réforme du droit pénal sexuel";
  reforme.because = "La liste des infractions est celle d'avant la réforme.";
  reforme.valid_from = parse_date("2022-06-01");
  reforme.facts_read = {0};
  p.rules = {temoignage, medecin, avocat, reforme};

  p.slot_types = {kFonction, kBool, kDate, kFonction, kBool, kBool, kFonction, kBool, kVerdict, kConditions, kBool};
  p.slot_names = {"confident.fonction", "cas.en_justice", "cas.date", "", "est_medecin", "", "", "", "", "", ""};
  p.constants = {Value::of(0), Value::of(1)};
  p.constant_types = {kFonction, kFonction};
  p.code = {
      {Opcode::Const, 3, 0, 0},       // 0  r3 := medecin
      {Opcode::Eq, 4, 0, 3},          // 1  est_medecin := fonction == medecin
      {Opcode::Fire, 0, 1, 0},        // 2  temoignage when en_justice (from 2017-05-17 until 2019-03-14)
      {Opcode::And, 5, 4, 1},         // 3
      {Opcode::Fire, 1, 5, 0},        // 4  medecin when est_medecin and en_justice
      {Opcode::Const, 6, 1, 0},       // 5  r6 := avocat
      {Opcode::Eq, 7, 0, 6},          // 6
      {Opcode::Proviso, 0, 1, 0},     // 7  avocat provided en_justice
      {Opcode::Fire, 2, 7, 0},        // 8  avocat when fonction == avocat
      {Opcode::Resolve, 0, 0, 0},     // 9
      {Opcode::Resolve, 1, 0, 0},     // 10
      {Opcode::LoadOutput, 8, 0, 0},  // 11
      {Opcode::LoadOutput, 9, 1, 0},  // 12
      {Opcode::Known, 10, 0, 0},      // 13
      {Opcode::Fire, 3, 10, 0},       // 14 the warning reforme when fonction is known (from 2022-06-01)
  };
  return p;
}

std::string load_error(std::string_view bytes) {
  const auto loaded = load_program(bytes);
  if (const auto* error = std::get_if<BytecodeError>(&loaded)) return error->message;
  return {};
}

void write_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint32_t read_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return v;
}

// Recomputes the checksum, as someone altering a file on purpose would.
std::string reseal(std::string bytes) {
  const std::size_t at = bytes.size() - 8;
  const std::uint64_t sum = fnv1a64(std::string_view(bytes).substr(0, at));
  for (std::size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>((sum >> (8 * i)) & 0xFF);
  return bytes;
}

struct SectionSpan {
  std::uint32_t id = 0;
  std::size_t header = 0;   // where the section's id is
  std::size_t payload = 0;  // where its content starts
  std::uint32_t length = 0;
};

std::vector<SectionSpan> sections_of(std::string_view bytes) {
  std::vector<SectionSpan> spans;
  std::size_t pos = 16;
  while (pos + 8 <= bytes.size() - 8) {
    const SectionSpan s{read_u32(bytes, pos), pos, pos + 8, read_u32(bytes, pos + 4)};
    spans.push_back(s);
    pos = s.payload + s.length;
  }
  return spans;
}

std::string section_bytes(std::string_view bytes, const SectionSpan& s) {
  return std::string(bytes.substr(s.header, 8 + s.length));
}

// A file from a header and whole sections (header included), sealed with a valid checksum.
std::string assemble(std::uint32_t declared, const std::vector<std::string>& sections) {
  std::string bytes = "SECRETBC";
  bytes.append(8, '\0');
  write_u32(bytes, 8, kBytecodeVersion);
  write_u32(bytes, 12, declared);
  for (const std::string& s : sections) bytes += s;
  bytes.append(8, '\0');
  return reseal(bytes);
}

// The program must fail verification, both directly and when loaded from a file, with a message
// that contains `needle`; the loaded message also says where in the file.
void expect_rejected(const Program& p, std::string_view needle) {
  const std::string direct = verify_program(p);
  CAPTURE(direct);
  CHECK(direct.find(needle) != std::string::npos);
  const std::string loaded = load_error(serialize_program(p));
  CAPTURE(loaded);
  CHECK(loaded.rfind("section ", 0) == 0);
  CHECK(loaded.find(" at byte 0x") != std::string::npos);
  CHECK(loaded.find(direct) != std::string::npos);
}

}  // namespace

// --- round trip ----------------------------------------------------------------------------------

TEST_CASE("the sample program passes verification") {
  CHECK(verify_program(sample_program()) == "");
}

TEST_CASE("a program survives serialize and load with every field unchanged") {
  const Program p = sample_program();
  const auto loaded = load_program(serialize_program(p));
  REQUIRE(std::holds_alternative<Program>(loaded));
  const Program& q = std::get<Program>(loaded);

  CHECK(q.name == p.name);
  CHECK(q.version == p.version);
  CHECK(q.source_hash == p.source_hash);
  CHECK(q.law_as_of == p.law_as_of);
  CHECK(q.date_fact == p.date_fact);
  CHECK(q.strings == p.strings);
  REQUIRE(q.enums.size() == p.enums.size());
  for (std::size_t i = 0; i < p.enums.size(); ++i) {
    CHECK(q.enums[i].name == p.enums[i].name);
    CHECK(q.enums[i].members == p.enums[i].members);
    CHECK(q.enums[i].labels == p.enums[i].labels);
  }
  REQUIRE(q.facts.size() == p.facts.size());
  for (std::size_t i = 0; i < p.facts.size(); ++i) {
    CHECK(q.facts[i].name == p.facts[i].name);
    CHECK(q.facts[i].type == p.facts[i].type);
    CHECK(q.facts[i].default_kind == p.facts[i].default_kind);
    CHECK(q.facts[i].default_value == p.facts[i].default_value);
    CHECK(q.facts[i].question == p.facts[i].question);
  }
  REQUIRE(q.outputs.size() == p.outputs.size());
  for (std::size_t i = 0; i < p.outputs.size(); ++i) {
    CHECK(q.outputs[i].name == p.outputs[i].name);
    CHECK(q.outputs[i].kind == p.outputs[i].kind);
    CHECK(q.outputs[i].enum_id == p.outputs[i].enum_id);
    CHECK(q.outputs[i].has_default == p.outputs[i].has_default);
    CHECK(q.outputs[i].default_member == p.outputs[i].default_member);
    CHECK(q.outputs[i].doubt == p.outputs[i].doubt);
  }
  REQUIRE(q.rules.size() == p.rules.size());
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const RuleInfo& a = p.rules[i];
    const RuleInfo& b = q.rules[i];
    CHECK(b.kind == a.kind);
    CHECK(b.name == a.name);
    CHECK(b.title == a.title);
    CHECK(b.cite == a.cite);
    CHECK(b.because == a.because);
    CHECK(b.note == a.note);
    CHECK(b.valid_from == a.valid_from);
    CHECK(b.valid_until == a.valid_until);
    CHECK(b.validity_reason == a.validity_reason);
    REQUIRE(b.effects.size() == a.effects.size());
    for (std::size_t k = 0; k < a.effects.size(); ++k) {
      CHECK(b.effects[k].output == a.effects[k].output);
      CHECK(b.effects[k].value == a.effects[k].value);
    }
    CHECK(b.overrides == a.overrides);
    CHECK(b.overriders == a.overriders);
    CHECK(b.facts_read == a.facts_read);
    REQUIRE(b.provisos.size() == a.provisos.size());
    for (std::size_t k = 0; k < a.provisos.size(); ++k) {
      CHECK(b.provisos[k].text == a.provisos[k].text);
      CHECK(b.provisos[k].facts_read == a.provisos[k].facts_read);
    }
    CHECK(b.source_file == a.source_file);
    CHECK(b.source_line == a.source_line);
  }
  CHECK(q.slot_types == p.slot_types);
  CHECK(q.slot_names == p.slot_names);
  CHECK(q.constants == p.constants);
  CHECK(q.constant_types == p.constant_types);
  REQUIRE(q.code.size() == p.code.size());
  for (std::size_t i = 0; i < p.code.size(); ++i) {
    CHECK(q.code[i].op == p.code[i].op);
    CHECK(q.code[i].a == p.code[i].a);
    CHECK(q.code[i].b == p.code[i].b);
    CHECK(q.code[i].c == p.code[i].c);
  }
}

TEST_CASE("serialising a loaded file gives back the same bytes") {
  const std::string bytes = serialize_program(sample_program());
  const auto loaded = load_program(bytes);
  REQUIRE(std::holds_alternative<Program>(loaded));
  CHECK(serialize_program(std::get<Program>(loaded)) == bytes);
}

TEST_CASE("the file starts with the magic and the format version, little-endian") {
  const std::string bytes = serialize_program(sample_program());
  CHECK(bytes.substr(0, 8) == "SECRETBC");
  CHECK(read_u32(bytes, 8) == kBytecodeVersion);
  CHECK(read_u32(bytes, 12) == 9);
  const auto spans = sections_of(bytes);
  REQUIRE(spans.size() == 9);
  for (std::uint32_t i = 0; i < 9; ++i) CHECK(spans[i].id == i + 1);
  CHECK(spans.back().payload + spans.back().length == bytes.size() - 8);
}

// --- damage --------------------------------------------------------------------------------------

TEST_CASE("a file cut short at any length is rejected with a message") {
  const std::string bytes = serialize_program(sample_program());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    CAPTURE(length);
    CHECK(load_error(std::string_view(bytes).substr(0, length)) != "");
  }
}

TEST_CASE("a bit flip anywhere in the file is rejected by the checksum") {
  const std::string bytes = serialize_program(sample_program());
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ (1U << bit));
      const std::string message = load_error(damaged);
      CAPTURE(at);
      CAPTURE(bit);
      // The magic is checked first: damage there says the file is not bytecode at all.
      if (at < 8) {
        CHECK(message.find("not a secretc bytecode file") != std::string::npos);
      } else {
        CHECK(message == "checksum mismatch: the file is damaged or was altered");
      }
    }
  }
}

TEST_CASE("a file of another kind is rejected by its magic") {
  CHECK(load_error("") != "");
  CHECK(load_error("SECRETBC") != "");
  CHECK(load_error(std::string(64, '\0')).find("not a secretc bytecode file") != std::string::npos);
  CHECK(load_error("{\"json\": \"this is no bytecode at all\"}").find("not a secretc bytecode file") !=
        std::string::npos);
}

TEST_CASE("an unsupported format version is rejected with a request to recompile") {
  std::string bytes = serialize_program(sample_program());
  write_u32(bytes, 8, 7);
  CHECK(load_error(reseal(bytes)) == "bytecode format version 7 is not supported (expected 2); recompile the rules");
}

TEST_CASE("a huge count with a valid checksum is rejected before anything is allocated") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  // STRINGS, ENUMS, FACTS, OUTPUTS, RULES, SLOTS, CONSTANTS and CODE all start with a count.
  for (std::size_t s = 1; s < spans.size(); ++s) {
    std::string damaged = bytes;
    write_u32(damaged, spans[s].payload, 0xFFFFFFFFU);
    const auto started = std::chrono::steady_clock::now();
    const std::string message = load_error(reseal(damaged));
    const auto took = std::chrono::steady_clock::now() - started;
    CAPTURE(message);
    CHECK(message.find("4294967295") != std::string::npos);
    CHECK(message.find("claimed") != std::string::npos);
    CHECK(took < std::chrono::milliseconds(100));
  }
}

TEST_CASE("a string length past the end of its section is rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::string damaged = bytes;
  write_u32(damaged, spans[0].payload, 0x7FFFFFFFU);  // META's name
  const std::string message = load_error(reseal(damaged));
  CHECK(message.find("section META at byte 0x18: name is 2147483647 bytes long") == 0);
}

TEST_CASE("a section declaring more bytes than the file holds is rejected") {
  std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  write_u32(bytes, spans[8].header + 4, spans[8].length + 1);
  CHECK(load_error(reseal(bytes)).find("section CODE declares") != std::string::npos);
}

TEST_CASE("an unknown section id is rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::vector<std::string> sections;
  for (const auto& s : spans) sections.push_back(section_bytes(bytes, s));
  sections.push_back(std::string("\x2a\0\0\0\0\0\0\0", 8));
  CHECK(load_error(assemble(10, sections)).find("unknown section id 42") != std::string::npos);
}

TEST_CASE("a section that appears twice is rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::vector<std::string> sections;
  for (const auto& s : spans) sections.push_back(section_bytes(bytes, s));
  sections.push_back(section_bytes(bytes, spans[3]));
  CHECK(load_error(assemble(10, sections)).find("section FACTS appears twice") != std::string::npos);
}

TEST_CASE("a missing section is rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::vector<std::string> sections;
  for (const auto& s : spans) sections.push_back(section_bytes(bytes, s));
  sections.pop_back();
  CHECK(load_error(assemble(8, sections)).find("section CODE is missing") != std::string::npos);
  sections.erase(sections.begin() + 2);
  CHECK(load_error(assemble(7, sections)).find("section FACTS comes where section ENUMS was expected") !=
        std::string::npos);
}

TEST_CASE("sections out of order are rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::vector<std::string> sections;
  for (const auto& s : spans) sections.push_back(section_bytes(bytes, s));
  std::swap(sections[4], sections[5]);
  CHECK(load_error(assemble(9, sections)).find("section RULES comes where section OUTPUTS was expected") !=
        std::string::npos);
}

TEST_CASE("a file declaring more sections than it holds is rejected") {
  std::string bytes = serialize_program(sample_program());
  write_u32(bytes, 12, 10);
  CHECK(load_error(reseal(bytes)).find("declares 10 sections, but it ends after 9") != std::string::npos);
}

TEST_CASE("bytes left over inside a section are rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  std::vector<std::string> sections;
  for (const auto& s : spans) sections.push_back(section_bytes(bytes, s));
  std::string& strings = sections[1];
  strings += "xyz";
  write_u32(strings, 4, read_u32(strings, 4) + 3);
  CHECK(load_error(assemble(9, sections)).find("section STRINGS at byte") == 0);
  CHECK(load_error(assemble(9, sections)).find("3 bytes are left over") != std::string::npos);
}

TEST_CASE("bytes between the last section and the checksum are rejected") {
  std::string bytes = serialize_program(sample_program());
  bytes.insert(bytes.size() - 8, "pad");
  CHECK(load_error(reseal(bytes)).find("3 bytes follow the last section") != std::string::npos);
}

TEST_CASE("a flag byte other than 0 or 1 is rejected") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  // The first fact's default value ends with its known flag, just before the question's length.
  const std::size_t fact0 = spans[3].payload + 4;
  const std::size_t known_flag = fact0 + 4 + std::string("confident.fonction").size() + 5 + 1 + 8;
  std::string damaged = bytes;
  REQUIRE(damaged[known_flag] == '\0');
  damaged[known_flag] = 2;
  const std::string message = load_error(reseal(damaged));
  CHECK(message.find("section FACTS") == 0);
  CHECK(message.find("fact 0: the flag default is 2; a flag is 0 or 1") != std::string::npos);
}

// Found by fuzz_bytecode (fuzz/regressions/bytecode/date_index_without_flag.bin): every accepted file
// has one encoding, so a field that the flag before it says is absent must be 0, as the writer writes it.
TEST_CASE("a date-fact index after a cleared date-fact flag is rejected") {
  Program p = sample_program();
  p.rules[0].valid_from.reset();
  p.rules[0].valid_until.reset();
  p.rules[3].valid_from.reset();
  p.date_fact.reset();
  REQUIRE(verify_program(p) == "");
  std::string bytes = serialize_program(p);
  // META: the name, the version, the source hash, law_as_of (flag and day), the date-fact flag and index.
  const std::size_t flag = sections_of(bytes)[0].payload + 4 + p.name.size() + 4 + p.version.size() + 8 + 1 + 8;
  REQUIRE(bytes[flag] == '\0');
  REQUIRE(read_u32(bytes, flag + 1) == 0);
  write_u32(bytes, flag + 1, 2);
  const std::string message = load_error(reseal(bytes));
  CAPTURE(message);
  CHECK(message.find("section META") == 0);
}

TEST_CASE("a file re-sealed after random damage is rejected or verified, and never crashes the loader") {
  const std::string bytes = serialize_program(sample_program());
  std::mt19937 random(20250101);
  std::uniform_int_distribution<std::size_t> position(16, bytes.size() - 9);
  std::uniform_int_distribution<int> byte(0, 255);
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string damaged = bytes;
    const int hits = 1 + round % 3;
    for (int h = 0; h < hits; ++h) damaged[position(random)] = static_cast<char>(byte(random));
    const auto loaded = load_program(reseal(damaged));
    if (const auto* p = std::get_if<Program>(&loaded)) {
      // What loads must be what the verifier accepts and must write back to the same bytes.
      ++accepted;
      CHECK(verify_program(*p) == "");
      CHECK(serialize_program(*p) == reseal(damaged));
    } else {
      CHECK(std::get<BytecodeError>(loaded).message != "");
    }
  }
  MESSAGE(accepted << " of 3000 damaged files were still valid programs");
}

TEST_CASE("a verifier finding in a file names the section and the byte of the entry") {
  Program p = sample_program();
  p.rules[1].overrides = {17};
  const std::string bytes = serialize_program(p);
  const std::string message = load_error(bytes);
  const std::string prefix = "section RULES at byte 0x";
  REQUIRE(message.rfind(prefix, 0) == 0);
  const std::size_t at = std::stoul(message.substr(prefix.size()), nullptr, 16);
  const auto spans = sections_of(bytes);
  CHECK(at > spans[5].payload);
  CHECK(at < spans[5].payload + spans[5].length);
  // Rule 1 starts with its kind (0, a rule), then its name.
  CHECK(bytes[at] == '\0');
  CHECK(read_u32(bytes, at + 1) == 7);
  CHECK(bytes.substr(at + 5, 7) == "medecin");
  CHECK(message.find("rule 1 overrides rule 17, but there are only 4 rules") != std::string::npos);
}

// --- the verifier, one check at a time -----------------------------------------------------------

TEST_CASE("verifier: fewer slots than facts") {
  Program p = sample_program();
  p.slot_types.resize(1);
  p.slot_names.resize(1);
  expect_rejected(p, "there are 1 slots, fewer than the 3 facts");
}

TEST_CASE("verifier: one slot name per slot") {
  Program p = sample_program();
  p.slot_names.pop_back();
  expect_rejected(p, "there are 10 slot names for 11 slots");
}

TEST_CASE("verifier: a fact's slot has the fact's type") {
  Program p = sample_program();
  p.slot_types[1] = Type{TypeKind::Integer, 0};
  expect_rejected(p, "slot 1 has type integer, but it holds fact `cas.en_justice` of type bool");
}

TEST_CASE("verifier: a type names an existing enum") {
  Program p = sample_program();
  p.slot_types[3] = Type{TypeKind::Enum, 9};
  expect_rejected(p, "slot 3: the type names enum 9, but there are only 3 enums");
  p = sample_program();
  p.facts[0].type = Type{TypeKind::Set, 3};
  expect_rejected(p, "fact 0 (`confident.fonction`): the type names enum 3");
}

TEST_CASE("verifier: a type kind is one of the seven") {
  Program p = sample_program();
  p.slot_types[4] = Type{static_cast<TypeKind>(9), 0};
  expect_rejected(p, "slot 4: type kind 9 does not exist");
}

TEST_CASE("verifier: only enum and set types carry an enum id") {
  Program p = sample_program();
  p.slot_types[4] = Type{TypeKind::Bool, 1};
  expect_rejected(p, "only enum and set types name an enum");
}

TEST_CASE("verifier: an enum has 1 to 64 members") {
  Program p = sample_program();
  p.enums.push_back({"vide", {}, {}});
  expect_rejected(p, "enum 3 (`vide`) has 0 members; an enum has 1 to 64");
  p = sample_program();
  EnumInfo big{"grand", {}, {}};
  for (int i = 0; i < 65; ++i) big.members.push_back("m" + std::to_string(i));
  p.enums.push_back(big);
  expect_rejected(p, "enum 3 (`grand`) has 65 members");
  p.enums.back().members.pop_back();
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: an enum has one label per member, or none") {
  Program p = sample_program();
  p.enums[2].labels.pop_back();
  expect_rejected(p, "enum 2 (`condition`) has 1 labels for 2 members; it needs one per member or none");
}

TEST_CASE("verifier: a constant default is known") {
  Program p = sample_program();
  p.facts[1].default_value = Value::unknown();
  expect_rejected(p, "fact 1 (`cas.en_justice`): invalid default: the value is unknown");
}

TEST_CASE("verifier: a constant default is a value of the fact's type") {
  Program p = sample_program();
  p.facts[1].default_value = Value::of(2);
  expect_rejected(p, "fact 1 (`cas.en_justice`): invalid default: 2 is not a bool (0 or 1)");
  p = sample_program();
  p.facts[0].default_kind = DefaultKind::Constant;
  p.facts[0].default_value = Value::of(3);
  expect_rejected(p, "member 3 does not exist: enum `fonction` has 3 members");
}

TEST_CASE("verifier: a default kind is none, constant or today") {
  Program p = sample_program();
  p.facts[0].default_kind = static_cast<DefaultKind>(7);
  expect_rejected(p, "fact 0 (`confident.fonction`): default kind 7 does not exist");
}

TEST_CASE("verifier: only a date fact defaults to today") {
  Program p = sample_program();
  p.facts[1].default_kind = DefaultKind::Today;
  expect_rejected(p, "fact 1 (`cas.en_justice`) defaults to today, but its type is bool, not date");
}

TEST_CASE("verifier: a value is valid for its type") {
  struct Case {
    Type type;
    Value value;
    const char* why;
  };
  const std::vector<Case> cases{
      {kBool, Value::of(-1), "-1 is not a bool (0 or 1)"},
      {Type{TypeKind::String, 0}, Value::of(2), "string 2 does not exist (there are 2 strings)"},
      {Type{TypeKind::String, 0}, Value::of(-1), "string -1 does not exist"},
      {kFonction, Value::of(-1), "member -1 does not exist"},
      {kConditions, Value::of(0b100), "the set 0x4 has bits beyond the 2 members of enum `condition`"},
      {Type{TypeKind::Date, 0}, Value::of(5'000'000), "outside 0001-01-01 .. 9999-12-31"},
      {Type{TypeKind::Article, 0}, Value::of(-5), "-5 encodes no article number"},
      {Type{TypeKind::Article, 0}, Value::of(std::int64_t{1} << 60), "encodes no article number"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.why);
    Program p = sample_program();
    p.constants.push_back(c.value);
    p.constant_types.push_back(c.type);
    expect_rejected(p, c.why);
  }
  // And the edges that are valid.
  Program p = sample_program();
  for (const auto& [type, value] : {std::pair{Type{TypeKind::String, 0}, Value::of(1)},
                                    std::pair{kConditions, Value::of(0b11)}, std::pair{kConditions, Value::of(0)},
                                    std::pair{Type{TypeKind::Article, 0}, Value::of(*parse_article("433quinquies"))},
                                    std::pair{Type{TypeKind::Integer, 0}, Value::of(-42)},
                                    std::pair{Type{TypeKind::Date, 0}, Value::of(*parse_date("9999-12-31"))}}) {
    p.constants.push_back(value);
    p.constant_types.push_back(type);
  }
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: a full 64-member set is valid") {
  Program p = sample_program();
  EnumInfo big{"grand", {}, {}};
  for (int i = 0; i < 64; ++i) big.members.push_back("m" + std::to_string(i));
  p.enums.push_back(big);
  p.constants.push_back(Value::of(-1));  // all 64 bits
  p.constant_types.push_back(Type{TypeKind::Set, 3});
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: an output draws from an existing enum") {
  Program p = sample_program();
  p.outputs[1].enum_id = 5;
  expect_rejected(p, "output 1 (`conditions`) takes its values from enum 5, but there are only 3 enums");
}

TEST_CASE("verifier: an output kind is scalar or set") {
  Program p = sample_program();
  p.outputs[1].kind = static_cast<OutputKind>(4);
  expect_rejected(p, "output 1 (`conditions`): output kind 4 does not exist");
}

TEST_CASE("verifier: a scalar output's default is a member") {
  Program p = sample_program();
  p.outputs[0].default_member = 3;
  expect_rejected(p, "output 0 (`verdict`) defaults to member 3, but enum `verdict` has 3 members");
}

TEST_CASE("verifier: only a scalar output has a default") {
  Program p = sample_program();
  p.outputs[1].has_default = true;
  expect_rejected(p, "output 1 (`conditions`) is a set and has a default");
}

TEST_CASE("verifier: an effect names an existing output") {
  Program p = sample_program();
  p.rules[2].effects[0].output = 2;
  expect_rejected(p, "rule 2 (`avocat`): effect 0 sets output 2, but there are only 2 outputs");
}

TEST_CASE("verifier: a scalar effect sets a member") {
  Program p = sample_program();
  p.rules[2].effects[0].value = 3;
  expect_rejected(p, "rule 2 (`avocat`): effect 0 sets `verdict` to member 3, but enum `verdict` has 3 members");
}

TEST_CASE("verifier: a set effect adds existing members, at least one") {
  Program p = sample_program();
  p.rules[0].effects[1].value = 0b111;
  expect_rejected(p, "rule 0 (`temoignage`): effect 1 adds the set 0x7 to `conditions`");
  p.rules[0].effects[1].value = 0;
  expect_rejected(p, "rule 0 (`temoignage`): effect 1 adds the set 0x0 to `conditions`");
}

TEST_CASE("verifier: overrides name existing rules") {
  Program p = sample_program();
  p.rules[1].overrides = {0, 17};
  expect_rejected(p, "rule 1 overrides rule 17, but there are only 4 rules");
}

TEST_CASE("verifier: overriders name existing rules") {
  Program p = sample_program();
  p.rules[0].overriders = {1, 4};
  expect_rejected(p, "rule 0 is overridden by rule 4, but there are only 4 rules");
}

TEST_CASE("verifier: facts read are facts, not other slots") {
  Program p = sample_program();
  p.rules[0].facts_read = {3};
  expect_rejected(p, "rule 0 reads fact 3, but there are only 3 facts");
}

TEST_CASE("verifier: no rule is among its own overriders") {
  Program p = sample_program();
  p.rules[0].overriders = {1, 0};
  expect_rejected(p, "rule 0 (`temoignage`) is among its own overriders");
}

TEST_CASE("verifier: validity dates are dates") {
  Program p = sample_program();
  p.rules[0].valid_until = std::int64_t{1} << 62;
  expect_rejected(p, "rule 0 (`temoignage`): valid_until is day");
}

TEST_CASE("verifier: the date fact is a fact of type date") {
  Program p = sample_program();
  p.date_fact = 3;
  expect_rejected(p, "the date fact is fact 3, but there are only 3 facts");
  p.date_fact = 1;
  expect_rejected(p, "the date fact is `cas.en_justice`, of type bool, not date");
}

TEST_CASE("verifier: a dated rule needs a date fact") {
  Program p = sample_program();
  p.date_fact.reset();
  expect_rejected(p, "rule 0 (`temoignage`) has a validity period, but the program has no date fact");
  // Without dated rules, a program needs no date fact.
  p.rules[0].valid_from.reset();
  p.rules[0].valid_until.reset();
  p.rules[3].valid_from.reset();
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: the day the rules were checked against the law is a date") {
  Program p = sample_program();
  p.law_as_of = std::int64_t{1} << 40;
  expect_rejected(p, "the rulebase is up to date on day 1099511627776, outside 0001-01-01 .. 9999-12-31");
  p.law_as_of.reset();
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: members in doubt are distinct members of a scalar output's enum") {
  Program p = sample_program();
  p.outputs[0].doubt = {1, 3};
  expect_rejected(p, "output 0 (`verdict`) names member 3 in doubt, but enum `verdict` has 3 members");
  p.outputs[0].doubt = {1, 0, 1};
  expect_rejected(p, "output 0 (`verdict`) names member 1 in doubt twice");
  p = sample_program();
  p.outputs[1].doubt = {0};
  expect_rejected(p, "output 1 (`conditions`) is a set and has members in doubt; only scalar outputs have them");
}

TEST_CASE("verifier: a rule kind is rule or warning") {
  Program p = sample_program();
  p.rules[3].kind = static_cast<RuleKind>(2);
  expect_rejected(p, "rule 3 (`reforme`): rule kind 2 does not exist");
}

TEST_CASE("verifier: a warning has no effects, overrides nothing, is overridden by nothing, has no proviso") {
  const std::string why =
      "rule 3 (`reforme`) is a warning, which has no effects, overrides nothing, is overridden by nothing and has no "
      "proviso";
  Program p = sample_program();
  p.rules[3].effects = {{1, 0b01}};
  expect_rejected(p, why);
  p = sample_program();
  p.rules[3].overrides = {2};
  expect_rejected(p, why);
  p = sample_program();
  p.rules[3].overriders = {1};
  expect_rejected(p, why);
  p = sample_program();
  p.rules[3].provisos = {ProvisoInfo{"", {0}}};
  expect_rejected(p, why);
}

TEST_CASE("verifier: no rule overrides a warning") {
  Program p = sample_program();
  p.rules[1].overrides = {0, 3};
  expect_rejected(p, "rule 1 (`medecin`) overrides rule 3 (`reforme`), which is a warning");
}

TEST_CASE("verifier: a proviso reads facts") {
  Program p = sample_program();
  p.rules[2].provisos[0].facts_read = {1, 3};
  expect_rejected(p, "rule 2 has a proviso that reads fact 3, but there are only 3 facts");
}

TEST_CASE("verifier: a proviso operand names an existing proviso, weighed on a bool") {
  Program p = sample_program();
  p.code[7].a = 1;
  expect_rejected(p, "instruction 7 (proviso): operand A names proviso 1, but there are only 1 provisos");
  p = sample_program();
  p.code[7].b = 0;
  expect_rejected(p, "instruction 7 (proviso): operand B is slot 0 (fonction), but bool is needed");
  p = sample_program();
  p.code[7].c = 2;
  expect_rejected(p, "instruction 7 (proviso): operand C is unused and must be 0, not 2");
}

TEST_CASE("verifier: each proviso is weighed once, before its rule fires") {
  Program p = sample_program();
  p.code.insert(p.code.begin() + 8, Instr{Opcode::Proviso, 0, 7, 0});
  expect_rejected(p, "instruction 8 (proviso): proviso 0 is weighed a second time (first at instruction 7)");
  p = sample_program();
  std::swap(p.code[7], p.code[8]);
  expect_rejected(p, "instruction 7 (fire): rule 2 (`avocat`) fires before its proviso 0 is weighed");
  p = sample_program();
  p.code.erase(p.code.begin() + 7);
  expect_rejected(p, "instruction 7 (fire): rule 2 (`avocat`) fires before its proviso 0 is weighed");
  // A proviso may be weighed anywhere before its rule fires, even before anything else.
  p = sample_program();
  const Instr proviso = p.code[7];
  p.code.erase(p.code.begin() + 7);
  p.code.insert(p.code.begin(), proviso);
  CHECK(verify_program(p) == "");
}

TEST_CASE("verifier: one type per constant") {
  Program p = sample_program();
  p.constant_types.pop_back();
  expect_rejected(p, "there are 1 constant types for 2 constants");
}

TEST_CASE("verifier: constants are known") {
  Program p = sample_program();
  p.constants[1] = Value::unknown();
  expect_rejected(p, "constant 1 of type fonction: the value is unknown");
}

TEST_CASE("verifier: a constant is a value of its type") {
  Program p = sample_program();
  p.constants[1] = Value::of(3);
  expect_rejected(p, "constant 1 of type fonction: member 3 does not exist");
}

TEST_CASE("verifier: an opcode exists") {
  Program p = sample_program();
  p.code[3].op = static_cast<Opcode>(200);
  expect_rejected(p, "instruction 3: opcode 200 does not exist");
  p.code[3].op = Opcode::Count_;
  expect_rejected(p, "instruction 3: opcode 17 does not exist");
}

TEST_CASE("verifier: a destination is a slot that is no fact") {
  Program p = sample_program();
  p.code[0].a = 1;
  expect_rejected(p,
                  "instruction 0 (const): operand A writes slot 1, which holds fact `cas.en_justice`; facts are "
                  "read-only");
  p = sample_program();
  p.code[0].a = 11;
  expect_rejected(p, "instruction 0 (const): operand A writes slot 11, but there are only 11 slots");
}

TEST_CASE("verifier: a source is an existing slot") {
  Program p = sample_program();
  p.code[1].b = 40;
  expect_rejected(p, "instruction 1 (eq): operand B reads slot 40, but there are only 11 slots");
}

TEST_CASE("verifier: a slot is read only after it is written") {
  Program p = sample_program();
  std::swap(p.code[3], p.code[1]);  // and reads est_medecin before eq computes it
  expect_rejected(p, "instruction 1 (and): operand B reads slot 4 before it is written");
  // Writing a slot later does not make an earlier read valid, and a slot may be its own operand only
  // once written.
  p = sample_program();
  p.code[1] = {Opcode::Eq, 4, 4, 4};
  expect_rejected(p, "instruction 1 (eq): operand B reads slot 4 before it is written");
}

TEST_CASE("verifier: a constant operand names an existing constant") {
  Program p = sample_program();
  p.code[5].b = 2;
  expect_rejected(p, "instruction 5 (const): operand B names constant 2, but there are only 2 constants");
}

TEST_CASE("verifier: a rule operand names an existing rule") {
  Program p = sample_program();
  p.code[8].a = 4;
  expect_rejected(p, "instruction 8 (fire): operand A names rule 4, but there are only 4 rules");
}

TEST_CASE("verifier: an output operand names an existing output") {
  Program p = sample_program();
  p.code[9].a = 2;
  expect_rejected(p, "instruction 9 (resolve): operand A names output 2, but there are only 2 outputs");
  p = sample_program();
  p.code[12].b = 2;
  expect_rejected(p, "instruction 12 (loadout): operand B names output 2, but there are only 2 outputs");
}

TEST_CASE("verifier: an unused operand is 0") {
  Program p = sample_program();
  p.code[0].c = 1;
  expect_rejected(p, "instruction 0 (const): operand C is unused and must be 0, not 1");
  p = sample_program();
  p.code[9].b = 5;
  expect_rejected(p, "instruction 9 (resolve): operand B is unused and must be 0, not 5");
}

TEST_CASE("verifier: const writes a slot of the constant's type") {
  Program p = sample_program();
  p.code[0].a = 4;
  expect_rejected(p, "instruction 0 (const): operand A is slot 4 (bool), but constant 0 has type fonction");
}

TEST_CASE("verifier: move keeps the type") {
  Program p = sample_program();
  p.code[5] = {Opcode::Move, 6, 1, 0};
  expect_rejected(p, "instruction 5 (move): operand A is slot 6 (fonction), but operand B is slot 1 (bool)");
}

TEST_CASE("verifier: not takes and yields bool") {
  Program p = sample_program();
  p.code[3] = {Opcode::Not, 5, 0, 0};
  expect_rejected(p, "instruction 3 (not): operand B is slot 0 (fonction), but bool is needed");
  p.code[3] = {Opcode::Not, 6, 1, 0};
  expect_rejected(p, "instruction 3 (not): operand A is slot 6 (fonction), but bool is needed");
}

TEST_CASE("verifier: and and or take and yield bools") {
  Program p = sample_program();
  p.code[3].c = 0;
  expect_rejected(p, "instruction 3 (and): operand C is slot 0 (fonction), but bool is needed");
  p = sample_program();
  p.code[3].op = Opcode::Or;
  p.code[3].a = 6;
  expect_rejected(p, "instruction 3 (or): operand A is slot 6 (fonction), but bool is needed");
}

TEST_CASE("verifier: eq and ne compare values of one type into a bool") {
  Program p = sample_program();
  p.code[1].c = 1;
  expect_rejected(p, "instruction 1 (eq): operand B is slot 0 (fonction), but operand C is slot 1 (bool)");
  p = sample_program();
  p.code[6].op = Opcode::Ne;
  p.code[6].a = 3;
  expect_rejected(p, "instruction 6 (ne): operand A is slot 3 (fonction), but bool is needed");
}

TEST_CASE("verifier: ordering comparisons take integers, dates or articles") {
  Program p = sample_program();
  p.code[1].op = Opcode::Lt;
  expect_rejected(p,
                  "instruction 1 (lt): operand B is slot 0 (fonction); only integers, dates and articles are "
                  "ordered");
  for (const Opcode op : {Opcode::Le, Opcode::Gt, Opcode::Ge}) {
    p.code[1].op = op;
    CHECK(verify_program(p).find("are ordered") != std::string::npos);
  }
}

TEST_CASE("verifier: in tests an enum member against a set of that enum") {
  Program p = sample_program();
  p.code[1].op = Opcode::In;
  expect_rejected(p, "instruction 1 (in): operand C is slot 3 (fonction), but set of fonction is needed");
  p = sample_program();
  p.code[1] = {Opcode::In, 4, 1, 1};
  expect_rejected(p, "instruction 1 (in): operand B is slot 1 (bool), but an enum member is needed");
}

TEST_CASE("verifier: known yields a bool") {
  Program p = sample_program();
  p.code[1] = {Opcode::Known, 6, 0, 0};
  expect_rejected(p, "instruction 1 (known): operand A is slot 6 (fonction), but bool is needed");
}

TEST_CASE("verifier: a rule fires on a bool") {
  Program p = sample_program();
  p.code[2].b = 0;
  expect_rejected(p, "instruction 2 (fire): operand B is slot 0 (fonction), but bool is needed");
}

TEST_CASE("verifier: each rule fires exactly once") {
  Program p = sample_program();
  p.code[4].a = 0;
  expect_rejected(p, "instruction 4 (fire): rule 0 (`temoignage`) fires a second time (first at instruction 2)");
  p = sample_program();
  RuleInfo forgotten;
  forgotten.name = "oubliee";
  p.rules.push_back(forgotten);
  expect_rejected(p, "rule 4 (`oubliee`) never fires");
}

TEST_CASE("verifier: each output is resolved exactly once") {
  Program p = sample_program();
  p.code[10].a = 0;
  expect_rejected(p,
                  "instruction 10 (resolve): output 0 (`verdict`) is resolved a second time (first at "
                  "instruction 9)");
  p = sample_program();
  p.code.erase(p.code.begin() + 12);
  p.code.erase(p.code.begin() + 10);
  expect_rejected(p, "output 1 (`conditions`) is never resolved");
}

TEST_CASE("verifier: an output is resolved only after every rule that sets it has fired") {
  Program p = sample_program();
  std::swap(p.code[8], p.code[9]);
  expect_rejected(p,
                  "instruction 8 (resolve): output 0 (`verdict`) is resolved before rule 2 (`avocat`), which "
                  "sets it, has fired");
}

TEST_CASE("verifier: an output is resolved only after the overriders of its rules have fired") {
  Program p = sample_program();
  // `conditions` is set by temoignage only, but medecin overrides temoignage and must fire first.
  p.code.erase(p.code.begin() + 10);
  p.code.insert(p.code.begin() + 3, Instr{Opcode::Resolve, 1, 0, 0});
  expect_rejected(p,
                  "instruction 3 (resolve): output 1 (`conditions`) is resolved before rule 1 (`medecin`) has "
                  "fired; it overrides rule 0 (`temoignage`), which sets the output");
}

TEST_CASE("verifier: an output is loaded only after it is resolved") {
  Program p = sample_program();
  std::swap(p.code[10], p.code[12]);
  expect_rejected(p, "instruction 10 (loadout): operand B reads output 1 (`conditions`) before it is resolved");
}

TEST_CASE("verifier: loadout writes a slot of the output's type") {
  Program p = sample_program();
  p.code[11].b = 1;
  p.code[12].b = 0;
  expect_rejected(p, "instruction 11 (loadout): operand A is slot 8 (verdict), but set of condition is needed");
}

// --- the disassembler ----------------------------------------------------------------------------

TEST_CASE("the disassembly lists every table and one line per instruction") {
  const std::string listing = disassemble(sample_program());
  CAPTURE(listing);
  for (const std::string expected : {
           "rulebase \"Secret professionnel — essai\" version \"2025.1\"",
           "source hash 0123456789abcdef",
           "format version 2",
           "up to date on 2024-01-01",
           "date fact cas.date",
           "  e0    fonction { medecin, avocat, autre }",
           "  e1    verdict { garder_le_secret \"garder le secret\", peut_reveler, doit_reveler \"révéler\" }",
           "  r0    confident.fonction : fonction  \"Quelle est votre fonction ?\"",
           "  r1    cas.en_justice : bool = false",
           "  r2    cas.date : date = today",
           "  o0    verdict : scalar of verdict = garder_le_secret in doubt garder_le_secret, peut_reveler",
           "  o1    conditions : set of condition",
           "  0     temoignage \"Témoignage en justice\"",
           "        valid from 2017-05-17 until 2019-03-14 \"annulée par C.C., arrêt 44/2019\"",
           "        then verdict = peut_reveler, conditions += { serment, libre_de_repondre }",
           "        because \"Devant un juge, le secret peut être levé.\"",
           "        note \"rien n'oblige à parler\"",
           "        overridden by medecin",
           "        overrides temoignage",
           "        reads confident.fonction, cas.en_justice",
           "        proviso p0 \"devant un juge\" reads cas.en_justice",
           "  3     warning reforme \"Réforme du droit pénal sexuel\"",
           "        valid from 2022-06-01\n",
           "  k1    fonction avocat",
           "  r4    bool             est_medecin",
           "  0000  const    r3, k0 (medecin)\n",
           "  0001  eq       r4, r0, r3                  ; r4 est_medecin, r0 confident.fonction\n",
           "  0003  and      r5, r4, r1                  ; r4 est_medecin, r1 cas.en_justice\n",
           "  0004  fire     medecin, r5\n",
           "  0007  proviso  p0, r1                      ; r1 cas.en_justice\n",
           "  0009  resolve  verdict\n",
           "  0012  loadout  r9, conditions\n",
           "  0013  known    r10, r0                     ; r0 confident.fonction\n",
           "  0014  fire     reforme, r10\n",
       }) {
    CAPTURE(expected);
    CHECK(listing.find(expected) != std::string::npos);
  }
}

TEST_CASE("the disassembler names every opcode through opcode_info") {
  for (std::uint32_t op = 0; op < static_cast<std::uint32_t>(Opcode::Count_); ++op) {
    const OpcodeInfo& info = opcode_info(static_cast<Opcode>(op));
    Program p;
    p.slot_types = {kBool};
    p.slot_names = {""};
    p.code = {Instr{static_cast<Opcode>(op), 0, 0, 0}};
    CHECK(disassemble(p).find(fmt::format("  0000  {:<8} ", info.mnemonic)) != std::string::npos);
  }
}

TEST_CASE("the disassembler shows out-of-range indices instead of following them") {
  Program p = sample_program();
  p.code[2].a = 99;
  p.code[5].b = 77;
  p.rules[0].overriders = {55};
  const std::string listing = disassemble(p);
  CHECK(listing.find("fire     ?99, r1") != std::string::npos);
  CHECK(listing.find("const    r6, k77 (?)") != std::string::npos);
  CHECK(listing.find("overridden by ?55") != std::string::npos);
}

// --- the messages, in English and in French (runtime/messages.def, Bytecode* and Verify*) ---------------

TEST_CASE("a loader's message comes from the catalogue, in English and in French") {
  const std::string bytes = serialize_program(sample_program());
  const auto spans = sections_of(bytes);
  // The first fact's known flag, as in "a flag byte other than 0 or 1 is rejected".
  const std::size_t known_flag = spans[3].payload + 4 + 4 + std::string("confident.fonction").size() + 5 + 1 + 8;
  std::string damaged = bytes;
  REQUIRE(damaged[known_flag] == '\0');
  damaged[known_flag] = 2;
  const auto loaded = load_program(reseal(damaged));
  REQUIRE(std::holds_alternative<BytecodeError>(loaded));
  const BytecodeError& e = std::get<BytecodeError>(loaded);
  const std::string at = fmt::format("{:#x}", known_flag);
  CHECK(e.message == "section FACTS at byte " + at + ": fact 0: the flag default is 2; a flag is 0 or 1");
  CHECK(e.text(TextLang::English) == e.message);
  CHECK(e.text(TextLang::French) == "section FACTS à l'octet " + at +
                                        " : fait 0 : le drapeau « valeur par défaut » vaut 2 ; un drapeau vaut 0 ou 1");
  // The section, the entry, what is wrong, the field: each a message of the catalogue.
  REQUIRE(e.detail.size() == 4);
  CHECK(e.detail[0].id == Msg::BytecodeInSection);
  CHECK(e.detail[1].id == Msg::BytecodeInFact);
  CHECK(e.detail[2].id == Msg::BytecodeFlagNotBool);
  CHECK(e.detail[3].id == Msg::BytecodeFieldDefault);

  // A damaged file, and an unknown section: messages of the whole file and of a place in it.
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x01);
  const auto bad_sum = load_program(flipped);
  REQUIRE(std::holds_alternative<BytecodeError>(bad_sum));
  CHECK(std::get<BytecodeError>(bad_sum).message == "checksum mismatch: the file is damaged or was altered");
  CHECK(std::get<BytecodeError>(bad_sum).text(TextLang::French) ==
        "la somme de contrôle ne correspond pas : le fichier est endommagé ou a été modifié");
  std::string unknown = bytes;
  write_u32(unknown, spans[0].header, 42);
  const auto bad_id = load_program(reseal(unknown));
  REQUIRE(std::holds_alternative<BytecodeError>(bad_id));
  CHECK(std::get<BytecodeError>(bad_id).message == "at byte 0x10: unknown section id 42");
  CHECK(std::get<BytecodeError>(bad_id).text(TextLang::French) == "à l'octet 0x10 : numéro de section inconnu 42");
}

TEST_CASE("a verifier's message comes from the catalogue, in English and in French") {
  Program p = sample_program();
  p.enums.push_back({"vide", {}, {}});
  CHECK(verify_program(p) == "enum 3 (`vide`) has 0 members; an enum has 1 to 64");
  CHECK(nested_text(verify_program_detail(p), TextLang::French) ==
        "l'énumération 3 (`vide`) a 0 membres ; une énumération en a de 1 à 64");
  // Loaded from a file, the same finding, placed in its section.
  const auto loaded = load_program(serialize_program(p));
  REQUIRE(std::holds_alternative<BytecodeError>(loaded));
  const std::string fr = std::get<BytecodeError>(loaded).text(TextLang::French);
  CAPTURE(fr);
  CHECK(fr.rfind("section ENUMS à l'octet 0x", 0) == 0);
  CHECK(fr.ends_with(" : l'énumération 3 (`vide`) a 0 membres ; une énumération en a de 1 à 64"));

  // Nested: the fact, then why its default is invalid.
  p = sample_program();
  p.facts[1].default_value = Value::of(2);
  CHECK(verify_program(p) == "fact 1 (`cas.en_justice`): invalid default: 2 is not a bool (0 or 1)");
  CHECK(nested_text(verify_program_detail(p), TextLang::French) ==
        "fait 1 (`cas.en_justice`) : valeur par défaut invalide : 2 n'est pas un booléen (0 ou 1)");

  // An instruction with an operand it does not use.
  p = sample_program();
  p.code[0].c = 5;
  const std::string mnemonic(opcode_info(Opcode::Const).mnemonic);
  CHECK(verify_program(p) == "instruction 0 (" + mnemonic + "): operand C is unused and must be 0, not 5");
  CHECK(nested_text(verify_program_detail(p), TextLang::French) ==
        "instruction 0 (" + mnemonic + ") : l'opérande C ne sert pas et doit valoir 0, pas 5");

  // A valid program has no finding, in either language.
  CHECK(verify_program_detail(sample_program()).empty());
  CHECK(nested_text(verify_program_detail(sample_program()), TextLang::French).empty());
}
