// The VM: runs a verified program over the slots of one case.
#pragma once

#include <vector>

#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc {

// A machine owns the workspace for one program; evaluating a case reuses it and allocates nothing.
// The program must have passed verify_program (runtime/bytecode.hpp): the VM does not re-check bounds.
class Machine {
 public:
  explicit Machine(const Program& program);

  // facts: one value per program fact, in order (see bind_case). The result stays valid until the
  // next call.
  const Result& evaluate(const std::vector<Value>& facts);

 private:
  void resolve(std::uint32_t output);
  // The first rule (by index) that overrides `rule` and fired, or -1. Asked only once every rule
  // overriding `rule` has fired (the verifier checks the order), so it is computed once per case.
  [[nodiscard]] std::int64_t suppressor(std::uint32_t rule);
  void collect_missing();

  struct Writer {
    std::uint32_t rule;
    std::uint64_t value;
  };

  const Program& program_;
  std::vector<Value> slots_;
  std::vector<std::uint8_t> missing_mark_;
  std::vector<std::vector<Writer>> writers_;    // per output, each effect on it, in rule order
  std::vector<std::int64_t> suppressor_;        // per rule: kNotYet, or suppressor()'s answer
  std::vector<std::uint8_t> overrides_fired_;   // per rule: it overrides a rule that fired
  Result result_;
};

}  // namespace secretc
