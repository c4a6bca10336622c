// Fuzz target: the bytecode loader, verifier and VM. The input is loaded as it is (so that damage is
// caught by the checksum) and with its checksum repaired (so that mutations reach the sections and the
// verifier). A program that loads must verify, serialise back to the same bytes, disassemble, and run
// on well-typed cases, with their conditional answers, and its decision tree give the answers of the
// machine without one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "runtime/disasm.hpp"

namespace {

void load_and_run(std::string_view bytes) {
  using namespace secretc;
  auto loaded = load_program(bytes);
  if (std::holds_alternative<BytecodeError>(loaded)) return;
  const Program& program = std::get<Program>(loaded);
  if (const std::string problem = verify_program(program); !problem.empty()) {
    fuzz::fuzz_fail("a loaded program does not verify", problem);
  }
  // Every accepted file has one encoding: what loads serialises back to the same bytes.
  if (serialize_program(program) != bytes) fuzz::fuzz_fail("a loaded program serialises to other bytes");
  (void)disassemble(program);
  Machine machine(program);
  for (const std::uint64_t choice : {0ULL, 0x9249249249249249ULL, 0xfedcba9876543210ULL, 0xffffffffffffffffULL}) {
    const fuzz::FuzzCase k = fuzz::case_for(program, choice);
    (void)fuzz::evaluate_with_branches(machine, k.facts, k.written);
  }
  // The decision tree (runtime/vm.cpp), grown from the first case: on cases whose every fact is known,
  // its answers are those of the machine without it.
  Machine tree(program), plain(program);
  tree.set_tree_limits(0, 1U << 10, 256, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  for (const std::uint64_t choice : {0ULL, 0x9249249249249249ULL, 0xfedcba9876543210ULL, 0xffffffffffffffffULL,
                                     0x0123456789abcdefULL, 0x5555555555555555ULL}) {
    fuzz::FuzzCase k = fuzz::case_for(program, choice);
    for (Value& v : k.facts) {
      if (!v.known) v = Value::of(0);
    }
    const Result want = plain.evaluate(k.facts);
    if (!(tree.evaluate(k.facts) == want)) fuzz::fuzz_fail("the decision tree and the machine without it disagree");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load_and_run(bytes);
  if (size >= 8) {
    std::string repaired(bytes.substr(0, size - 8));
    const std::uint64_t sum = secretc::fnv1a64(repaired);
    for (unsigned i = 0; i < 8; ++i) repaired.push_back(static_cast<char>(sum >> (8 * i)));
    if (repaired != bytes) load_and_run(repaired);
  }
  return 0;
}
