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

#include "runtime/program.hpp"

namespace secretc {

inline constexpr std::uint32_t kBytecodeVersion = 2;

// The largest bytecode file the loader accepts (and the compiler writes): the loader allocates in
// proportion to the file, so a bound on the file bounds the memory a file can make it take.
inline constexpr std::size_t kMaxBytecodeFileBytes = 64U << 20U;

// What is wrong with a bytecode file, and where (a byte offset, and the section when known).
struct BytecodeError {
  std::string message;
};

std::string serialize_program(const Program& program);

// Parses and verifies; on failure, says what is wrong and where. Never throws for any input.
std::variant<Program, BytecodeError> load_program(std::string_view bytes);

// Checks every table and instruction of a program (also used on freshly compiled programs in tests).
// Returns an empty string when the program is valid.
std::string verify_program(const Program& program);

}  // namespace secretc
