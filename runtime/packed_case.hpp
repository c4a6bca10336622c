// A case packed in few bytes, for a program that holds many: a bound case (runtime/case.hpp) keeps 16
// bytes a fact and a bit vector, each in an allocation of its own; packed, the workload's 32 facts take
// 47 bytes (512 as values), and a million cases lie in one buffer.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/program.hpp"

namespace secretc {

// The layout of a program's packed cases: the facts' known bits, their given bits (written in the case,
// even as `?`: BoundCase::given), then each fact's payload, one byte for a bool or an enum member, eight
// (unaligned, in the machine's byte order: packed cases are for memory, not for files) for the other
// types. An unknown fact's payload bytes are zero.
class CaseLayout {
 public:
  explicit CaseLayout(const Program& program);

  [[nodiscard]] std::size_t size() const { return size_; }  // the bytes of one case

  // Packs one case (one value per fact, as bind_case gives them) into `out` (size() bytes). False, and
  // `out` left as it was, when a bool or an enum fact holds a value outside 0–254 (outside its type:
  // keep such a case as values), or `facts` is not one value per fact.
  bool pack(const std::vector<Value>& facts, const std::vector<bool>* given, std::uint8_t* out) const;
  // The case back as values and given bits.
  void unpack(const std::uint8_t* in, std::vector<Value>& facts, std::vector<bool>& given) const;

  [[nodiscard]] bool all_known(const std::uint8_t* in) const {
    for (std::size_t i = 0; i + 1 < bit_bytes_; ++i) {
      if (in[i] != 0xFF) return false;
    }
    return bit_bytes_ == 0 || (in[bit_bytes_ - 1] & last_mask_) == last_mask_;
  }
  // A fact's payload (known or not).
  [[nodiscard]] std::int64_t payload(const std::uint8_t* in, std::uint32_t fact) const {
    const Field f = fields_[fact];
    if (f.wide == 0) return in[f.offset];
    std::int64_t v = 0;
    std::memcpy(&v, in + f.offset, sizeof v);
    return v;
  }

 private:
  struct Field {
    std::uint32_t offset = 0;
    std::uint32_t wide = 0;  // 1: eight bytes
  };
  std::vector<Field> fields_;
  std::size_t bit_bytes_ = 0;  // the known bits; the given bits follow
  std::uint8_t last_mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace secretc
