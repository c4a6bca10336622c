#include "runtime/packed_case.hpp"

#include <algorithm>

namespace secretc {

CaseLayout::CaseLayout(const Program& program) {
  const std::size_t n = program.facts.size();
  bit_bytes_ = (n + 7) / 8;
  last_mask_ = n % 8 == 0 ? std::uint8_t{0xFF} : static_cast<std::uint8_t>((1U << (n % 8)) - 1);
  std::size_t at = 2 * bit_bytes_;
  fields_.resize(n);
  for (std::size_t f = 0; f < n; ++f) {
    const TypeKind k = program.facts[f].type.kind;
    const bool narrow = k == TypeKind::Bool || k == TypeKind::Enum;
    fields_[f] = {static_cast<std::uint32_t>(at), narrow ? 0U : 1U};
    at += narrow ? 1 : 8;
  }
  size_ = at;
}

bool CaseLayout::pack(const std::vector<Value>& facts, const std::vector<bool>* given, std::uint8_t* out) const {
  if (facts.size() != fields_.size()) return false;
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const std::int64_t p = facts[f].known ? facts[f].payload : 0;
    if (fields_[f].wide == 0 && (p < 0 || p > 254)) return false;
  }
  std::fill(out, out + size_, std::uint8_t{0});
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const Value& v = facts[f];
    if (v.known) out[f / 8] |= static_cast<std::uint8_t>(1U << (f % 8));
    if (given != nullptr && f < given->size() && (*given)[f]) {
      out[bit_bytes_ + f / 8] |= static_cast<std::uint8_t>(1U << (f % 8));
    }
    if (!v.known) continue;
    if (fields_[f].wide == 0) {
      out[fields_[f].offset] = static_cast<std::uint8_t>(v.payload);
    } else {
      std::memcpy(out + fields_[f].offset, &v.payload, sizeof v.payload);
    }
  }
  return true;
}

void CaseLayout::unpack(const std::uint8_t* in, std::vector<Value>& facts, std::vector<bool>& given) const {
  facts.resize(fields_.size());
  given.resize(fields_.size());
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const bool known = ((in[f / 8] >> (f % 8)) & 1U) != 0;
    facts[f] = known ? Value::of(payload(in, static_cast<std::uint32_t>(f))) : Value::unknown();
    given[f] = ((in[bit_bytes_ + f / 8] >> (f % 8)) & 1U) != 0;
  }
}

}  // namespace secretc
