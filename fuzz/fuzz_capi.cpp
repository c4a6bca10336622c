// Fuzz target: the C API (capi/secretc.h), driven by fuzzer-chosen calls. The input picks a rulebase —
// the Belgian one (stdlib-rules/, compiled once and loaded through the API from its bytecode), or bytes of
// the input itself, loaded as they are and with their checksum repaired — then a sequence of calls: set
// facts by names and values (the rulebase's or arbitrary bytes), unset, clear, change the day or the
// language, evaluate and read everything.
//
// Input: byte 0 chooses the rulebase (3 mod 4: bytecode from the input, its length in bytes 1-2, little
// endian; otherwise the Belgian rulebase); then calls, each an opcode byte and its operands (see run_calls).
//
// Invariants, beyond no crash, sanitizer report or leak: every status is one of the API's; a refused
// call leaves a message and changes nothing; the C API loads exactly the bytes load_program loads; and
// every evaluation answers as the runtime does on the facts accepted so far (bind_case, Machine,
// conditional_answers, open_questions), each output's value among its possible values.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "capi/secretc.h"
#include "compiler/compile.hpp"
#include "fuzz/fuzz_support.hpp"
#include "runtime/case.hpp"

namespace {

using secretc::fuzz::fuzz_fail;

const std::string& belgian_bytes() {
  static const std::string bytes = [] {
    const secretc::Compilation c = secretc::compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
    if (!c.program) fuzz_fail("stdlib-rules/ does not compile", render_all(c.diags, c.sources));
    return secretc::serialize_program(*c.program);
  }();
  return bytes;
}

// Reads the input from the front; past its end, zeros.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool empty() const { return at_ >= size_; }
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(byte()) << (8 * i);
    return v;
  }
  std::string text(std::size_t n) {
    const std::size_t k = std::min(n, size_ - std::min(at_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + std::min(at_, size_)), k);
    at_ += k;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

bool valid_status(secretc_status s) {
  return s >= SECRETC_OK && s <= SECRETC_ERROR_INTERNAL;
}

// What the case should hold: the entries the API accepted, in order, at most one per name.
struct Shadow {
  std::vector<secretc::CaseEntry> entries;
  std::int64_t today = 0;
};

void require_message_on_refusal(const secretc_case* c, secretc_status s, const char* call) {
  if (!valid_status(s)) fuzz_fail("a status outside the API's", call);
  if (s == SECRETC_ERROR_INTERNAL || s == SECRETC_ERROR_MEMORY) fuzz_fail("an internal error", call);
  if (s == SECRETC_ERROR_CASE) {
    if (secretc_case_message_count(c) == 0 || secretc_case_message_is_error(c, 0) != 1) {
      fuzz_fail("a refused fact without an error message", call);
    }
  }
}

// The API's answer must be the runtime's on the shadow's entries.
void require_runtime_answer(const secretc::Program& p, const secretc_case* c, const Shadow& shadow) {
  secretc::Diagnostics diags;
  const secretc::BoundCase bound = secretc::bind_case(p, shadow.entries, shadow.today, diags);
  if (diags.has_errors()) fuzz_fail("the facts the API accepted do not bind together");
  secretc::Machine machine(p);
  const secretc::Result result = machine.evaluate(bound.facts, &bound.given);
  const bool settled =
      std::all_of(result.outputs.begin(), result.outputs.end(), [](const auto& v) { return v.settled; });
  const std::vector<secretc::Dependence> deps =
      settled ? std::vector<secretc::Dependence>{}
              : secretc::conditional_answers(machine, bound.facts, &bound.given, result);
  const std::vector<secretc::OpenQuestion> questions = secretc::open_questions(p, result, deps);

  if (secretc_case_output_count(c) != p.outputs.size()) fuzz_fail("the number of outputs");
  for (std::size_t o = 0; o < p.outputs.size(); ++o) {
    secretc_output out{};
    if (secretc_case_output(c, o, &out) != SECRETC_OK) fuzz_fail("an output cannot be read");
    const secretc::OutputValue& v = result.outputs[o];
    const std::size_t members = p.enums[p.outputs[o].enum_id].members.size();
    if (out.settled != (v.settled ? 1 : 0) || out.conflict != (v.conflict ? 1 : 0) ||
        out.may_be_unknown != (v.may_be_unknown ? 1 : 0)) {
      fuzz_fail("an output's status differs from the runtime's", p.outputs[o].name);
    }
    std::size_t possible = 0;
    for (std::size_t m = 0; m < members && m < 64; ++m) possible += (v.possible >> m) & 1U;
    if (out.possible_count != possible) fuzz_fail("an output's possible values differ", p.outputs[o].name);
    const auto is_possible = [&](const char* member) {
      return std::any_of(out.possible, out.possible + out.possible_count,
                         [&](const char* x) { return std::string_view(x) == member; });
    };
    if (out.is_set == 0 && out.value != nullptr) {
      if (!v.value.known ||
          p.enums[p.outputs[o].enum_id].members[static_cast<std::size_t>(v.value.payload)] != out.value) {
        fuzz_fail("an output's value differs from the runtime's", p.outputs[o].name);
      }
      if (!is_possible(out.value)) fuzz_fail("the value to act on is not among the possible values", p.outputs[o].name);
    }
    if (out.is_set == 0 && out.value == nullptr && v.value.known && !v.conflict) fuzz_fail("a value is missing");
    for (std::size_t k = 0; k < out.held_count; ++k) {
      if (!is_possible(out.held[k])) fuzz_fail("a member held for sure is not possible", p.outputs[o].name);
    }
  }
  if (secretc_case_fired_count(c) != result.fired.size()) fuzz_fail("the rules that apply differ");
  for (std::size_t i = 0; i < result.fired.size(); ++i) {
    if (secretc_case_fired(c, i) != result.fired[i]) fuzz_fail("the rules that apply differ");
  }
  if (secretc_case_set_aside_count(c) != result.overridden.size()) fuzz_fail("the rules set aside differ");
  for (std::size_t i = 0; i < result.overridden.size(); ++i) {
    std::size_t rule = 0, by = 0;
    if (secretc_case_set_aside(c, i, &rule, &by) != SECRETC_OK || rule != result.overridden[i].rule ||
        by != result.overridden[i].by) {
      fuzz_fail("the rules set aside differ");
    }
  }
  if (secretc_case_conflict_count(c) != result.conflicts.size()) fuzz_fail("the conflicts differ");
  for (std::size_t i = 0; i < result.conflicts.size(); ++i) {
    std::size_t output = 0, first = 0, second = 0;
    if (secretc_case_conflict(c, i, &output, &first, &second) != SECRETC_OK || output != result.conflicts[i].output ||
        first != result.conflicts[i].first || second != result.conflicts[i].second) {
      fuzz_fail("the conflicts differ");
    }
  }
  if (secretc_case_open_question_count(c) != questions.size()) fuzz_fail("the open questions differ");
  for (std::size_t i = 0; i < questions.size(); ++i) {
    std::size_t fact = 0;
    secretc_rank rank{};
    if (secretc_case_open_question(c, i, &fact, &rank) != SECRETC_OK || fact != questions[i].fact ||
        static_cast<int>(rank) != static_cast<int>(questions[i].rank)) {
      fuzz_fail("the open questions differ");
    }
  }
  for (std::size_t i = 0; i < secretc_case_may_apply_count(c); ++i) {
    const std::size_t r = secretc_case_may_apply(c, i);
    if (r >= p.rules.size() || result.applies[r] != secretc::Truth::Unknown)
      fuzz_fail("a rule that may apply does not");
  }
}

// A name: one of the rulebase's facts, or bytes of the input (a C string: up to its first NUL).
std::string name_of(Input& in, const secretc::Program& p) {
  const std::uint8_t n = in.byte();
  if (n < 0xF0 && !p.facts.empty()) return p.facts[n % p.facts.size()].name;
  return std::string(in.text(in.byte()).c_str());
}

// A word: a member of the fact's enumeration, a yes/no word, `?`, `inconnu`, or bytes of the input.
std::string word_of(Input& in, const secretc::Program& p, const std::string& name) {
  static const char* const kWords[] = {"oui", "non", "vrai", "faux", "true", "false", "?", "inconnu", "Oui", "NON"};
  const std::uint8_t n = in.byte();
  const auto fact = p.find_fact(name);
  if (n < 0xC0 && fact && p.facts[*fact].type.kind == secretc::TypeKind::Enum) {
    const auto& e = p.enums[p.facts[*fact].type.enum_id];
    const std::string& member = e.members[n % e.members.size()];
    return n % 3 == 0 ? secretc::fold_word(member) : member;
  }
  if (n < 0xF0) return kWords[n % std::size(kWords)];
  return std::string(in.text(in.byte()).c_str());
}

void accept(Shadow& shadow, secretc::CaseEntry e) {
  const auto same =
      std::find_if(shadow.entries.begin(), shadow.entries.end(), [&](const auto& x) { return x.name == e.name; });
  if (same != shadow.entries.end()) {
    *same = std::move(e);
  } else {
    shadow.entries.push_back(std::move(e));
  }
}

void run_calls(Input& in, const secretc_rulebase* rb, const secretc::Program& p) {
  secretc_case* c = nullptr;
  if (secretc_case_new(rb, &c) != SECRETC_OK || c == nullptr) fuzz_fail("secretc_case_new failed");
  Shadow shadow;
  if (secretc_case_set_today(c, 2025, 1, 15) != SECRETC_OK) fuzz_fail("secretc_case_set_today failed");
  shadow.today = secretc::days_from_civil(2025, 1, 15);
  bool evaluated = false;
  // An evaluation with its comparison costs far more than a call that sets a fact (ASan, and the
  // conditional answers of a case with many facts open): a few per input keep the fuzzer fast.
  int evaluations = 0;
  for (int calls = 0; !in.empty() && calls < 64; ++calls) {
    const std::uint8_t op = in.byte() % 10;
    secretc::CaseEntry e;
    secretc_status s = SECRETC_OK;
    if (op <= 6) e.name = name_of(in, p);
    switch (op) {
      case 0: {
        const int v = in.byte() % 3;
        s = secretc_case_set_bool(c, e.name.c_str(), v);
        e.kind = secretc::CaseValueKind::Word;
        e.text = v != 0 ? "true" : "false";
        break;
      }
      case 1: {
        const auto v = static_cast<std::int64_t>(in.u64() >> (in.byte() % 64));
        s = secretc_case_set_integer(c, e.name.c_str(), v);
        e.kind = secretc::CaseValueKind::Integer;
        e.text = std::to_string(v);
        break;
      }
      case 2: {
        const int y = static_cast<int>(in.byte()) * 40 + in.byte() % 40 - 100, m = in.byte() % 14, d = in.byte() % 33;
        s = secretc_case_set_date(c, e.name.c_str(), y, m, d);
        e.kind = secretc::CaseValueKind::Date;
        e.text = fmt::format("{:04}-{:02}-{:02}", y, m, d);
        break;
      }
      case 3:
        e.text = word_of(in, p, e.name);
        s = secretc_case_set_word(c, e.name.c_str(), e.text.c_str());
        e.kind = e.text == "?" ? secretc::CaseValueKind::Unknown : secretc::CaseValueKind::Word;
        break;
      case 4:
        e.text = in.byte() < 0x80 ? word_of(in, p, e.name) : std::string(in.text(in.byte()).c_str());
        s = secretc_case_set_string(c, e.name.c_str(), e.text.c_str());
        e.kind = secretc::CaseValueKind::String;
        break;
      case 5:
        s = secretc_case_set_unknown(c, e.name.c_str());
        e.kind = secretc::CaseValueKind::Unknown;
        e.text = "?";
        break;
      case 6: {
        s = secretc_case_unset(c, e.name.c_str());
        require_message_on_refusal(c, s, "unset");
        const auto same =
            std::find_if(shadow.entries.begin(), shadow.entries.end(), [&](const auto& x) { return x.name == e.name; });
        if ((s == SECRETC_OK) != (same != shadow.entries.end())) fuzz_fail("unset disagrees with what was given");
        if (s == SECRETC_OK) {
          shadow.entries.erase(same);
          evaluated = false;
        }
        continue;
      }
      case 7: {
        if (++evaluations > 2) continue;
        s = secretc_case_evaluate(c);
        if (s != SECRETC_OK) fuzz_fail("a case of accepted facts does not evaluate", secretc_status_name(s));
        require_runtime_answer(p, c, shadow);
        evaluated = true;
        continue;
      }
      case 8:
        if (secretc_case_clear(c) != SECRETC_OK) fuzz_fail("clear failed");
        shadow.entries.clear();
        evaluated = false;
        continue;
      default: {
        const std::uint8_t what = in.byte();
        if (what % 2 == 0) {
          const int y = 1900 + in.byte(), m = in.byte() % 14, d = in.byte() % 33;
          s = secretc_case_set_today(c, y, m, d);
          const bool valid =
              m >= 1 && d >= 1 && secretc::valid_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
          if ((s == SECRETC_OK) != valid) fuzz_fail("set_today disagrees with the calendar");
          if (s == SECRETC_OK) {
            shadow.today = secretc::days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
            evaluated = false;
          }
        } else {
          s = secretc_case_set_language(c, static_cast<secretc_lang>(what % 5));
          if ((s == SECRETC_OK) != (what % 5 <= 2)) fuzz_fail("set_language disagrees with the languages");
        }
        continue;
      }
    }
    require_message_on_refusal(c, s, "a setter");
    if (s == SECRETC_OK) {
      accept(shadow, std::move(e));
      evaluated = false;
    } else if (s != SECRETC_ERROR_CASE) {
      fuzz_fail("a setter failed otherwise than by refusing the fact", secretc_status_name(s));
    }
    // Refused or not, the answer is there only while it is that of the facts.
    secretc_output out{};
    const bool readable = secretc_case_output_count(c) > 0 && secretc_case_output(c, 0, &out) == SECRETC_OK;
    if (!p.outputs.empty() && readable != evaluated)
      fuzz_fail("an answer readable when it should not be, or not when it should");
  }
  if (secretc_case_evaluate(c) != SECRETC_OK) fuzz_fail("the final evaluation failed");
  require_runtime_answer(p, c, shadow);
  secretc_case_free(c);
}

void load_and_run(std::string_view bytes, Input& in) {
  secretc_rulebase* rb = nullptr;
  char* error = nullptr;
  const secretc_status s = secretc_rulebase_load_bytes(bytes.data(), bytes.size(), &rb, &error);
  auto loaded = secretc::load_program(bytes);
  const auto* program = std::get_if<secretc::Program>(&loaded);
  if ((s == SECRETC_OK) != (program != nullptr)) fuzz_fail("the C API and load_program disagree on a file");
  if (s != SECRETC_OK) {
    if (s != SECRETC_ERROR_BYTECODE || rb != nullptr || error == nullptr)
      fuzz_fail("a refused file without its message");
    secretc_string_free(error);
    return;
  }
  if (error != nullptr) fuzz_fail("a message for a file that loads");
  run_calls(in, rb, *program);
  secretc_rulebase_free(rb);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  if (in.byte() % 4 != 3) {
    load_and_run(belgian_bytes(), in);
    return 0;
  }
  const std::size_t length = in.byte() | (static_cast<std::size_t>(in.byte()) << 8U);
  const std::string bytes = in.text(length);
  const std::size_t calls_at = std::min<std::size_t>(size, 3 + bytes.size());
  Input calls(data + calls_at, size - calls_at);
  load_and_run(bytes, calls);
  if (bytes.size() >= 8) {
    std::string repaired(bytes.substr(0, bytes.size() - 8));
    const std::uint64_t sum = secretc::fnv1a64(repaired);
    for (unsigned i = 0; i < 8; ++i) repaired.push_back(static_cast<char>(sum >> (8 * i)));
    if (repaired != bytes) {
      Input again(data + calls_at, size - calls_at);
      load_and_run(repaired, again);
    }
  }
  return 0;
}
