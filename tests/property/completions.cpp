#include "tests/property/completions.hpp"

#include <algorithm>
#include <set>

namespace secretc::property {

namespace {

Truth truth(const Value& v) {
  return truth_of(v);
}

Value of_truth(Truth t) {
  return t == Truth::Unknown ? Value::unknown() : Value::of(t == Truth::True ? 1 : 0);
}

Truth and3(Truth a, Truth b) {
  if (a == Truth::False || b == Truth::False) return Truth::False;
  return a == Truth::True && b == Truth::True ? Truth::True : Truth::Unknown;
}

Truth or3(Truth a, Truth b) {
  if (a == Truth::True || b == Truth::True) return Truth::True;
  return a == Truth::False && b == Truth::False ? Truth::False : Truth::Unknown;
}

Truth not3(Truth a) {
  return a == Truth::Unknown ? a : (a == Truth::True ? Truth::False : Truth::True);
}

// A comparison of two values, ⊥ when either is.
template <typename Cmp>
Value compare(const Value& x, const Value& y, Cmp cmp) {
  if (!x.known || !y.known) return Value::unknown();
  return Value::of(cmp(x.payload, y.payload) ? 1 : 0);
}

}  // namespace

std::vector<Value> representative_values(const Program& p, Type type, const std::vector<Value>& case_facts) {
  std::vector<Value> out;
  if (type.kind == TypeKind::Bool) return {Value::of(0), Value::of(1)};
  if (type.kind == TypeKind::Enum) {
    for (std::size_t m = 0; m < p.enums[type.enum_id].members.size(); ++m)
      out.push_back(Value::of(static_cast<std::int64_t>(m)));
    return out;
  }
  std::set<std::int64_t> values;
  const bool neighbours = type.kind == TypeKind::Integer || type.kind == TypeKind::Date;
  for (std::size_t k = 0; k < p.constants.size(); ++k) {
    if (!(p.constant_types[k] == type)) continue;
    const std::int64_t c = p.constants[k].payload;
    values.insert(c);
    if (neighbours) values.insert({c - 1, c + 1});
  }
  if (type.kind == TypeKind::Date) {
    for (const RuleInfo& r : p.rules) {
      for (const auto& bound : {r.valid_from, r.valid_until}) {
        if (bound) values.insert({*bound - 1, *bound});
      }
    }
  }
  if (type.kind == TypeKind::String) {
    for (std::size_t s = 0; s < p.strings.size(); ++s) values.insert(static_cast<std::int64_t>(s));
  }
  // Values the case gives facts of this type: a fact compared with another may equal it.
  for (std::size_t f = 0; f < p.facts.size() && f < case_facts.size(); ++f) {
    if (p.facts[f].type == type && case_facts[f].known) values.insert(case_facts[f].payload);
  }
  // One value no constant has: past every program string, past every number and day.
  std::int64_t fresh = 0;
  if (type.kind == TypeKind::String) {
    fresh = static_cast<std::int64_t>(p.strings.size());
    while (values.count(fresh) != 0) ++fresh;
  } else if (type.kind == TypeKind::Article) {
    for (const char* a : {"999", "998bis", "997ter", "996/5"}) {
      fresh = *parse_article(a);
      if (values.count(fresh) == 0) break;
    }
  } else {
    fresh = values.empty() ? (type.kind == TypeKind::Date ? *parse_date("2024-05-01") : 0) : *values.rbegin() + 7;
  }
  values.insert(fresh);
  for (const std::int64_t v : values) out.push_back(Value::of(v));
  return out;
}

std::optional<std::vector<std::vector<Value>>> completions(const Program& p, const BoundCase& bound,
                                                           std::size_t limit) {
  std::vector<std::vector<Value>> choices(p.facts.size());
  std::size_t count = 1;
  for (std::size_t f = 0; f < p.facts.size(); ++f) {
    const Value given = f < bound.facts.size() ? bound.facts[f] : Value::unknown();
    if (given.known) {
      choices[f] = {given};
      continue;
    }
    choices[f] = representative_values(p, p.facts[f].type, bound.facts);
    // A fact the case does not write may also stay without value; one written `?` has some value.
    const bool written = f < bound.given.size() && bound.given[f];
    if (!written) choices[f].push_back(Value::unknown());
    if (count > limit / choices[f].size()) return std::nullopt;
    count *= choices[f].size();
  }
  if (count > limit) return std::nullopt;
  std::vector<std::vector<Value>> out;
  out.reserve(count);
  std::vector<std::size_t> at(p.facts.size(), 0);
  for (std::size_t n = 0; n < count; ++n) {
    std::vector<Value> c(p.facts.size());
    for (std::size_t f = 0; f < p.facts.size(); ++f) c[f] = choices[f][at[f]];
    out.push_back(std::move(c));
    for (std::size_t f = 0; f < p.facts.size(); ++f) {
      if (++at[f] < choices[f].size()) break;
      at[f] = 0;
    }
  }
  return out;
}

ConcreteEvaluator::ConcreteEvaluator(const Program& program) : p_(program) {
  const std::size_t n = program.rules.size();
  overriders_.resize(n);
  for (std::uint32_t r = 0; r < n; ++r) {
    std::vector<std::uint8_t> seen(n, 0);
    std::vector<std::uint32_t> work{r};
    while (!work.empty()) {
      const std::uint32_t loser = work.back();
      work.pop_back();
      for (std::uint32_t w = 0; w < n; ++w) {
        const auto& o = program.rules[w].overrides;
        if (seen[w] == 0 && std::find(o.begin(), o.end(), loser) != o.end()) {
          seen[w] = 1;
          work.push_back(w);
        }
      }
    }
    for (std::uint32_t w = 0; w < n; ++w) {
      if (seen[w] != 0 && w != r) overriders_[r].push_back(w);
    }
  }
  std::uint32_t k = 0;
  for (const RuleInfo& r : program.rules) {
    first_proviso_.push_back(k);
    k += static_cast<std::uint32_t>(r.provisos.size());
  }
  first_proviso_.push_back(k);
}

Concrete ConcreteEvaluator::evaluate(const std::vector<Value>& facts) const {
  const std::size_t nr = p_.rules.size();
  Concrete out;
  out.outputs.resize(p_.outputs.size());
  out.holds.assign(nr, 0);
  out.fires.assign(nr, 0);
  out.applies.assign(nr, 0);
  out.provisos.assign(first_proviso_.back(), Truth::Unknown);
  std::vector<Value> R(p_.slot_types.size());
  std::copy_n(facts.begin(), std::min(facts.size(), p_.facts.size()), R.begin());

  const auto set_aside = [&](std::uint32_t r) {
    return std::any_of(overriders_[r].begin(), overriders_[r].end(),
                       [&](std::uint32_t s) { return out.fires[s] != 0; });
  };
  const auto resolve = [&](std::uint32_t o) {
    const OutputInfo& info = p_.outputs[o];
    Concrete::Output& v = out.outputs[o];
    std::uint64_t mask = 0;
    std::optional<std::uint64_t> decided;
    for (std::uint32_t r = 0; r < nr; ++r) {
      for (const Effect& e : p_.rules[r].effects) {
        if (e.output != o || out.fires[r] == 0 || set_aside(r)) continue;
        mask |= e.value;
        if (info.kind == OutputKind::Scalar && decided && *decided != e.value) v.conflict = true;
        if (!decided) decided = e.value;
      }
    }
    if (info.kind == OutputKind::Set) {
      v.value = Value::of(static_cast<std::int64_t>(mask));
    } else if (v.conflict) {
      v.value = Value::unknown();
    } else if (decided) {
      v.value = Value::of(static_cast<std::int64_t>(*decided));
    } else if (info.has_default) {
      v.value = Value::of(info.default_member);
    }
  };

  for (const Instr& in : p_.code) {
    switch (in.op) {
      case Opcode::Const:
        R[in.a] = p_.constants[in.b];
        break;
      case Opcode::Move:
        R[in.a] = R[in.b];
        break;
      case Opcode::Not:
        R[in.a] = of_truth(not3(truth(R[in.b])));
        break;
      case Opcode::And:
        R[in.a] = of_truth(and3(truth(R[in.b]), truth(R[in.c])));
        break;
      case Opcode::Or:
        R[in.a] = of_truth(or3(truth(R[in.b]), truth(R[in.c])));
        break;
      case Opcode::Eq:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x == y; });
        break;
      case Opcode::Ne:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x != y; });
        break;
      case Opcode::Lt:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x < y; });
        break;
      case Opcode::Le:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x <= y; });
        break;
      case Opcode::Gt:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x > y; });
        break;
      case Opcode::Ge:
        R[in.a] = compare(R[in.b], R[in.c], [](auto x, auto y) { return x >= y; });
        break;
      case Opcode::In:
        R[in.a] = compare(R[in.b], R[in.c], [](std::int64_t m, std::int64_t set) {
          return m >= 0 && m < 64 && ((static_cast<std::uint64_t>(set) >> m) & 1U) != 0;
        });
        break;
      case Opcode::Known:
        R[in.a] = Value::of(R[in.b].known ? 1 : 0);
        break;
      case Opcode::Proviso:
        out.provisos[in.a] = truth(R[in.b]);
        break;
      case Opcode::Fire: {
        const RuleInfo& rule = p_.rules[in.a];
        bool in_force = true;
        if (rule.valid_from || rule.valid_until) {
          // A dated rule needs the situation's day: without one it is in force on no day.
          const Value day = R[*p_.date_fact];
          in_force = day.known && !(rule.valid_from && day.payload < *rule.valid_from) &&
                     !(rule.valid_until && day.payload >= *rule.valid_until);
        }
        const bool holds = in_force && truth(R[in.b]) == Truth::True;
        bool proviso_false = false;
        for (std::uint32_t k = first_proviso_[in.a]; k < first_proviso_[in.a + 1]; ++k) {
          proviso_false = proviso_false || out.provisos[k] == Truth::False;
        }
        out.holds[in.a] = holds ? 1 : 0;
        out.fires[in.a] = holds && !proviso_false ? 1 : 0;
        break;
      }
      case Opcode::Resolve:
        resolve(in.a);
        break;
      case Opcode::LoadOutput:
        R[in.a] = out.outputs[in.b].value;
        break;
      case Opcode::Count_:
        break;
    }
  }
  for (std::uint32_t r = 0; r < nr; ++r) out.applies[r] = out.fires[r] != 0 && !set_aside(r) ? 1 : 0;
  return out;
}

}  // namespace secretc::property
