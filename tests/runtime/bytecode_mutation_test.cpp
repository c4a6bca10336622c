// Mutation testing of the loader and verifier on real compiled rulebases (the test rulebase and the
// Belgian one): every file cut short, every byte changed, sections swapped, repeated or dropped —
// also with the checksum recomputed, so that the damage reaches the sections and the verifier. What
// still loads must be a sound program: it verifies, writes back to the same bytes, and runs on the VM
// (under the sanitize preset, without a sanitizer finding): on a case, on the case with its unknown
// facts written `?`, and on the conditional answers, which run it once per value of an open question.
#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "compiler/compile.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

using namespace secretc;

namespace {

std::string compiled(const std::string& folder) {
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/" + folder});
  REQUIRE_MESSAGE(c.program.has_value(), render_all(c.diags, c.sources));
  return serialize_program(*c.program);
}

const std::string& mini() {
  static const std::string bytes = compiled("tests/data/mini");
  return bytes;
}

const std::string& belgian() {
  static const std::string bytes = compiled("stdlib-rules");
  return bytes;
}

// The file with its checksum recomputed over what is now before it.
std::string reseal(std::string bytes) {
  bytes.resize(bytes.size() - 8);
  const std::uint64_t sum = fnv1a64(bytes);
  for (unsigned i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(sum >> (8 * i)));
  return bytes;
}

// Well-typed facts for a verified program: all unknown, then each fact its default or a constant of its type.
std::vector<std::vector<Value>> cases_for(const Program& p) {
  std::vector<std::vector<Value>> cases(2, std::vector<Value>(p.facts.size()));
  for (std::size_t i = 0; i < p.facts.size(); ++i) {
    const FactInfo& f = p.facts[i];
    if (f.default_kind == DefaultKind::Constant) cases[1][i] = f.default_value;
    if (f.type.kind == TypeKind::Bool) cases[1][i] = Value::of(static_cast<std::int64_t>(i % 2));
    if (f.type.kind == TypeKind::Enum) cases[1][i] = Value::of(0);
    for (std::size_t k = 0; k < p.constants.size() && f.type.kind != TypeKind::Enum; ++k) {
      if (p.constant_types[k] == f.type) cases[1][i] = p.constants[k];
    }
  }
  return cases;
}

struct Tally {
  std::size_t rejected = 0, accepted = 0;
};

// Loads `bytes`: rejected with a message, or accepted as a sound program.
void load_soundly(const std::string& bytes, Tally& tally) {
  const auto loaded = load_program(bytes);
  if (const auto* e = std::get_if<BytecodeError>(&loaded)) {
    REQUIRE(!e->message.empty());
    ++tally.rejected;
    return;
  }
  ++tally.accepted;
  const Program& p = std::get<Program>(loaded);
  REQUIRE(verify_program(p).empty());
  REQUIRE(serialize_program(p) == bytes);
  Machine machine(p);
  const std::vector<bool> written(p.facts.size(), true);
  for (const auto& facts : cases_for(p)) {
    for (const std::vector<bool>* w : {static_cast<const std::vector<bool>*>(nullptr), &written}) {
      const Result r = machine.evaluate(facts, w);
      REQUIRE(r.outputs.size() == p.outputs.size());
      for (const Dependence& d : conditional_answers(machine, facts, w, r)) REQUIRE(d.branches.size() >= 2);
    }
  }
}

// One section of a file: where its header starts, and its whole length with the header.
struct Span {
  std::size_t at = 0, length = 0;
};

std::vector<Span> sections(const std::string& bytes) {
  std::vector<Span> out;
  std::size_t at = 16;
  while (at + 8 <= bytes.size() - 8) {
    std::size_t length = 0;
    for (unsigned i = 0; i < 4; ++i) length |= std::size_t{static_cast<unsigned char>(bytes[at + 4 + i])} << (8 * i);
    out.push_back({at, 8 + length});
    at += 8 + length;
  }
  return out;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kStride = 59;
#else
constexpr std::size_t kStride = 29;
#endif

}  // namespace

TEST_CASE("a compiled rulebase cut at any length is rejected, with its checksum or without") {
  const std::string& bytes = mini();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    CAPTURE(length);
    const std::string cut = bytes.substr(0, length);
    CHECK(std::holds_alternative<BytecodeError>(load_program(cut)));
    if (length >= 24) CHECK(std::holds_alternative<BytecodeError>(load_program(reseal(cut))));
  }
}

TEST_CASE("every byte of a compiled rulebase changed, then re-sealed, is rejected or still a sound program") {
  const std::string& bytes = mini();
  Tally tally;
  for (std::size_t at = 0; at + 8 < bytes.size(); ++at) {
    CAPTURE(at);
    for (const int change : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ change);
      CHECK(std::holds_alternative<BytecodeError>(load_program(damaged)));  // the checksum sees it
      load_soundly(reseal(damaged), tally);
    }
  }
  MESSAGE(tally.rejected << " changed files rejected, " << tally.accepted << " still sound programs");
  // Many changes (a letter of a name or of a title) leave a sound program; the others must be caught.
  CHECK(tally.rejected > 0);
}

TEST_CASE("bytes of the Belgian rulebase's bytecode changed, then re-sealed, are rejected or still sound") {
  const std::string& bytes = belgian();
  Tally tally;
  // Every 29th byte, two ways (every 59th under AddressSanitizer, where this test was the long pole of CI at
  // 130 s; the small rulebase above has every byte changed there too): the whole file would take long, and
  // 29 and 59 are prime to the 4- and 8-byte fields, so that every position within a field is hit.
  for (std::size_t at = 16; at + 8 < bytes.size(); at += kStride) {
    CAPTURE(at);
    for (const int change : {0x01, 0xFF}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ change);
      load_soundly(reseal(damaged), tally);
    }
  }
  MESSAGE(tally.rejected << " changed files rejected, " << tally.accepted << " still sound programs");
  CHECK(tally.rejected > 0);
}

TEST_CASE(
    "sections swapped, repeated or dropped, even re-sealed, are rejected, contents swapped are rejected or sound") {
  for (const std::string* file : {&mini(), &belgian()}) {
    const std::string& bytes = *file;
    const std::vector<Span> spans = sections(bytes);
    REQUIRE(spans.size() == 9);
    const auto section = [&](std::size_t i) { return bytes.substr(spans[i].at, spans[i].length); };
    const std::string head = bytes.substr(0, 16);
    const std::string tail = bytes.substr(bytes.size() - 8);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      CAPTURE(i);
      std::string dropped = head, repeated = head;
      for (std::size_t k = 0; k < spans.size(); ++k) {
        if (k != i) dropped += section(k);
        repeated += section(k);
        if (k == i) repeated += section(k);
      }
      CHECK(std::holds_alternative<BytecodeError>(load_program(reseal(dropped + tail))));
      CHECK(std::holds_alternative<BytecodeError>(load_program(reseal(repeated + tail))));
      for (std::size_t j = i + 1; j < spans.size(); ++j) {
        CAPTURE(j);
        // Swapped whole (ids and contents), and contents swapped under the ids kept in place.
        std::string swapped = head, contents = head;
        for (std::size_t k = 0; k < spans.size(); ++k) {
          const std::size_t from = k == i ? j : k == j ? i : k;
          swapped += section(from);
          contents += section(k).substr(0, 4) + section(from).substr(4);
        }
        CHECK(std::holds_alternative<BytecodeError>(load_program(reseal(swapped + tail))));
        Tally tally;
        load_soundly(reseal(contents + tail), tally);
      }
    }
  }
}
