// Crafted bytecode that is valid but shaped to make the verifier or the VM do quadratic work: a file
// can be 64 MiB, so the work on it must stay linear in its size.
#include <doctest/doctest.h>

#include <chrono>
#include <variant>

#include "runtime/bytecode.hpp"
#include "runtime/vm.hpp"

using namespace secretc;

namespace {

// One rule writing every output, set aside by every other rule: the verifier used to look at all the
// overriders once per output (outputs × rules), the VM too, once per output and once per missing rule.
Program crafted(std::uint32_t width) {
  Program p;
  p.enums.push_back({"e", {"a", "b"}, {}});
  p.slot_types.push_back({TypeKind::Bool, 0});
  p.slot_names.emplace_back();
  p.constants.push_back(Value::of(1));
  p.constant_types.push_back({TypeKind::Bool, 0});
  p.code.push_back({Opcode::Const, 0, 0, 0});
  RuleInfo target;
  target.name = "target";
  for (std::uint32_t o = 0; o < width; ++o) {
    p.outputs.push_back({"o", OutputKind::Scalar, 0, false, 0});
    target.effects.push_back({o, 1});
  }
  for (std::uint32_t r = 1; r <= width; ++r) target.overriders.push_back(r);
  p.rules.push_back(std::move(target));
  for (std::uint32_t r = 1; r <= width; ++r) {
    RuleInfo other;
    other.name = "r";
    other.effects.push_back({r - 1, 0});
    p.rules.push_back(std::move(other));
  }
  for (std::uint32_t r = 0; r <= width; ++r) p.code.push_back({Opcode::Fire, r, 0, 0});
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

TEST_CASE("a file larger than the bytecode limit is refused before it is read") {
  const std::string big(kMaxBytecodeFileBytes + 1, 'x');
  const auto loaded = load_program(big);
  REQUIRE(std::holds_alternative<BytecodeError>(loaded));
  CHECK(std::get<BytecodeError>(loaded).message.find("may hold at most") != std::string::npos);
}
