// The `.secbc` file: serialisation, loading and verification of a Program (the verifier: verify.cpp).
//
// Layout (all integers little-endian):
//   magic "SECRETBC" (8 bytes) | format version u32 | section count u32
//   sections, each: id u32 | byte length u32 | payload
//   checksum u64: FNV-1a 64 of every byte before it
// A loaded file is trusted only after verify_program: a program that passes cannot make the VM
// read or write out of bounds, use a value at the wrong type, or run a rule before what it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/messages.hpp"
#include "runtime/program.hpp"

namespace secretc {

inline constexpr std::uint32_t kBytecodeVersion = 2;

// The largest bytecode file the loader accepts (and the compiler writes): the loader allocates in
// proportion to the file, so a bound on the file bounds the memory a file can make it take.
inline constexpr std::size_t kMaxBytecodeFileBytes = 64U << 20U;

// A message made of catalogue messages (runtime/messages.def, the Bytecode* and Verify* ones), outermost
// first: each but the last takes the text of the next, rendered in the same language, as its last argument.
// `section {0} at byte {1}: {2}`, then `rule {0}: {1}`, then `the flag {1} is {0}; a flag is 0 or 1`, then
// the field `valid_from`: "section RULES at byte 0x1c: rule 3: the flag valid_from is 2; a flag is 0 or 1".
std::string nested_text(const std::vector<Message>& chain, TextLang lang);

// What is wrong with a bytecode file, and where (a byte offset, and the section when known).
struct BytecodeError {
  std::vector<Message> detail;  // outermost first (nested_text)
  std::string message;          // the detail in English, for programs and tests that read it

  explicit BytecodeError(std::vector<Message> chain);
  // The detail in a language, for a person.
  [[nodiscard]] std::string text(TextLang lang) const { return nested_text(detail, lang); }
};

std::string serialize_program(const Program& program);

// Parses and verifies; on failure, says what is wrong and where. Never throws for any input.
std::variant<Program, BytecodeError> load_program(std::string_view bytes);

// Checks every table and instruction of a program (also used on freshly compiled programs in tests).
// Returns an empty string when the program is valid, else what is wrong, in English.
std::string verify_program(const Program& program);
// What is wrong with the program, in the catalogue's messages (nested_text), or nothing when it is valid.
std::vector<Message> verify_program_detail(const Program& program);

}  // namespace secretc
