#include "analysis/smt.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "compiler/parse_case.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace secretc::smt {

namespace {

// Every key parse_article accepts: number ≤ 99999, sub-number < 1000, suffix < 16, packed densely.
constexpr std::int64_t kMaxArticleKey = 99999LL * 16000 + 999 * 16 + 15;

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

z3::expr any_of(z3::context& ctx, const std::vector<z3::expr>& xs) {
  if (xs.empty()) return ctx.bool_val(false);
  z3::expr_vector v(ctx);
  for (const auto& x : xs) v.push_back(x);
  return xs.size() == 1 ? xs[0] : z3::mk_or(v);
}

z3::expr all_of(z3::context& ctx, const std::vector<z3::expr>& xs) {
  if (xs.empty()) return ctx.bool_val(true);
  z3::expr_vector v(ctx);
  for (const auto& x : xs) v.push_back(x);
  return xs.size() == 1 ? xs[0] : z3::mk_and(v);
}

std::size_t member_count(const Program& p, Type t) {
  return t.enum_id < p.enums.size() ? p.enums[t.enum_id].members.size() : 0;
}

// An unknown slot of a type: its value is never looked at, but must have the right sort.
Sym unknown_of(z3::context& ctx, const Program& p, Type t) {
  Sym s{ctx.bool_val(false), t.kind == TypeKind::Bool ? ctx.bool_val(false) : ctx.int_val(0), {}};
  if (t.kind == TypeKind::Set) {
    s.known = ctx.bool_val(true);
    s.bits.assign(member_count(p, t), ctx.bool_val(false));
  }
  return s;
}

Sym constant_of(z3::context& ctx, const Program& p, Type t, const Value& v) {
  if (!v.known) return unknown_of(ctx, p, t);
  Sym s{ctx.bool_val(true), ctx.int_val(static_cast<std::int64_t>(v.payload)), {}};
  if (t.kind == TypeKind::Bool) s.value = ctx.bool_val(v.payload != 0);
  if (t.kind == TypeKind::Set) {
    const auto mask = static_cast<std::uint64_t>(v.payload);
    for (std::size_t m = 0; m < member_count(p, t); ++m) s.bits.push_back(ctx.bool_val(((mask >> m) & 1U) != 0));
  }
  return s;
}

}  // namespace

// ----- the space of cases ------------------------------------------------------------------------

CaseSpace::CaseSpace(z3::context& ctx, std::vector<const Program*> programs)
    : ctx_(ctx), programs_(std::move(programs)), today_(ctx.int_const("today")) {
  for (const Program* p : programs_) {
    for (const std::string& s : p->strings) {
      if (std::find(strings_.begin(), strings_.end(), s) == strings_.end()) strings_.push_back(s);
    }
  }
  const std::size_t n = programs_.size();
  for (std::size_t pi = 0; pi < n; ++pi) {
    const Program& p = *programs_[pi];
    for (std::size_t fi = 0; fi < p.facts.size(); ++fi) {
      const FactInfo& info = p.facts[fi];
      std::size_t match = facts_.size();
      for (std::size_t c = 0; c < facts_.size(); ++c) {
        if (facts_[c].name == info.name && facts_[c].type.kind == info.type.kind && facts_[c].fact_of[pi] < 0) match = c;
      }
      if (match == facts_.size()) {
        const std::string id = fmt::format("{}#{}", info.name, facts_.size());
        facts_.push_back(CaseFact{info.name, info.type, {}, false, std::vector<std::int64_t>(n, -1),
                                  ctx.bool_const(("given " + id).c_str()), ctx.bool_const(("known " + id).c_str()),
                                  info.type.kind == TypeKind::Bool ? ctx.bool_const(("value " + id).c_str())
                                                                   : ctx.int_const(("value " + id).c_str())});
      }
      CaseFact& f = facts_[match];
      f.fact_of[pi] = static_cast<std::int64_t>(fi);
      if (info.default_kind == DefaultKind::Today) f.always_written = true;
      if (info.type.kind == TypeKind::Enum && info.type.enum_id < p.enums.size()) {
        for (const std::string& m : p.enums[info.type.enum_id].members) {
          if (std::find(f.members.begin(), f.members.end(), m) == f.members.end()) f.members.push_back(m);
        }
      }
    }
  }
  // A text no program knows, one per string fact, so that two such facts may differ.
  for (const CaseFact& f : facts_) {
    if (f.type.kind != TypeKind::String) continue;
    std::string text = fmt::format("autre texte {}", other_texts_.size() + 1);
    while (std::find(strings_.begin(), strings_.end(), text) != strings_.end()) text += " bis";
    other_texts_.push_back(text);
  }
}

z3::expr CaseSpace::domain() const {
  std::vector<z3::expr> parts;
  const std::int64_t first_day = days_from_civil(1, 1, 1), last_day = days_from_civil(9999, 12, 31);
  parts.push_back(today_ >= ctx_.int_val(first_day) && today_ <= ctx_.int_val(last_day));
  for (std::size_t i = 0; i < facts_.size(); ++i) {
    const CaseFact& f = facts_[i];
    switch (f.type.kind) {
      case TypeKind::Bool:
      case TypeKind::Set: break;
      case TypeKind::Enum:
        parts.push_back(f.value >= 0 && f.value < ctx_.int_val(static_cast<std::int64_t>(f.members.size())));
        break;
      case TypeKind::Date: parts.push_back(f.value >= ctx_.int_val(first_day) && f.value <= ctx_.int_val(last_day)); break;
      case TypeKind::Article: parts.push_back(f.value >= 0 && f.value <= ctx_.int_val(kMaxArticleKey)); break;
      case TypeKind::Integer:
        parts.push_back(f.value >= ctx_.int_val(std::numeric_limits<std::int64_t>::min()) &&
                        f.value <= ctx_.int_val(std::numeric_limits<std::int64_t>::max()));
        break;
      case TypeKind::String:
        parts.push_back(f.value >= 0 &&
                        f.value < ctx_.int_val(static_cast<std::int64_t>(strings_.size() + other_texts_.size())));
        break;
    }
    if (f.always_written) parts.push_back(f.given);
    // Facts of one name but different types (the type changed between versions): a case writes one.
    for (std::size_t j = 0; j < i; ++j) {
      if (facts_[j].name == f.name) parts.push_back(!(facts_[j].given && f.given));
    }
  }
  return all_of(ctx_, parts);
}

z3::expr CaseSpace::representable(const CaseFact& f, std::size_t program) const {
  if (f.fact_of[program] < 0) return ctx_.bool_val(false);
  if (f.type.kind != TypeKind::Enum) return ctx_.bool_val(true);
  const Program& p = *programs_[program];
  const Type t = p.facts[static_cast<std::size_t>(f.fact_of[program])].type;
  std::vector<z3::expr> ok;
  for (std::size_t u = 0; u < f.members.size(); ++u) {
    if (p.find_member(t.enum_id, f.members[u])) ok.push_back(f.value == ctx_.int_val(static_cast<std::int64_t>(u)));
  }
  return ok.size() == f.members.size() ? ctx_.bool_val(true) : any_of(ctx_, ok);
}

z3::expr CaseSpace::mapped_value(const CaseFact& f, std::size_t program) const {
  const Program& p = *programs_[program];
  if (f.type.kind == TypeKind::Enum) {
    const Type t = p.facts[static_cast<std::size_t>(f.fact_of[program])].type;
    z3::expr out = ctx_.int_val(0);
    bool identity = true;
    for (std::size_t u = f.members.size(); u-- > 0;) {
      const auto m = p.find_member(t.enum_id, f.members[u]);
      if (!m) continue;
      identity = identity && *m == u;
      out = z3::ite(f.value == ctx_.int_val(static_cast<std::int64_t>(u)), ctx_.int_val(static_cast<std::int64_t>(*m)), out);
    }
    return identity ? f.value : out;
  }
  if (f.type.kind == TypeKind::String) {
    // Only equality is defined on strings: any injective renaming of ids is exact. A text the program
    // interned gets its first id (as bind_case gives it); any other text an id past the program's.
    const auto base = static_cast<std::int64_t>(p.strings.size());
    z3::expr out = f.value + ctx_.int_val(base);
    for (std::size_t u = 0; u < strings_.size(); ++u) {
      const auto it = std::find(p.strings.begin(), p.strings.end(), strings_[u]);
      if (it == p.strings.end()) continue;
      out = z3::ite(f.value == ctx_.int_val(static_cast<std::int64_t>(u)),
                    ctx_.int_val(static_cast<std::int64_t>(it - p.strings.begin())), out);
    }
    return out;
  }
  return f.value;
}

z3::expr CaseSpace::read_by(std::size_t f, std::size_t program) const {
  const CaseFact& cf = facts_[f];
  if (cf.fact_of[program] < 0) return ctx_.bool_val(false);
  return cf.given && (!cf.known || representable(cf, program));
}

std::vector<Sym> CaseSpace::fact_slots(std::size_t program) const {
  const Program& p = *programs_[program];
  std::vector<Sym> out;
  out.reserve(p.facts.size());
  for (std::size_t fi = 0; fi < p.facts.size(); ++fi) {
    std::size_t c = 0;
    while (facts_[c].fact_of[program] != static_cast<std::int64_t>(fi)) ++c;
    const FactInfo& info = p.facts[fi];
    const z3::expr read = read_by(c, program);
    // What the program sees when the line is absent (or unreadable): its default, or unknown.
    Sym absent = unknown_of(ctx_, p, info.type);
    if (info.default_kind == DefaultKind::Constant) absent = constant_of(ctx_, p, info.type, info.default_value);
    if (info.default_kind == DefaultKind::Today) absent = Sym{ctx_.bool_val(true), today_, {}};
    out.push_back(Sym{z3::ite(read, facts_[c].known, absent.known), z3::ite(read, mapped_value(facts_[c], program), absent.value), {}});
  }
  return out;
}

Witness CaseSpace::witness(const z3::model& model, Keywords keywords) const {
  Witness w;
  for (std::size_t c = 0; c < facts_.size(); ++c) {
    const CaseFact& f = facts_[c];
    if (!model.eval(f.given, true).is_true()) continue;
    WitnessLine line;
    line.name = f.name;
    for (std::size_t p = 0; p < programs_.size(); ++p) line.readable.push_back(model.eval(read_by(c, p), true).is_true());
    const z3::expr v = model.eval(f.value, true);
    if (!model.eval(f.known, true).is_true()) {
      line.value = "?";
    } else if (f.type.kind == TypeKind::Bool) {
      const bool b = v.is_true();
      line.value = keywords == Keywords::French ? (b ? "vrai" : "faux") : (b ? "true" : "false");
    } else {
      const std::int64_t x = v.get_numeral_int64();
      switch (f.type.kind) {
        case TypeKind::Enum: line.value = f.members.at(static_cast<std::size_t>(x)); break;
        case TypeKind::Date: line.value = format_date(x); break;
        case TypeKind::Article: line.value = quoted(format_article(x)); break;
        case TypeKind::String: {
          const auto u = static_cast<std::size_t>(x);
          line.value = quoted(u < strings_.size() ? strings_[u] : other_texts_.at(u - strings_.size()));
          break;
        }
        default: line.value = fmt::format("{}", x); break;
      }
    }
    w.lines.push_back(std::move(line));
  }
  return w;
}

std::string Witness::file_text(const std::vector<std::string>& comments) const {
  std::string out;
  for (const std::string& c : comments) out += c.empty() ? "#\n" : "# " + c + "\n";
  for (const WitnessLine& l : lines) out += fmt::format("{} = {}\n", l.name, l.value);
  return out;
}

std::string Witness::file_text_for(std::size_t program) const {
  std::string out;
  for (const WitnessLine& l : lines) {
    if (program < l.readable.size() && l.readable[program]) out += fmt::format("{} = {}\n", l.name, l.value);
  }
  return out;
}

std::optional<Result> run_witness(const Program& program, const Witness& witness, std::size_t index,
                                  std::int64_t today, std::string& error) {
  SourceSet sources;
  const std::uint32_t file = sources.add("witness.fact", witness.file_text_for(index));
  Diagnostics diags;
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  const BoundCase bound = bind_case(program, entries, today, diags);
  if (diags.has_errors()) {
    error = fmt::format("internal error: a witness does not bind: {}", render_all(diags, sources));
    return std::nullopt;
  }
  Machine machine(program);
  return machine.evaluate(bound.facts);
}

// ----- a program, symbolically -------------------------------------------------------------------

z3::expr same_truth(const Sym& a, const Sym& b) { return a.known == b.known && (!a.known || a.value == b.value); }

ProgramSym encode(z3::context& ctx, const Program& p, std::vector<Sym> fact_slots) {
  std::vector<Sym> R;
  R.reserve(p.slot_types.size());
  for (std::size_t s = 0; s < p.slot_types.size(); ++s) {
    R.push_back(s < fact_slots.size() ? std::move(fact_slots[s]) : unknown_of(ctx, p, p.slot_types[s]));
  }
  ProgramSym out;
  const std::vector<RuleCode> codes = rule_code(p);
  std::vector<std::size_t> first_proviso{0};
  for (const RuleInfo& r : p.rules) first_proviso.push_back(first_proviso.back() + r.provisos.size());
  std::vector<Sym> provisos(first_proviso.back(), Sym{ctx.bool_val(false), ctx.bool_val(false), {}});
  out.fires.assign(p.rules.size(), ctx.bool_val(false));  // a rule not yet weighed has not fired
  out.when.assign(p.rules.size(), std::nullopt);
  for (const OutputInfo& o : p.outputs) {
    OutputSym s{ctx.bool_val(false), ctx.bool_val(false), ctx.int_val(0), {}};
    if (o.kind == OutputKind::Set) s.bits.assign(member_count(p, {TypeKind::Set, o.enum_id}), ctx.bool_val(false));
    out.outputs.push_back(std::move(s));
  }
  std::vector<std::vector<std::uint32_t>> writers(p.outputs.size());
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
    for (const Effect& e : p.rules[r].effects) {
      auto& w = writers[e.output];
      if (w.empty() || w.back() != r) w.push_back(r);
    }
  }
  const auto set_aside = [&](std::uint32_t r) {
    std::vector<z3::expr> by;
    for (const std::uint32_t s : p.rules[r].overriders) by.push_back(out.fires[s]);
    return any_of(ctx, by);
  };

  for (const Instr& in : p.code) {
    switch (in.op) {
      case Opcode::Const: R[in.a] = constant_of(ctx, p, p.constant_types[in.b], p.constants[in.b]); break;
      case Opcode::Move: R[in.a] = R[in.b]; break;
      case Opcode::Not: R[in.a] = Sym{R[in.b].known, !R[in.b].value, {}}; break;
      case Opcode::And: {
        const Sym &x = R[in.b], &y = R[in.c];
        // Known when both are, or when either is known false.
        R[in.a] = Sym{(x.known && y.known) || (x.known && !x.value) || (y.known && !y.value), x.value && y.value, {}};
        break;
      }
      case Opcode::Or: {
        const Sym &x = R[in.b], &y = R[in.c];
        R[in.a] = Sym{(x.known && y.known) || (x.known && x.value) || (y.known && y.value), x.value || y.value, {}};
        break;
      }
      case Opcode::Eq:
      case Opcode::Ne: {
        const Sym &x = R[in.b], &y = R[in.c];
        z3::expr eq = ctx.bool_val(true);
        if (!x.bits.empty() || !y.bits.empty()) {
          std::vector<z3::expr> same;
          for (std::size_t m = 0; m < std::min(x.bits.size(), y.bits.size()); ++m) same.push_back(x.bits[m] == y.bits[m]);
          eq = all_of(ctx, same);
        } else {
          eq = x.value == y.value;
        }
        R[in.a] = Sym{x.known && y.known, in.op == Opcode::Eq ? eq : !eq, {}};
        break;
      }
      case Opcode::Lt: R[in.a] = Sym{R[in.b].known && R[in.c].known, R[in.b].value < R[in.c].value, {}}; break;
      case Opcode::Le: R[in.a] = Sym{R[in.b].known && R[in.c].known, R[in.b].value <= R[in.c].value, {}}; break;
      case Opcode::Gt: R[in.a] = Sym{R[in.b].known && R[in.c].known, R[in.b].value > R[in.c].value, {}}; break;
      case Opcode::Ge: R[in.a] = Sym{R[in.b].known && R[in.c].known, R[in.b].value >= R[in.c].value, {}}; break;
      case Opcode::In: {
        const Sym &x = R[in.b], &set = R[in.c];
        std::vector<z3::expr> hits;
        for (std::size_t m = 0; m < set.bits.size(); ++m) {
          const z3::expr bit = set.bits[m].simplify();
          if (bit.is_false()) continue;
          const z3::expr is_m = x.value == ctx.int_val(static_cast<std::int64_t>(m));
          hits.push_back(bit.is_true() ? is_m : (is_m && bit));
        }
        R[in.a] = Sym{x.known && set.known, any_of(ctx, hits), {}};
        break;
      }
      case Opcode::Known: R[in.a] = Sym{ctx.bool_val(true), R[in.b].known, {}}; break;
      case Opcode::Proviso: provisos[in.a] = R[in.b]; break;
      case Opcode::Fire: {
        const RuleInfo& rule = p.rules[in.a];
        z3::expr fires = R[in.b].known && R[in.b].value;
        if ((rule.valid_from || rule.valid_until) && p.date_fact) {
          const Sym& day = R[*p.date_fact];
          z3::expr in_force = day.known;
          if (rule.valid_from) in_force = in_force && day.value >= ctx.int_val(*rule.valid_from);
          if (rule.valid_until) in_force = in_force && day.value < ctx.int_val(*rule.valid_until);
          fires = fires && in_force;
        }
        for (std::size_t k = first_proviso[in.a]; k < first_proviso[in.a + 1]; ++k) {
          // Only a proviso known to be false stops the rule.
          fires = fires && !(provisos[k].known && !provisos[k].value);
        }
        out.fires[in.a] = fires;
        if (codes[in.a].when_slot) out.when[in.a] = R[*codes[in.a].when_slot];
        break;
      }
      case Opcode::Resolve: {
        const OutputInfo& info = p.outputs[in.a];
        OutputSym& o = out.outputs[in.a];
        // Per value (scalar) or member (set): some applying rule sets it.
        std::vector<std::pair<std::uint64_t, std::vector<z3::expr>>> by_value;
        std::vector<std::vector<z3::expr>> by_member(o.bits.size());
        for (const std::uint32_t r : writers[in.a]) {
          const z3::expr applies = out.fires[r] && !set_aside(r);
          for (const Effect& e : p.rules[r].effects) {
            if (e.output != in.a) continue;
            if (info.kind == OutputKind::Set) {
              for (std::size_t m = 0; m < o.bits.size(); ++m) {
                if (((e.value >> m) & 1U) != 0) by_member[m].push_back(applies);
              }
              continue;
            }
            auto it = std::find_if(by_value.begin(), by_value.end(), [&](const auto& v) { return v.first == e.value; });
            if (it == by_value.end()) {
              by_value.push_back({e.value, {}});
              it = by_value.end() - 1;
            }
            it->second.push_back(applies);
          }
        }
        if (info.kind == OutputKind::Set) {
          for (std::size_t m = 0; m < o.bits.size(); ++m) o.bits[m] = any_of(ctx, by_member[m]);
          break;
        }
        std::vector<z3::expr> has, pairs;
        for (const auto& [value, rules] : by_value) has.push_back(any_of(ctx, rules));
        for (std::size_t i = 0; i < has.size(); ++i) {
          for (std::size_t j = i + 1; j < has.size(); ++j) pairs.push_back(has[i] && has[j]);
        }
        o.conflict = any_of(ctx, pairs);
        const z3::expr decided = any_of(ctx, has);
        z3::expr value = ctx.int_val(static_cast<std::int64_t>(info.has_default ? info.default_member : 0));
        for (std::size_t i = has.size(); i-- > 0;) {
          value = z3::ite(has[i], ctx.int_val(static_cast<std::int64_t>(by_value[i].first)), value);
        }
        o.value = value;
        o.known = !o.conflict && (info.has_default ? ctx.bool_val(true) : decided);
        break;
      }
      case Opcode::LoadOutput: {
        const OutputSym& o = out.outputs[in.b];
        R[in.a] = p.outputs[in.b].kind == OutputKind::Set ? Sym{ctx.bool_val(true), ctx.int_val(0), o.bits}
                                                          : Sym{o.known, o.value, {}};
        break;
      }
      case Opcode::Count_: break;
    }
  }
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) out.applies.push_back(out.fires[r] && !set_aside(r));
  out.slots = std::move(R);
  return out;
}

// ----- searching cases ---------------------------------------------------------------------------

Search::Search(z3::context& ctx, const CaseSpace& space, unsigned timeout_ms)
    : ctx_(ctx), space_(space), solver_(ctx) {
  z3::params params(ctx);
  params.set("timeout", timeout_ms);
  solver_.set(params);
  solver_.add(space.domain());
}

namespace {
Answer answer_of(z3::check_result r) {
  if (r == z3::sat) return Answer::Yes;
  if (r == z3::unsat) return Answer::No;
  return Answer::Unknown;
}

// A z3::expr_vector copy shares its elements with the original: copy them one by one.
z3::expr_vector copy(const z3::expr_vector& v) {
  z3::expr_vector out(v.ctx());
  for (unsigned i = 0; i < v.size(); ++i) out.push_back(v[i]);
  return out;
}
}  // namespace

Answer Search::exists(const z3::expr& goal) {
  solver_.push();
  solver_.add(goal);
  const Answer a = answer_of(solver_.check());
  solver_.pop();
  return a;
}

std::optional<Witness> Search::witness(const z3::expr& goal, Keywords keywords, std::optional<std::int64_t> prefer_day,
                                       Answer& answer) {
  solver_.push();
  solver_.add(goal);
  answer = answer_of(solver_.check());
  if (answer != Answer::Yes) {
    solver_.pop();
    return std::nullopt;
  }
  z3::model model = solver_.get_model();
  const auto& facts = space_.facts();
  const std::size_t n_programs = space_.programs().size();
  const auto written = [&](std::size_t c) { return model.eval(facts[c].given, true).is_true(); };

  // Lines left out stay out: each step may only shrink the case. (Assumptions must be literals:
  // a fresh proxy stands for a preferred value.)
  z3::expr_vector kept_out(ctx_);
  for (std::size_t c = 0; c < facts.size(); ++c) {
    if (!facts[c].always_written && !written(c)) kept_out.push_back(!facts[c].given);
  }
  if (prefer_day) {
    for (std::size_t c = 0; c < facts.size(); ++c) {
      if (facts[c].type.kind != TypeKind::Date || !written(c)) continue;
      const z3::expr proxy = ctx_.bool_const(fmt::format("prefer day #{}", c).c_str());
      solver_.add(z3::implies(proxy, facts[c].known && facts[c].value == ctx_.int_val(*prefer_day)));
      z3::expr_vector assumptions = copy(kept_out);
      assumptions.push_back(proxy);
      if (solver_.check(assumptions) == z3::sat) {
        model = solver_.get_model();
        kept_out.push_back(proxy);
      }
    }
  }
  // Dropping a line may let another go (values may change between steps): repeat until a whole pass
  // drops nothing. Then no line of the witness can be dropped, whatever the other values.
  for (bool dropped = true; dropped;) {
    dropped = false;
    std::vector<std::size_t> candidates, unreadable;
    for (std::size_t c = 0; c < facts.size(); ++c) {
      if (facts[c].always_written || !written(c)) continue;
      bool everywhere = true;
      for (std::size_t p = 0; p < n_programs; ++p) everywhere = everywhere && model.eval(space_.read_by(c, p), true).is_true();
      (everywhere ? candidates : unreadable).push_back(c);
    }
    candidates.insert(candidates.begin(), unreadable.begin(), unreadable.end());
    for (const std::size_t c : candidates) {
      if (!written(c)) continue;  // an earlier step of this pass dropped it
      z3::expr_vector assumptions = copy(kept_out);
      assumptions.push_back(!facts[c].given);
      if (solver_.check(assumptions) != z3::sat) continue;
      model = solver_.get_model();
      dropped = true;
      for (const std::size_t d : candidates) {
        if (!written(d)) kept_out.push_back(!facts[d].given);
      }
    }
  }
  solver_.pop();
  return space_.witness(model, keywords);
}

}  // namespace secretc::smt
