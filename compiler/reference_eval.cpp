#include "compiler/reference_eval.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace secretc {

namespace {

using ast::Expr;
using ast::ExprKind;

// What an expression may evaluate to over the completions of the case: a finite set of values (bools
// as 0/1, members as indices, exact values of other types), or any value of its type (`any`), and
// whether it may be unknown (`bottom`). Sets carry what they hold for sure and what they may hold.
// Written apart from the VM's bit masks on purpose: the two must agree.
struct Maybe {
  std::set<std::int64_t> values;
  bool any = false;
  bool bottom = false;
  std::uint64_t sure = 0, may = 0;  // sets only
  bool is_set = false;

  [[nodiscard]] bool has_value() const { return any || !values.empty() || is_set; }
  [[nodiscard]] bool can(bool b) const { return values.count(b ? 1 : 0) != 0; }
};

Maybe bottom_only() {
  Maybe m;
  m.bottom = true;
  return m;
}

Maybe one(std::int64_t v) {
  Maybe m;
  m.values.insert(v);
  return m;
}

Maybe truths(bool can_true, bool can_false, bool can_bottom) {
  Maybe m;
  if (can_true) m.values.insert(1);
  if (can_false) m.values.insert(0);
  m.bottom = can_bottom;
  return m;
}

enum class T3 { F, T, U };

T3 and3(T3 a, T3 b) {
  if (a == T3::F || b == T3::F) return T3::F;
  return a == T3::T && b == T3::T ? T3::T : T3::U;
}

T3 not3(T3 a) {
  return a == T3::U ? a : (a == T3::T ? T3::F : T3::T);
}

Truth to_truth(T3 t) {
  return t == T3::T ? Truth::True : t == T3::F ? Truth::False : Truth::Unknown;
}

class Reference {
 public:
  Reference(const Model& m, const std::vector<Value>& facts, const std::vector<bool>* written)
      : m_(m), facts_(facts), written_(written) {
    const std::size_t nr = m.ast.rules.size();
    fire_.assign(nr, std::nullopt);
    define_.assign(m.ast.defines.size(), std::nullopt);
    output_.assign(m.outputs.size(), std::nullopt);
    proviso_.assign(nr, {});
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
    for (const Value& v : facts_) res.uncertain = res.uncertain || !v.known;
    for (std::uint32_t o = 0; o < m_.outputs.size(); ++o) res.outputs.push_back(output(o));
    for (std::uint32_t r = 0; r < nr; ++r) {
      res.conditions.push_back(to_truth(fires(r)));
      res.applies.push_back(to_truth(applies(r)));
    }
    for (std::uint32_t r = 0; r < nr; ++r) {
      if (fires(r) != T3::T) continue;
      const auto [aside, by] = set_aside(r);
      if (aside == T3::T) res.overridden.push_back({r, by});
      if (aside == T3::F) res.fired.push_back(r);
    }
    res.conflicts = conflicts_;
    std::sort(res.conflicts.begin(), res.conflicts.end(),
              [&](const Conflict& a, const Conflict& b) { return position(a.output) < position(b.output); });
    std::uint32_t number = 0;
    for (std::uint32_t r = 0; r < nr; ++r) {
      const auto& provisos = m_.ast.rules[r].provisos;
      const bool stated = fires(r) == T3::T && set_aside(r).first != T3::T;
      for (std::size_t k = 0; k < provisos.size(); ++k, ++number) {
        const Maybe& p = proviso(r, k);
        const bool known_true = p.values == std::set<std::int64_t>{1} && !p.bottom;
        if (stated && !known_true) res.provisos.push_back(number);
      }
    }
    if (res.uncertain) res.missing = missing(res);
    return res;
  }

 private:
  // Where an output is resolved in the program, to report conflicts in the VM's order.
  std::size_t position(std::uint32_t output) const {
    for (std::size_t i = 0; i < m_.order.size(); ++i) {
      if (m_.order[i].kind == EvalStep::Kind::Resolve && m_.order[i].index == output) return i;
    }
    return m_.order.size();
  }

  static T3 truth_of(const Maybe& m) {
    if (m.values == std::set<std::int64_t>{1} && !m.bottom) return T3::T;
    return m.can(true) ? T3::U : T3::F;
  }

  const Maybe& proviso(std::uint32_t r, std::size_t k) {
    auto& cache = proviso_[r];
    if (cache.empty()) {
      for (const auto& p : m_.ast.rules[r].provisos) cache.push_back(eval(*p.condition));
    }
    return cache[k];
  }

  T3 fires(std::uint32_t r) {
    if (fire_[r]) return *fire_[r];
    const auto& a = m_.ast.rules[r];
    T3 in_force = T3::T;
    if (a.valid_from || a.valid_until) {
      const Maybe day = fact(static_cast<std::uint32_t>(m_.date_fact));
      if (day.values.size() == 1 && !day.any && !day.bottom) {
        const std::int64_t d = *day.values.begin();
        in_force = (a.valid_from && d < *a.valid_from) || (a.valid_until && d >= *a.valid_until) ? T3::F : T3::T;
      } else {
        in_force = day.has_value() ? T3::U : T3::F;
      }
    }
    T3 c = and3(in_force, a.when ? truth_of(eval(*a.when)) : T3::T);
    for (std::size_t k = 0; k < a.provisos.size(); ++k) {
      const Maybe& p = proviso(r, k);
      // Only a proviso that is false for sure stops the rule; an unknown one is stated instead.
      if (p.values == std::set<std::int64_t>{0} && !p.bottom) c = T3::F;
    }
    fire_[r] = c;
    return c;
  }

  // Whether a rule overriding r fires: for sure (and the first such), maybe, or not.
  std::pair<T3, std::uint32_t> set_aside(std::uint32_t r) {
    T3 out = T3::F;
    for (const std::uint32_t s : overriders_[r]) {
      const T3 f = fires(s);
      if (f == T3::T) return {T3::T, s};
      if (f == T3::U) out = T3::U;
    }
    return {out, 0};
  }

  T3 applies(std::uint32_t r) { return and3(fires(r), not3(set_aside(r).first)); }

  OutputValue output(std::uint32_t o) {
    if (output_[o]) return *output_[o];
    const OutputInfo& info = m_.outputs[o];
    OutputValue out;
    if (info.kind == OutputKind::Set) {
      std::uint64_t sure = 0, may = 0;
      for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) {
        for (const Effect& e : m_.effects[r]) {
          if (e.output != o) continue;
          const T3 a = applies(r);
          if (a == T3::T) sure |= e.value;
          if (a != T3::F) may |= e.value;
        }
      }
      out.value = Value::of(static_cast<std::int64_t>(sure));
      out.possible = may;
      out.settled = sure == may;
      output_[o] = out;
      return out;
    }
    // The answers the completions may give: a value, or none (unknown), or a conflict.
    std::set<std::uint64_t> sure_values, maybe_values;
    std::optional<std::uint32_t> first;
    for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) {
      for (const Effect& e : m_.effects[r]) {
        if (e.output != o) continue;
        const T3 a = applies(r);
        if (a == T3::U) maybe_values.insert(e.value);
        if (a != T3::T) continue;
        if (!first) {
          first = r;
        } else if (!out.conflict && !sure_values.count(e.value)) {
          out.conflict = true;
          conflicts_.push_back({o, *first, r});
        }
        sure_values.insert(e.value);
      }
    }
    if (out.conflict) {
      out.may_be_unknown = true;
      output_[o] = out;
      return out;
    }
    std::set<std::uint64_t> answers = maybe_values;  // the values some completion may give
    bool may_lack = false;
    if (!sure_values.empty()) {
      answers.insert(*sure_values.begin());
      may_lack = answers.size() > 1;  // another value may apply too: a conflict
    } else {
      if (info.has_default) answers.insert(info.default_member);
      may_lack = !info.has_default || maybe_values.size() > 1;
    }
    const bool settled =
        sure_values.empty() ? (maybe_values.empty() || (info.has_default && answers.size() == 1)) : answers.size() == 1;
    out.settled = settled;
    if (settled) {
      if (!sure_values.empty()) {
        out.value = Value::of(static_cast<std::int64_t>(*sure_values.begin()));
      } else if (info.has_default) {
        out.value = Value::of(info.default_member);
      }
      if (out.value.known) out.possible = std::uint64_t{1} << out.value.payload;
      out.may_be_unknown = !out.value.known;
    } else {
      for (const std::uint64_t v : answers) out.possible |= std::uint64_t{1} << v;
      out.may_be_unknown = may_lack;
      for (const std::uint32_t m : info.doubt) {
        if (answers.count(m) != 0) {
          out.value = Value::of(m);
          break;
        }
      }
    }
    output_[o] = out;
    return out;
  }

  std::uint64_t all_members(std::uint32_t enum_id) const {
    const std::size_t n = m_.enums[enum_id].members.size();
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  }

  Maybe fact(std::uint32_t f) {
    const Value& v = facts_[f];
    if (v.known) return one(v.payload);
    // Unknown: any value of its type; and perhaps none, unless the case wrote it (`?`).
    Maybe m;
    const Type t = m_.fact_types[f];
    if (t.kind == TypeKind::Bool) {
      m.values = {0, 1};
    } else if (t.kind == TypeKind::Enum) {
      for (std::uint32_t i = 0; i < m_.enums[t.enum_id].members.size(); ++i) m.values.insert(i);
    } else {
      m.any = true;
    }
    m.bottom = written_ == nullptr || f >= written_->size() || !(*written_)[f];
    return m;
  }

  Maybe eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return one(e.literal_kind == ast::LiteralKind::String ? e.target : e.number);
      case ExprKind::Name:
        switch (e.name_kind) {
          case ast::NameKind::Fact:
            return fact(e.target);
          case ast::NameKind::Definition:
            if (!define_[e.target]) define_[e.target] = eval(*m_.ast.defines[e.target].value);
            return *define_[e.target];
          case ast::NameKind::Output:
            return output_value(e.target);
          case ast::NameKind::Member:
            return one(e.target);
          case ast::NameKind::Unresolved:
            return bottom_only();
        }
        return bottom_only();
      case ExprKind::Not: {
        const Maybe x = eval(*e.operands[0]);
        return truths(x.can(false), x.can(true), x.bottom);
      }
      case ExprKind::And:
      case ExprKind::Or: {
        // Kleene's operators on every combination the operands may take, folded left to right.
        const bool is_and = e.kind == ExprKind::And;
        Maybe acc = eval(*e.operands[0]);
        for (std::size_t i = 1; i < e.operands.size(); ++i) acc = kleene(acc, eval(*e.operands[i]), is_and);
        return acc;
      }
      case ExprKind::IsKnown: {
        const Maybe x = eval(*e.operands[0]);
        const bool can_known = x.has_value(), can_unknown = x.bottom;
        return e.negated ? truths(can_unknown, can_known, false) : truths(can_known, can_unknown, false);
      }
      case ExprKind::Compare: {
        std::vector<Maybe> vals;
        for (const auto& op : e.operands) vals.push_back(eval(*op));
        const auto link = [&](std::size_t i) {
          // A fact, definition or output compared with itself has one value, whatever it is.
          if (same_name(*e.operands[i], *e.operands[i + 1])) {
            const bool r =
                e.ops[i] == ast::CompareOp::Eq || e.ops[i] == ast::CompareOp::Le || e.ops[i] == ast::CompareOp::Ge;
            return truths(vals[i].has_value() && r, vals[i].has_value() && !r, vals[i].bottom);
          }
          return compare(vals[i], vals[i + 1], e.ops[i], e.operands[i]->type);
        };
        Maybe acc = link(0);
        for (std::size_t i = 1; i < e.ops.size(); ++i) acc = kleene(acc, link(i), true);
        return acc;
      }
      case ExprKind::In:
        return membership(e);
    }
    return bottom_only();
  }

  // A scalar output read in a condition: one of the values it may take, or unknown.
  Maybe output_value(std::uint32_t o) {
    const OutputValue v = output(o);
    Maybe m;
    if (m_.outputs[o].kind == OutputKind::Set) {
      m.is_set = true;
      m.sure = static_cast<std::uint64_t>(v.value.payload);
      m.may = v.possible;
      return m;
    }
    for (std::uint32_t i = 0; i < 64; ++i) {
      if (((v.possible >> i) & 1U) != 0) m.values.insert(i);
    }
    m.bottom = v.may_be_unknown;
    return m;
  }

  static Maybe kleene(const Maybe& a, const Maybe& b, bool is_and) {
    const auto options = [](const Maybe& m) {
      std::vector<T3> out;
      if (m.can(true)) out.push_back(T3::T);
      if (m.can(false)) out.push_back(T3::F);
      if (m.bottom) out.push_back(T3::U);
      return out;
    };
    Maybe out;
    for (const T3 x : options(a)) {
      for (const T3 y : options(b)) {
        T3 r = T3::U;
        if (is_and) {
          r = and3(x, y);
        } else {
          r = x == T3::T || y == T3::T ? T3::T : (x == T3::F && y == T3::F ? T3::F : T3::U);
        }
        if (r == T3::U) {
          out.bottom = true;
        } else {
          out.values.insert(r == T3::T ? 1 : 0);
        }
      }
    }
    return out;
  }

  // What a name stands for once definitions that are only another name are looked through: two
  // operands standing for the same fact, definition or output hold the same value.
  std::pair<ast::NameKind, std::uint32_t> identity(const Expr& e) const {
    const Expr* x = &e;
    while (x->kind == ExprKind::Name && x->name_kind == ast::NameKind::Definition) {
      const Expr& value = *m_.ast.defines[x->target].value;
      if (value.kind != ExprKind::Name) break;
      x = &value;
    }
    if (x->kind != ExprKind::Name || x->name_kind == ast::NameKind::Member ||
        x->name_kind == ast::NameKind::Unresolved) {
      return {ast::NameKind::Unresolved, 0};
    }
    return {x->name_kind, x->target};
  }

  bool same_name(const Expr& a, const Expr& b) const {
    const auto x = identity(a);
    return x.first != ast::NameKind::Unresolved && x == identity(b);
  }

  static bool holds(ast::CompareOp op, std::int64_t a, std::int64_t b) {
    switch (op) {
      case ast::CompareOp::Eq:
        return a == b;
      case ast::CompareOp::Ne:
        return a != b;
      case ast::CompareOp::Lt:
        return a < b;
      case ast::CompareOp::Le:
        return a <= b;
      case ast::CompareOp::Gt:
        return a > b;
      case ast::CompareOp::Ge:
        return a >= b;
    }
    return false;
  }

  static Maybe compare(const Maybe& x, const Maybe& y, ast::CompareOp op, Type type) {
    const bool bottom = x.bottom || y.bottom;
    if (!x.has_value() || !y.has_value()) return truths(false, false, bottom);
    if (type.kind == TypeKind::Set) {
      // Equal sets: exactly known sets compare; otherwise either answer may come.
      if (x.sure == x.may && y.sure == y.may) {
        const bool eq = x.sure == y.sure;
        const bool r = op == ast::CompareOp::Eq ? eq : !eq;
        return truths(r, !r, bottom);
      }
      return truths(true, true, bottom);
    }
    if (x.any || y.any) return truths(true, true, bottom);
    bool can_true = false, can_false = false;
    for (const std::int64_t a : x.values) {
      for (const std::int64_t b : y.values) {
        (holds(op, a, b) ? can_true : can_false) = true;
      }
    }
    return truths(can_true, can_false, bottom);
  }

  Maybe membership(const Expr& e) {
    const Maybe x = eval(*e.operands[0]);
    bool can_in = false, can_out = false;
    if (!e.set_literal && e.operands[1]->name_kind == ast::NameKind::Output) {
      const Maybe set = output_value(e.operands[1]->target);
      for (const std::int64_t m : x.values) {
        if (((set.may >> m) & 1U) != 0) can_in = true;
        if (((set.sure >> m) & 1U) == 0) can_out = true;
      }
    } else {
      const auto& items = e.set_literal ? e.set_items : m_.ast.defines[e.operands[1]->target].value->set_items;
      if (x.any) {
        can_in = !items.empty();
        can_out = true;
      }
      for (const std::int64_t v : x.values) {
        bool in = false;
        for (const auto& item : items) {
          if (item.hi) {
            in = in || (v >= item_value(*item.lo) && v <= item_value(*item.hi));
          } else {
            in = in || v == item_value(*item.lo);
          }
        }
        (in ? can_in : can_out) = true;
      }
    }
    if (e.negated) std::swap(can_in, can_out);
    return truths(can_in, can_out, x.bottom);
  }

  // The payload of a constant in a set: a member's index, a string's id, or a literal's number.
  static std::int64_t item_value(const Expr& e) {
    if (e.kind == ExprKind::Name) return e.target;
    return e.literal_kind == ast::LiteralKind::String ? e.target : e.number;
  }

  // A rule that may fire or not matters when its firing would change what applies: an output it
  // decides differently, or a rule it sets aside that may apply.
  std::vector<std::uint32_t> missing(const Result& res) {
    std::vector<bool> mark(m_.ast.facts.size(), false);
    const std::size_t nr = m_.ast.rules.size();
    for (std::uint32_t r = 0; r < nr; ++r) {
      if (fires(r) != T3::U || set_aside(r).first == T3::T) continue;
      bool changes = false;
      for (std::uint32_t w = 0; w < nr && !changes; ++w) {
        if (fires(w) == T3::F || set_aside(w).first == T3::T) continue;
        const auto& over = overriders_[w];
        changes = std::find(over.begin(), over.end(), r) != over.end();
      }
      for (const Effect& e : m_.effects[r]) {
        const OutputValue& cur = res.outputs[e.output];
        if (m_.outputs[e.output].kind == OutputKind::Set) {
          if ((e.value & ~static_cast<std::uint64_t>(cur.value.payload)) != 0) changes = true;
        } else if (!cur.settled || cur.conflict || !cur.value.known ||
                   static_cast<std::uint64_t>(cur.value.payload) != e.value) {
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
  const std::vector<bool>* written_;
  std::vector<std::optional<T3>> fire_;
  std::vector<std::optional<Maybe>> define_;
  std::vector<std::optional<OutputValue>> output_;
  std::vector<std::vector<Maybe>> proviso_;
  std::vector<std::vector<std::uint32_t>> overriders_;
  std::vector<Conflict> conflicts_;
};

}  // namespace

Result evaluate_reference(const Model& model, const std::vector<Value>& facts, const std::vector<bool>* written) {
  return Reference(model, facts, written).run();
}

}  // namespace secretc
