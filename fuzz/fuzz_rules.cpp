// Fuzz target: the rule-language front end. Any bytes as a rule file: parse, check, lower, verify,
// render the diagnostics; when it compiles, the bytecode round trip, the file's own tests, and the VM
// against the reference evaluator on a few well-typed cases.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/compile.hpp"
#include "compiler/test_runner.hpp"
#include "fuzz/fuzz_support.hpp"
#include "runtime/disasm.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secretc;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Compilation c = compile_texts({{"fuzz.rules", text}});
  const std::string rendered = render_all(c.diags, c.sources);
  for (const Diagnostic& d : c.diags.all()) {
    // The kind, not the rendering: the rendering quotes the input, which may say anything.
    if (d.kind() == Msg::InternalError) fuzz::fuzz_fail("the compiler made a program its verifier refuses", rendered);
  }
  if (c.diags.has_errors() == c.program.has_value()) {
    fuzz::fuzz_fail("a program came with errors, or no program without any", rendered);
  }
  if (!c.program) return 0;

  fuzz::require_round_trip(*c.program);
  (void)disassemble(*c.program);
  Diagnostics test_diags;
  (void)run_tests(*c.model, *c.program, 19844, test_diags);
  for (const std::uint64_t choice :
       {0ULL, 0x9249249249249249ULL, 0xfedcba9876543210ULL, 0x0123456789abcdefULL, 0xffffffffffffffffULL}) {
    const fuzz::FuzzCase k = fuzz::case_for(*c.program, choice);
    fuzz::require_agreement(*c.model, *c.program, k.facts, k.written);
  }
  return 0;
}
