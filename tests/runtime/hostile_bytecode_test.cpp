// Crafted bytecode that is valid but shaped to make the verifier or the VM do quadratic work: a file
// can be 64 MiB, so the work on it must stay linear in its size.
#include <doctest/doctest.h>

#include <chrono>
#include <variant>

#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

using namespace secretc;

namespace {

// One rule writing every output, set aside by every other rule: the verifier used to look at all the
// overriders once per output (outputs × rules), the VM too, once per output and once per missing rule.
// With `uncertain`, every rule fires on a fact the case may leave unknown, and the target has as many
// provisos: the abstract interpreter, the open questions and the provisos must stay linear too.
Program crafted(std::uint32_t width, bool uncertain = false) {
  Program p;
  p.enums.push_back({"e", {"a", "b"}, {}});
  if (uncertain) {
    p.facts.push_back(FactInfo{"x", {TypeKind::Bool, 0}, DefaultKind::None, {}, ""});
    p.slot_types.push_back({TypeKind::Bool, 0});
    p.slot_names.emplace_back("x");
  }
  const auto condition = static_cast<std::uint32_t>(p.slot_types.size());
  p.slot_types.push_back({TypeKind::Bool, 0});
  p.slot_names.emplace_back();
  p.constants.push_back(Value::of(1));
  p.constant_types.push_back({TypeKind::Bool, 0});
  p.code.push_back({Opcode::Const, condition, 0, 0});
  const std::uint32_t fires_on = uncertain ? 0 : condition;
  RuleInfo target;
  target.name = "target";
  for (std::uint32_t o = 0; o < width; ++o) {
    p.outputs.push_back({"o", OutputKind::Scalar, 0, false, 0, {}});
    target.effects.push_back({o, 1});
  }
  for (std::uint32_t r = 1; r <= width; ++r) target.overriders.push_back(r);
  if (uncertain) {
    target.facts_read = {0};
    for (std::uint32_t k = 0; k < width; ++k) {
      target.provisos.push_back({"", {0}});
      p.code.push_back({Opcode::Proviso, k, 0, 0});
    }
  }
  p.rules.push_back(std::move(target));
  for (std::uint32_t r = 1; r <= width; ++r) {
    RuleInfo other;
    other.name = "r";
    other.effects.push_back({r - 1, 0});
    if (uncertain) other.facts_read = {0};
    p.rules.push_back(std::move(other));
  }
  for (std::uint32_t r = 0; r <= width; ++r) p.code.push_back({Opcode::Fire, r, fires_on, 0});
  for (std::uint32_t o = 0; o < width; ++o) p.code.push_back({Opcode::Resolve, o, 0, 0});
  return p;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a file shaped to make verification and evaluation quadratic is handled in linear time") {
  // 100 000 outputs and rules: quadratic work would be 10^10 steps (minutes); linear is milliseconds.
  const std::string bytes = serialize_program(crafted(100000));
  REQUIRE(bytes.size() < kMaxBytecodeFileBytes);
  const auto start = std::chrono::steady_clock::now();
  const auto loaded = load_program(bytes);
  REQUIRE(std::holds_alternative<Program>(loaded));
  Machine machine(std::get<Program>(loaded));
  const Result& r = machine.evaluate({});
  CHECK(r.overridden.size() == 1);  // the target, set aside by rule 1
  CHECK(r.fired.size() == 100000);
  const double took = seconds_since(start);
  MESSAGE(bytes.size() << " bytes loaded, verified and evaluated in " << took << " s");
  CHECK(took < 20);  // generous, for the sanitize preset on a loaded machine
}

TEST_CASE("the same file evaluated on an unknown fact, with its conditional answers, takes linear time too") {
  const std::string bytes = serialize_program(crafted(100000, true));
  REQUIRE(bytes.size() < kMaxBytecodeFileBytes);
  const auto start = std::chrono::steady_clock::now();
  const auto loaded = load_program(bytes);
  REQUIRE(std::holds_alternative<Program>(loaded));
  Machine machine(std::get<Program>(loaded));
  const std::vector<Value> facts{Value::unknown()};
  const Result r = machine.evaluate(facts);
  CHECK(r.uncertain);
  CHECK(r.fired.empty());  // every rule may fire, none for sure
  CHECK_FALSE(r.outputs[0].settled);
  CHECK(r.missing == std::vector<std::uint32_t>{0});
  const std::vector<Dependence> deps = conditional_answers(machine, facts, nullptr, r);
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].branches.size() == 2);  // x true: every other rule sets the target aside; false: nothing applies
  const double took = seconds_since(start);
  MESSAGE(bytes.size() << " bytes loaded, verified and evaluated three times in " << took << " s");
  CHECK(took < 20);
}

TEST_CASE("a file larger than the bytecode limit is refused before it is read") {
  const std::string big(kMaxBytecodeFileBytes + 1, 'x');
  const auto loaded = load_program(big);
  REQUIRE(std::holds_alternative<BytecodeError>(loaded));
  CHECK(std::get<BytecodeError>(loaded).message.find("may hold at most") != std::string::npos);
}
