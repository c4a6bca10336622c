#include "compiler/reference_eval.hpp"

#include <algorithm>
#include <optional>

namespace secretc {

namespace {

using ast::Expr;
using ast::ExprKind;

enum class T3 { F, T, U };

class Reference {
 public:
  Reference(const Model& m, const std::vector<Value>& facts) : m_(m), facts_(facts) {
    const std::size_t nr = m.ast.rules.size();
    cond_.assign(nr, std::nullopt);
    define_.assign(m.ast.defines.size(), std::nullopt);
    output_.assign(m.outputs.size(), std::nullopt);
    // Precedence, recomputed from the written `overrides` rather than taken from the checker.
    overriders_.assign(nr, {});
    for (std::uint32_t r = 0; r < nr; ++r) {
      std::vector<bool> seen(nr, false);
      std::vector<std::uint32_t> work{r};
      while (!work.empty()) {
        const std::uint32_t x = work.back();
        work.pop_back();
        for (std::uint32_t s = 0; s < nr; ++s) {
          const auto& o = m.overrides[s];
          if (!seen[s] && std::find(o.begin(), o.end(), x) != o.end()) {
            seen[s] = true;
            work.push_back(s);
          }
        }
      }
      for (std::uint32_t s = 0; s < nr; ++s) {
        if (seen[s] && s != r) overriders_[r].push_back(s);
      }
    }
  }

  Result run() {
    Result res;
    const std::size_t nr = m_.ast.rules.size();
    for (std::uint32_t o = 0; o < m_.outputs.size(); ++o) res.outputs.push_back(output(o));
    for (std::uint32_t r = 0; r < nr; ++r) res.conditions.push_back(to_truth(rule(r)));
    for (std::uint32_t r = 0; r < nr; ++r) {
      if (rule(r) != T3::T) continue;
      if (const auto by = suppressor(r)) {
        res.overridden.push_back({r, *by});
      } else {
        res.fired.push_back(r);
      }
    }
    res.conflicts = conflicts_;
    std::sort(res.conflicts.begin(), res.conflicts.end(),
              [&](const Conflict& a, const Conflict& b) { return position(a.output) < position(b.output); });
    res.missing = missing(res);
    return res;
  }

 private:
  static Truth to_truth(T3 t) { return t == T3::T ? Truth::True : t == T3::F ? Truth::False : Truth::Unknown; }
  static T3 of(const Value& v) { return !v.known ? T3::U : (v.payload != 0 ? T3::T : T3::F); }
  static Value from(T3 t) { return t == T3::U ? Value::unknown() : Value::of(t == T3::T ? 1 : 0); }

  // Where an output is resolved in the program, to report conflicts in the VM's order.
  std::size_t position(std::uint32_t output) const {
    for (std::size_t i = 0; i < m_.order.size(); ++i) {
      if (m_.order[i].kind == EvalStep::Kind::Resolve && m_.order[i].index == output) return i;
    }
    return m_.order.size();
  }

  T3 rule(std::uint32_t r) {
    if (cond_[r]) return *cond_[r];
    const auto& a = m_.ast.rules[r];
    T3 in_force = T3::T;
    if (a.valid_from || a.valid_until) {
      const Value& date = facts_[static_cast<std::size_t>(m_.date_fact)];
      if (!date.known) {
        in_force = T3::U;
      } else if ((a.valid_from && date.payload < *a.valid_from) || (a.valid_until && date.payload >= *a.valid_until)) {
        in_force = T3::F;
      }
    }
    const T3 when = a.when ? of(eval(*a.when)) : T3::T;
    const T3 c = in_force == T3::F || when == T3::F ? T3::F : (in_force == T3::T && when == T3::T ? T3::T : T3::U);
    cond_[r] = c;
    return c;
  }

  std::optional<std::uint32_t> suppressor(std::uint32_t r) {
    for (const std::uint32_t s : overriders_[r]) {
      if (rule(s) == T3::T) return s;
    }
    return std::nullopt;
  }

  OutputValue output(std::uint32_t o) {
    if (output_[o]) return *output_[o];
    const OutputInfo& info = m_.outputs[o];
    OutputValue out;
    std::uint64_t mask = 0;
    std::optional<std::pair<std::uint32_t, std::uint64_t>> first;
    for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) {
      for (const Effect& e : m_.effects[r]) {
        if (e.output != o || rule(r) != T3::T || suppressor(r)) continue;
        if (info.kind == OutputKind::Set) {
          mask |= e.value;
        } else if (!first) {
          first = {r, e.value};
        } else if (!out.conflict && first->second != e.value) {
          out.conflict = true;
          conflicts_.push_back({o, first->first, r});
        }
      }
    }
    if (info.kind == OutputKind::Set) {
      out.value = Value::of(static_cast<std::int64_t>(mask));
    } else if (out.conflict) {
      out.value = Value::unknown();
    } else if (first) {
      out.value = Value::of(static_cast<std::int64_t>(first->second));
    } else if (info.has_default) {
      out.value = Value::of(info.default_member);
    }
    output_[o] = out;
    return out;
  }

  Value eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return Value::of(e.literal_kind == ast::LiteralKind::String ? e.target : e.number);
      case ExprKind::Name:
        switch (e.name_kind) {
          case ast::NameKind::Fact: return facts_[e.target];
          case ast::NameKind::Definition:
            if (!define_[e.target]) define_[e.target] = eval(*m_.ast.defines[e.target].value);
            return *define_[e.target];
          case ast::NameKind::Output: return output(e.target).value;
          case ast::NameKind::Member: return Value::of(e.target);
          case ast::NameKind::Unresolved: return Value::unknown();
        }
        return Value::unknown();
      case ExprKind::Not: {
        const T3 t = of(eval(*e.operands[0]));
        return from(t == T3::U ? T3::U : (t == T3::T ? T3::F : T3::T));
      }
      case ExprKind::And: {
        bool unknown = false;
        for (const auto& op : e.operands) {
          const T3 t = of(eval(*op));
          if (t == T3::F) return from(T3::F);
          unknown = unknown || t == T3::U;
        }
        return from(unknown ? T3::U : T3::T);
      }
      case ExprKind::Or: {
        bool unknown = false;
        for (const auto& op : e.operands) {
          const T3 t = of(eval(*op));
          if (t == T3::T) return from(T3::T);
          unknown = unknown || t == T3::U;
        }
        return from(unknown ? T3::U : T3::F);
      }
      case ExprKind::IsKnown: {
        const bool known = eval(*e.operands[0]).known;
        return Value::of(known != e.negated ? 1 : 0);
      }
      case ExprKind::Compare: {
        std::vector<Value> vals;
        for (const auto& op : e.operands) vals.push_back(eval(*op));
        bool unknown = false;
        for (std::size_t i = 0; i < e.ops.size(); ++i) {
          if (!vals[i].known || !vals[i + 1].known) {
            unknown = true;
            continue;
          }
          if (!holds(e.ops[i], vals[i].payload, vals[i + 1].payload)) return from(T3::F);
        }
        return from(unknown ? T3::U : T3::T);
      }
      case ExprKind::In: return membership(e);
    }
    return Value::unknown();
  }

  static bool holds(ast::CompareOp op, std::int64_t a, std::int64_t b) {
    switch (op) {
      case ast::CompareOp::Eq: return a == b;
      case ast::CompareOp::Ne: return a != b;
      case ast::CompareOp::Lt: return a < b;
      case ast::CompareOp::Le: return a <= b;
      case ast::CompareOp::Gt: return a > b;
      case ast::CompareOp::Ge: return a >= b;
    }
    return false;
  }

  Value membership(const Expr& e) {
    const Value x = eval(*e.operands[0]);
    T3 result = T3::F;
    if (!x.known) {
      result = T3::U;
    } else if (!e.set_literal && e.operands[1]->name_kind == ast::NameKind::Output) {
      const Value set = output(e.operands[1]->target).value;
      result = !set.known ? T3::U : (((static_cast<std::uint64_t>(set.payload) >> x.payload) & 1U) != 0 ? T3::T : T3::F);
    } else {
      const auto& items = e.set_literal ? e.set_items : m_.ast.defines[e.operands[1]->target].value->set_items;
      for (const auto& item : items) {
        if (item.hi) {
          if (x.payload >= item_value(*item.lo) && x.payload <= item_value(*item.hi)) result = T3::T;
        } else if (x.payload == item_value(*item.lo)) {
          result = T3::T;
        }
      }
    }
    if (e.negated && result != T3::U) result = result == T3::T ? T3::F : T3::T;
    return from(result);
  }

  // The payload of a constant in a set: a member's index, a string's id, or a literal's number.
  static std::int64_t item_value(const Expr& e) {
    if (e.kind == ExprKind::Name) return e.target;
    return e.literal_kind == ast::LiteralKind::String ? e.target : e.number;
  }

  // A rule whose condition is unknown matters when firing it would change an output.
  std::vector<std::uint32_t> missing(const Result& res) {
    std::vector<bool> mark(m_.ast.facts.size(), false);
    for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) {
      if (rule(r) != T3::U || suppressor(r)) continue;
      bool changes = false;
      for (const std::uint32_t f : res.fired) {
        const auto& over = overriders_[f];
        if (std::find(over.begin(), over.end(), r) != over.end()) changes = true;
      }
      for (const Effect& e : m_.effects[r]) {
        const OutputValue& cur = res.outputs[e.output];
        if (m_.outputs[e.output].kind == OutputKind::Set) {
          if ((e.value & ~static_cast<std::uint64_t>(cur.value.payload)) != 0) changes = true;
        } else if (cur.conflict || !cur.value.known || static_cast<std::uint64_t>(cur.value.payload) != e.value) {
          changes = true;
        }
      }
      if (!changes) continue;
      for (const std::uint32_t f : m_.facts_read[r]) {
        if (!facts_[f].known) mark[f] = true;
      }
    }
    std::vector<std::uint32_t> out;
    for (std::uint32_t f = 0; f < mark.size(); ++f) {
      if (mark[f]) out.push_back(f);
    }
    return out;
  }

  const Model& m_;
  const std::vector<Value>& facts_;
  std::vector<std::optional<T3>> cond_;
  std::vector<std::optional<Value>> define_;
  std::vector<std::optional<OutputValue>> output_;
  std::vector<std::vector<std::uint32_t>> overriders_;
  std::vector<Conflict> conflicts_;
};

}  // namespace

Result evaluate_reference(const Model& model, const std::vector<Value>& facts) { return Reference(model, facts).run(); }

}  // namespace secretc
