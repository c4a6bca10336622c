#include "runtime/vm.hpp"

#include <algorithm>

namespace secretc {

namespace {
constexpr std::int64_t kNotYet = -2;  // a suppressor not asked for yet in this case
}  // namespace

// Every piece of work of an evaluation is linear in the program, whatever the program: the verifier
// bounds the tables by the file's size, and nothing here loops over one table inside another.
Machine::Machine(const Program& program) : program_(program) {
  slots_.resize(program.slot_types.size());
  missing_mark_.resize(program.facts.size());
  writers_.resize(program.outputs.size());
  for (std::uint32_t r = 0; r < program.rules.size(); ++r) {
    for (const Effect& e : program.rules[r].effects) writers_[e.output].push_back({r, e.value});
  }
  suppressor_.resize(program.rules.size());
  overrides_fired_.resize(program.rules.size());
  result_.outputs.resize(program.outputs.size());
  result_.conditions.resize(program.rules.size());
  result_.fired.reserve(program.rules.size());
  result_.overridden.reserve(program.rules.size());
  result_.conflicts.reserve(program.outputs.size());
  result_.missing.reserve(program.facts.size());
}

std::int64_t Machine::suppressor(std::uint32_t rule) {
  std::int64_t& found = suppressor_[rule];
  if (found != kNotYet) return found;
  found = -1;
  for (const std::uint32_t s : program_.rules[rule].overriders) {
    if (result_.conditions[s] == Truth::True) {
      found = s;
      break;
    }
  }
  return found;
}

namespace {
Value make_bool(Truth t) { return t == Truth::Unknown ? Value::unknown() : Value::of(t == Truth::True ? 1 : 0); }

Truth kleene_and(Truth a, Truth b) {
  if (a == Truth::False || b == Truth::False) return Truth::False;
  if (a == Truth::True && b == Truth::True) return Truth::True;
  return Truth::Unknown;
}

Truth kleene_or(Truth a, Truth b) {
  if (a == Truth::True || b == Truth::True) return Truth::True;
  if (a == Truth::False && b == Truth::False) return Truth::False;
  return Truth::Unknown;
}

template <typename Cmp>
Value compare(const Value& x, const Value& y, Cmp cmp) {
  if (!x.known || !y.known) return Value::unknown();
  return Value::of(cmp(x.payload, y.payload) ? 1 : 0);
}
}  // namespace

void Machine::resolve(std::uint32_t output) {
  const OutputInfo& info = program_.outputs[output];
  OutputValue& out = result_.outputs[output];
  out = OutputValue{};
  bool decided = false;
  std::uint64_t mask = 0;
  std::uint32_t decider = 0;
  for (const Writer& w : writers_[output]) {
    if (result_.conditions[w.rule] != Truth::True || suppressor(w.rule) >= 0) continue;
    if (info.kind == OutputKind::Set) {
      mask |= w.value;
    } else if (!decided) {
      decided = true;
      decider = w.rule;
      out.value = Value::of(static_cast<std::int64_t>(w.value));
    } else if (!out.conflict && static_cast<std::uint64_t>(out.value.payload) != w.value) {
      out.conflict = true;
      result_.conflicts.push_back({output, decider, w.rule});
    }
  }
  if (info.kind == OutputKind::Set) {
    out.value = Value::of(static_cast<std::int64_t>(mask));
  } else if (out.conflict) {
    out.value = Value::unknown();
  } else if (!decided && info.has_default) {
    out.value = Value::of(info.default_member);
  }
}

void Machine::collect_missing() {
  std::fill(missing_mark_.begin(), missing_mark_.end(), 0);
  std::fill(overrides_fired_.begin(), overrides_fired_.end(), 0);
  for (const std::uint32_t f : result_.fired) {
    for (const std::uint32_t s : program_.rules[f].overriders) overrides_fired_[s] = 1;
  }
  for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
    if (result_.conditions[r] != Truth::Unknown || suppressor(r) >= 0) continue;
    const RuleInfo& rule = program_.rules[r];
    // Firing, it would set aside a rule that decided something now.
    bool would_change = overrides_fired_[r] != 0;
    for (const Effect& e : rule.effects) {
      const OutputValue& cur = result_.outputs[e.output];
      if (program_.outputs[e.output].kind == OutputKind::Set) {
        would_change = would_change || (e.value & ~static_cast<std::uint64_t>(cur.value.payload)) != 0;
      } else {
        would_change = would_change || cur.conflict || !cur.value.known ||
                       static_cast<std::uint64_t>(cur.value.payload) != e.value;
      }
    }
    if (!would_change) continue;
    for (const std::uint32_t f : rule.facts_read) {
      if (!slots_[f].known) missing_mark_[f] = 1;
    }
  }
  for (std::uint32_t f = 0; f < missing_mark_.size(); ++f) {
    if (missing_mark_[f]) result_.missing.push_back(f);
  }
}

const Result& Machine::evaluate(const std::vector<Value>& facts) {
  // One value per fact is the contract (bind_case keeps it); a shorter vector leaves the rest unknown
  // rather than letting a previous case's values through, a longer one is cut.
  const std::size_t n = std::min(facts.size(), program_.facts.size());
  std::copy(facts.begin(), facts.begin() + static_cast<std::ptrdiff_t>(n), slots_.begin());
  std::fill(slots_.begin() + static_cast<std::ptrdiff_t>(n), slots_.begin() + static_cast<std::ptrdiff_t>(program_.facts.size()),
            Value::unknown());
  result_.fired.clear();
  result_.overridden.clear();
  result_.conflicts.clear();
  result_.missing.clear();
  std::fill(result_.conditions.begin(), result_.conditions.end(), Truth::Unknown);
  std::fill(suppressor_.begin(), suppressor_.end(), kNotYet);
  Value* const R = slots_.data();
  const Value* const K = program_.constants.data();
  for (const Instr& in : program_.code) {
    switch (in.op) {
      case Opcode::Const: R[in.a] = K[in.b]; break;
      case Opcode::Move: R[in.a] = R[in.b]; break;
      case Opcode::Not: {
        const Truth t = truth_of(R[in.b]);
        R[in.a] = make_bool(t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True));
        break;
      }
      case Opcode::And: R[in.a] = make_bool(kleene_and(truth_of(R[in.b]), truth_of(R[in.c]))); break;
      case Opcode::Or: R[in.a] = make_bool(kleene_or(truth_of(R[in.b]), truth_of(R[in.c]))); break;
      case Opcode::Eq: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x == y; }); break;
      case Opcode::Ne: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x != y; }); break;
      case Opcode::Lt: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x < y; }); break;
      case Opcode::Le: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x <= y; }); break;
      case Opcode::Gt: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x > y; }); break;
      case Opcode::Ge: R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x >= y; }); break;
      case Opcode::In:
        R[in.a] = compare(R[in.b], R[in.c], [](std::int64_t member, std::int64_t set) {
          // Members are below kMaxEnumMembers in any verified program and bound case; never shift by more.
          return member >= 0 && member < 64 && ((static_cast<std::uint64_t>(set) >> static_cast<std::uint64_t>(member)) & 1U) != 0;
        });
        break;
      case Opcode::Known: R[in.a] = Value::of(R[in.b].known ? 1 : 0); break;
      case Opcode::Fire: result_.conditions[in.a] = truth_of(R[in.b]); break;
      case Opcode::Resolve: resolve(in.a); break;
      case Opcode::LoadOutput: R[in.a] = result_.outputs[in.b].value; break;
      case Opcode::Count_: break;
    }
  }
  for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
    if (result_.conditions[r] != Truth::True) continue;
    const std::int64_t by = suppressor(r);
    if (by >= 0) {
      result_.overridden.push_back({r, static_cast<std::uint32_t>(by)});
    } else {
      result_.fired.push_back(r);
    }
  }
  collect_missing();
  return result_;
}

}  // namespace secretc
