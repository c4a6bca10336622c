// The verifier: the checks a Program passes before the VM may run it, whether it was loaded from a
// `.secbc` file (load_program) or freshly compiled (verify_program; both in bytecode.hpp, which users
// include). This header is shared by bytecode.cpp and verify.cpp only: a finding names the file section
// and the table entry it concerns, and the loader, which knows where each entry starts, turns that into a
// byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "runtime/messages.hpp"
#include "runtime/program.hpp"

namespace secretc::bytecode_internal {

// The sections of a `.secbc` file. Sections come exactly once each, in this order. Numbered from 1 so
// that a zeroed header is never valid.
enum class Section : std::uint32_t { Meta = 1, Strings, Enums, Facts, Outputs, Rules, Slots, Constants, Code };

// A verifier finding, with the table entry it concerns; load_program turns the entry into a byte offset.
// What is wrong is said by catalogue messages, outermost first (nested_text, in bytecode.hpp).
struct Problem {
  Section section = Section::Meta;
  std::size_t entry = kWholeSection;
  std::vector<Message> detail;

  static constexpr std::size_t kWholeSection = std::numeric_limits<std::size_t>::max();
};

// The first thing wrong with the program, or nothing when it is valid.
std::optional<Problem> find_problem(const Program& program);

}  // namespace secretc::bytecode_internal
