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
  // The first rule (by index) that overrides `rule` and fired, or -1.
  [[nodiscard]] std::int64_t suppressor(std::uint32_t rule) const;
  void collect_missing();

  const Program& program_;
  std::vector<Value> slots_;
  std::vector<std::uint8_t> missing_mark_;
  std::vector<std::vector<std::uint32_t>> writers_;  // per output, the rules with an effect on it
  Result result_;
};

}  // namespace secretc
