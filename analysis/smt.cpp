#include "analysis/smt.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "grammar/keywords.hpp"

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

// ----- formulas that fold constants --------------------------------------------------------------
// Most operands of a program's code are constants or facts the case fixes; folding them as the
// formulas are built keeps a rulebase's formulas a few times its code, not its code times its types.

z3::expr lit(z3::context& ctx, bool b) {
  return ctx.bool_val(b);
}

z3::expr not_(const z3::expr& a) {
  if (a.is_true()) return lit(a.ctx(), false);
  if (a.is_false()) return lit(a.ctx(), true);
  if (a.is_not()) return a.arg(0);
  return !a;
}

// Operands of `and` and `or` go in the order of their ids, so that two versions of a rulebase that
// compute the same thing in another order get the very same formula (diff skips what is identical).
z3::expr and_(const z3::expr& a, const z3::expr& b) {
  if (a.is_false() || b.is_true()) return a;
  if (b.is_false() || a.is_true()) return b;
  if (z3::eq(a, b)) return a;
  return a.id() < b.id() ? a && b : b && a;
}

z3::expr or_(const z3::expr& a, const z3::expr& b) {
  if (a.is_true() || b.is_false()) return a;
  if (b.is_true() || a.is_false()) return b;
  if (z3::eq(a, b)) return a;
  return a.id() < b.id() ? a || b : b || a;
}

void canonical_order(std::vector<z3::expr>& xs) {
  std::sort(xs.begin(), xs.end(), [](const z3::expr& a, const z3::expr& b) { return a.id() < b.id(); });
  xs.erase(std::unique(xs.begin(), xs.end(), [](const z3::expr& a, const z3::expr& b) { return z3::eq(a, b); }),
           xs.end());
}

z3::expr iff(const z3::expr& a, const z3::expr& b) {
  if (a.is_true()) return b;
  if (b.is_true()) return a;
  if (a.is_false()) return not_(b);
  if (b.is_false()) return not_(a);
  if (z3::eq(a, b)) return lit(a.ctx(), true);
  return a == b;
}

z3::expr leads_to(const z3::expr& a, const z3::expr& b) {
  return or_(not_(a), b);
}

z3::expr pick(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
  if (c.is_true()) return a;
  if (c.is_false()) return b;
  if (z3::eq(a, b)) return a;
  if (a.is_bool()) {
    if (a.is_true()) return or_(c, b);
    if (a.is_false()) return and_(not_(c), b);
    if (b.is_true()) return or_(not_(c), a);
    if (b.is_false()) return and_(c, a);
  }
  return z3::ite(c, a, b);
}

// A disjunction (`disjunction`) or a conjunction of `xs`, simplified: a term that decides it (true in a
// disjunction, false in a conjunction) is the whole answer, a neutral term is dropped, and the rest are put in a
// canonical order so that equal formulas print alike.
z3::expr junction(z3::context& ctx, const std::vector<z3::expr>& xs, bool disjunction) {
  std::vector<z3::expr> kept;
  for (const auto& x : xs) {
    if (disjunction ? x.is_true() : x.is_false()) return x;
    if (!(disjunction ? x.is_false() : x.is_true())) kept.push_back(x);
  }
  canonical_order(kept);
  if (kept.empty()) return lit(ctx, !disjunction);
  if (kept.size() == 1) return kept[0];
  z3::expr_vector v(ctx);
  for (const auto& x : kept) v.push_back(x);
  return disjunction ? z3::mk_or(v) : z3::mk_and(v);
}

z3::expr any_of(z3::context& ctx, const std::vector<z3::expr>& xs) {
  return junction(ctx, xs, true);
}

z3::expr all_of(z3::context& ctx, const std::vector<z3::expr>& xs) {
  return junction(ctx, xs, false);
}

// At least two of `xs` hold (a ladder: linear in their number).
z3::expr at_least_two(z3::context& ctx, const std::vector<z3::expr>& xs) {
  z3::expr one = lit(ctx, false), two = lit(ctx, false);
  for (const auto& x : xs) {
    two = or_(two, and_(one, x));
    one = or_(one, x);
  }
  return two;
}

z3::expr exactly_one(z3::context& ctx, const std::vector<z3::expr>& xs) {
  return and_(any_of(ctx, xs), not_(at_least_two(ctx, xs)));
}

std::size_t member_count(const Program& p, Type t) {
  return t.enum_id < p.enums.size() ? p.enums[t.enum_id].members.size() : 0;
}

bool has_members(TypeKind k) {
  return k == TypeKind::Bool || k == TypeKind::Enum || k == TypeKind::Set;
}

std::size_t width(const Program& p, Type t) {
  if (t.kind == TypeKind::Bool) return 2;
  return t.kind == TypeKind::Enum || t.kind == TypeKind::Set ? member_count(p, t) : 0;
}

// ----- abstract values, as in runtime/vm.cpp -----------------------------------------------------

// ⊥ and nothing else: what an unknown constant, or an unwritten slot, holds.
Sym bottom(z3::context& ctx, const Program& p, Type t) {
  Sym s{lit(ctx, true), std::vector<z3::expr>(width(p, t), lit(ctx, false)), {}, lit(ctx, false), lit(ctx, false),
        ctx.int_val(0)};
  if (t.kind == TypeKind::Set) s.sure = s.may;
  return s;
}

// Any value of the type, and ⊥ too when `absent` may be (a fact the case leaves unknown).
Sym any_value(z3::context& ctx, const Program& p, Type t, const z3::expr& absent) {
  Sym s = bottom(ctx, p, t);
  s.absent = absent;
  for (auto& m : s.may) m = lit(ctx, true);
  s.some = lit(ctx, true);
  return s;
}

Sym constant_of(z3::context& ctx, const Program& p, Type t, const Value& v) {
  Sym s = bottom(ctx, p, t);
  if (!v.known) return s;
  s.absent = lit(ctx, false);
  const auto bits = static_cast<std::uint64_t>(v.payload);
  switch (t.kind) {
    case TypeKind::Bool:
      s.may[0] = lit(ctx, v.payload == 0);
      s.may[1] = lit(ctx, v.payload != 0);
      break;
    case TypeKind::Enum:
      for (std::size_t m = 0; m < s.may.size(); ++m) s.may[m] = lit(ctx, static_cast<std::int64_t>(m) == v.payload);
      break;
    case TypeKind::Set:
      for (std::size_t m = 0; m < s.may.size(); ++m) s.may[m] = lit(ctx, m < 64 && ((bits >> m) & 1U) != 0);
      s.sure = s.may;
      break;
    default:
      s.some = lit(ctx, true);
      s.exact = lit(ctx, true);
      s.value = ctx.int_val(static_cast<std::int64_t>(v.payload));
      break;
  }
  return s;
}

// A bool slot as the three values it may take.
struct Bits {
  z3::expr f, t, absent;
};

Bits bits_of(const Sym& s) {
  return {s.may.at(0), s.may.at(1), s.absent};
}

Sym from_bits(z3::context& ctx, const Bits& b) {
  return Sym{b.absent, {b.f, b.t}, {}, lit(ctx, false), lit(ctx, false), ctx.int_val(0)};
}

Bits and_bits(const Bits& a, const Bits& b) {
  return {or_(a.f, b.f), and_(a.t, b.t), or_(and_(a.absent, or_(b.t, b.absent)), and_(b.absent, or_(a.t, a.absent)))};
}

Bits or_bits(const Bits& a, const Bits& b) {
  return {and_(a.f, b.f), or_(a.t, b.t), or_(and_(a.absent, or_(b.f, b.absent)), and_(b.absent, or_(a.f, a.absent)))};
}

Bits not_bits(const Bits& a) {
  return {a.t, a.f, a.absent};
}

// `values != 0` of the VM: the slot may have some value.
z3::expr may_have_value(z3::context& ctx, const Sym& s, Type t) {
  return has_members(t.kind) ? any_of(ctx, s.may) : s.some;
}

// A comparison's result: `can_true`/`can_false` for the values both sides may take, unknown when
// either side may be.
Bits comparison(z3::context& ctx, const Sym& x, const Sym& y, Type t, const z3::expr& can_true,
                const z3::expr& can_false) {
  const z3::expr both = and_(may_have_value(ctx, x, t), may_have_value(ctx, y, t));
  return {and_(both, can_false), and_(both, can_true), or_(x.absent, y.absent)};
}

// The VM's truth_of_bits: True when the only value is true, False when true is not among them.
Tri truth_of(const Bits& b) {
  return {and_(b.t, and_(not_(b.f), not_(b.absent))), b.t};
}

Tri tri_and(const Tri& a, const Tri& b) {
  return {and_(a.sure, b.sure), and_(a.may, b.may)};
}
Tri tri_not(const Tri& a) {
  return {not_(a.may), not_(a.sure)};
}

}  // namespace

// ----- the space of cases ------------------------------------------------------------------------

CaseSpace::CaseSpace(z3::context& ctx, std::vector<const Program*> programs, std::optional<std::int64_t> today)
    : ctx_(ctx), programs_(std::move(programs)), today_(today ? ctx.int_val(*today) : ctx.int_const("today")) {
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
        if (facts_[c].name == info.name && facts_[c].type.kind == info.type.kind && facts_[c].fact_of[pi] < 0)
          match = c;
      }
      if (match == facts_.size()) {
        const std::string id = fmt::format("{}#{}", info.name, facts_.size());
        facts_.push_back(CaseFact{info.name,
                                  info.type,
                                  {},
                                  false,
                                  std::vector<std::int64_t>(n, -1),
                                  ctx.bool_const(("given " + id).c_str()),
                                  ctx.bool_const(("known " + id).c_str()),
                                  info.type.kind == TypeKind::Bool ? ctx.bool_const(("value " + id).c_str())
                                                                   : ctx.int_const(("value " + id).c_str()),
                                  {}});
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
  // An enumeration's value is one Bool per member (exactly one holds): conditions then test members
  // without arithmetic. `value` names the member's index, for witnesses.
  for (std::size_t c = 0; c < facts_.size(); ++c) {
    CaseFact& f = facts_[c];
    if (f.type.kind != TypeKind::Enum) continue;
    z3::expr index = ctx.int_val(0);
    for (std::size_t u = 0; u < f.members.size(); ++u) {
      f.is.push_back(ctx.bool_const(fmt::format("is {}#{} {}", f.name, c, f.members[u]).c_str()));
    }
    for (std::size_t u = f.members.size(); u-- > 0;)
      index = z3::ite(f.is[u], ctx.int_val(static_cast<std::int64_t>(u)), index);
    f.value = index;
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
      case TypeKind::Set:
        break;
      case TypeKind::Enum:
        if (!f.is.empty()) parts.push_back(exactly_one(ctx_, f.is));
        break;
      case TypeKind::Date:
        parts.push_back(f.value >= ctx_.int_val(first_day) && f.value <= ctx_.int_val(last_day));
        break;
      case TypeKind::Article:
        parts.push_back(f.value >= 0 && f.value <= ctx_.int_val(kMaxArticleKey));
        break;
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
    if (p.find_member(t.enum_id, f.members[u])) ok.push_back(f.is[u]);
  }
  return ok.size() == f.members.size() ? ctx_.bool_val(true) : any_of(ctx_, ok);
}

z3::expr CaseSpace::mapped_value(const CaseFact& f, std::size_t program) const {
  const Program& p = *programs_[program];
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
    const CaseFact& f = facts_[c];
    const FactInfo& info = p.facts[fi];
    const z3::expr read = read_by(c, program);
    // What the program sees when the line is absent (or unreadable): its default, or any value or ⊥.
    Sym absent = any_value(ctx_, p, info.type, lit(ctx_, true));
    if (info.default_kind == DefaultKind::Constant) absent = constant_of(ctx_, p, info.type, info.default_value);
    if (info.default_kind == DefaultKind::Today) absent = constant_of(ctx_, p, info.type, Value::of(0));
    if (info.default_kind == DefaultKind::Today) absent.value = today_;
    // A line read: its value, or (`?`) any value of the type but not ⊥.
    Sym s = absent;
    s.absent = and_(not_(read), absent.absent);
    const z3::expr any = not_(f.known);
    switch (info.type.kind) {
      case TypeKind::Bool:
        s.may[0] = pick(read, or_(any, not_(f.value)), absent.may[0]);
        s.may[1] = pick(read, or_(any, f.value), absent.may[1]);
        break;
      case TypeKind::Enum: {
        const auto& members = p.enums[info.type.enum_id].members;
        for (std::size_t m = 0; m < members.size(); ++m) {
          const auto u = std::find(f.members.begin(), f.members.end(), members[m]) - f.members.begin();
          s.may[m] = pick(read, or_(any, f.is.at(static_cast<std::size_t>(u))), absent.may[m]);
        }
        break;
      }
      case TypeKind::Set:
        break;  // no fact is a set
      default:
        s.some = or_(read, absent.some);
        s.exact = pick(read, f.known, absent.exact);
        s.value = pick(read, mapped_value(f, program), absent.value);
        break;
    }
    out.push_back(std::move(s));
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
    for (std::size_t p = 0; p < programs_.size(); ++p)
      line.readable.push_back(model.eval(read_by(c, p), true).is_true());
    const z3::expr v = model.eval(f.value, true);
    if (!model.eval(f.known, true).is_true()) {
      line.value = "?";
    } else if (f.type.kind == TypeKind::Bool) {
      const bool b = v.is_true();
      line.value =
          keyword_text(b ? Kw::True : Kw::False, keywords == Keywords::French ? TextLang::French : TextLang::English);
    } else {
      const std::int64_t x = v.get_numeral_int64();
      switch (f.type.kind) {
        case TypeKind::Enum:
          line.value = f.members.at(static_cast<std::size_t>(x));
          break;
        case TypeKind::Date:
          line.value = format_date(x);
          break;
        case TypeKind::Article:
          line.value = quoted(format_article(x));
          break;
        case TypeKind::String: {
          const auto u = static_cast<std::size_t>(x);
          line.value = quoted(u < strings_.size() ? strings_[u] : other_texts_.at(u - strings_.size()));
          break;
        }
        default:
          line.value = fmt::format("{}", x);
          break;
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

std::optional<Result> run_witness(const Program& program, const Witness& witness, std::size_t index, std::int64_t today,
                                  std::string& error) {
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
  return machine.evaluate(bound.facts, &bound.given);
}

// ----- a program, symbolically -------------------------------------------------------------------

z3::expr same_values(const Sym& a, const Sym& b) {
  z3::context& ctx = a.absent.ctx();
  std::vector<z3::expr> same{iff(a.absent, b.absent)};
  for (std::size_t m = 0; m < std::min(a.may.size(), b.may.size()); ++m) same.push_back(iff(a.may[m], b.may[m]));
  return all_of(ctx, same);
}

z3::expr same_firing(const Sym& a, const Sym& b) {
  const Tri x = truth_of(bits_of(a)), y = truth_of(bits_of(b));
  return and_(iff(x.sure, y.sure), iff(x.may, y.may));
}

namespace {

// runtime/vm.cpp's run_abstract, instruction by instruction, over formulas.
class Encoder {
 public:
  Encoder(z3::context& ctx, const Program& p) : ctx_(ctx), p_(p) {}

  ProgramSym run(std::vector<Sym> fact_slots) {
    R_.reserve(p_.slot_types.size());
    for (std::size_t s = 0; s < p_.slot_types.size(); ++s) {
      R_.push_back(s < fact_slots.size() ? std::move(fact_slots[s]) : bottom(ctx_, p_, p_.slot_types[s]));
    }
    codes_ = rule_code(p_);
    first_proviso_.push_back(0);
    for (const RuleInfo& r : p_.rules) first_proviso_.push_back(first_proviso_.back() + r.provisos.size());
    provisos_.assign(first_proviso_.back(), Bits{lit(ctx_, false), lit(ctx_, false), lit(ctx_, true)});
    // A rule not yet weighed may fire, as the VM's conditions start (the verifier orders fire/resolve).
    out_.fires.assign(p_.rules.size(), Tri{lit(ctx_, false), lit(ctx_, true)});
    aside_.assign(p_.rules.size(), std::nullopt);
    out_.when.assign(p_.rules.size(), std::nullopt);
    writers_.resize(p_.outputs.size());
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      for (const Effect& e : p_.rules[r].effects) {
        if (e.output < writers_.size()) writers_[e.output].push_back({r, e.value});
      }
    }
    for (const OutputInfo& o : p_.outputs) out_.outputs.push_back(unresolved(o));
    for (const Instr& in : p_.code) step(in);
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      out_.set_aside.push_back(set_aside(r));
      out_.applies.push_back(applies(r));
    }
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      for (std::size_t k = first_proviso_[r]; k < first_proviso_[r + 1]; ++k) {
        // Stated: its rule fires for sure, is not set aside for sure, and it is not true for sure.
        const Bits& b = provisos_[k];
        const z3::expr true_for_sure = and_(b.t, and_(not_(b.f), not_(b.absent)));
        out_.stated.push_back(and_(out_.fires[r].sure, and_(not_(out_.set_aside[r].sure), not_(true_for_sure))));
      }
    }
    out_.slots = std::move(R_);
    return std::move(out_);
  }

 private:
  struct Writer {
    std::uint32_t rule;
    std::uint64_t value;
  };

  [[nodiscard]] Type type(std::uint32_t slot) const { return p_.slot_types[slot]; }

  OutputSym unresolved(const OutputInfo& o) {
    const std::size_t n = member_count(p_, {TypeKind::Enum, o.enum_id});
    return OutputSym{lit(ctx_, false),
                     lit(ctx_, true),
                     lit(ctx_, false),
                     ctx_.int_val(0),
                     std::vector<z3::expr>(n, lit(ctx_, false)),
                     lit(ctx_, true),
                     std::vector<z3::expr>(n, lit(ctx_, false)),
                     std::vector<z3::expr>(n, lit(ctx_, false))};
  }

  // Whether a rule overriding `rule` fires: asked once every one of them has fired, and kept.
  Tri set_aside(std::uint32_t rule) {
    if (!aside_[rule]) {
      std::vector<z3::expr> sure, may;
      for (const std::uint32_t s : p_.rules[rule].overriders) {
        sure.push_back(out_.fires[s].sure);
        may.push_back(out_.fires[s].may);
      }
      aside_[rule] = Tri{any_of(ctx_, sure), any_of(ctx_, may)};
    }
    return *aside_[rule];
  }

  Tri applies(std::uint32_t rule) { return tri_and(out_.fires[rule], tri_not(set_aside(rule))); }

  void step(const Instr& in) {
    // A slot compared with itself holds one value, whatever it is. A set always has one, even when it
    // may hold no member (run_abstract forgets it there: see tests/compiler/smt_test.cpp).
    if (in.b == in.c && in.op >= Opcode::Eq && in.op <= Opcode::Ge) {
      const bool holds = in.op == Opcode::Eq || in.op == Opcode::Le || in.op == Opcode::Ge;
      const Sym& x = R_[in.b];
      const z3::expr some = type(in.b).kind == TypeKind::Set ? lit(ctx_, true) : may_have_value(ctx_, x, type(in.b));
      R_[in.a] = from_bits(ctx_, {and_(some, lit(ctx_, !holds)), and_(some, lit(ctx_, holds)), x.absent});
      return;
    }
    switch (in.op) {
      case Opcode::Const:
        R_[in.a] = constant_of(ctx_, p_, p_.constant_types[in.b], p_.constants[in.b]);
        break;
      case Opcode::Move:
        R_[in.a] = R_[in.b];
        break;
      case Opcode::Not:
        R_[in.a] = from_bits(ctx_, not_bits(bits_of(R_[in.b])));
        break;
      case Opcode::And:
        R_[in.a] = from_bits(ctx_, and_bits(bits_of(R_[in.b]), bits_of(R_[in.c])));
        break;
      case Opcode::Or:
        R_[in.a] = from_bits(ctx_, or_bits(bits_of(R_[in.b]), bits_of(R_[in.c])));
        break;
      case Opcode::Eq:
      case Opcode::Ne: {
        const Bits eq = equal(R_[in.b], R_[in.c], type(in.b));
        R_[in.a] = from_bits(ctx_, in.op == Opcode::Eq ? eq : not_bits(eq));
        break;
      }
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        R_[in.a] = from_bits(ctx_, ordered(in.op, R_[in.b], R_[in.c], type(in.b)));
        break;
      case Opcode::In: {
        // The member may be in the set if it may be one the set may hold; out, if one it may lack.
        const Sym &x = R_[in.b], &set = R_[in.c];
        std::vector<z3::expr> in_, out;
        for (std::size_t m = 0; m < std::min(x.may.size(), set.may.size()); ++m) {
          in_.push_back(and_(x.may[m], set.may[m]));
          out.push_back(and_(x.may[m], not_(set.sure[m])));
        }
        R_[in.a] = from_bits(ctx_, {any_of(ctx_, out), any_of(ctx_, in_), x.absent});
        break;
      }
      case Opcode::Known: {
        const Sym& x = R_[in.b];
        const z3::expr can_known =
            type(in.b).kind == TypeKind::Set ? lit(ctx_, true) : may_have_value(ctx_, x, type(in.b));
        R_[in.a] = from_bits(ctx_, {x.absent, can_known, lit(ctx_, false)});
        break;
      }
      case Opcode::Proviso:
        provisos_[in.a] = bits_of(R_[in.b]);
        break;
      case Opcode::Fire:
        fire(in.a, R_[in.b]);
        break;
      case Opcode::Resolve:
        resolve(in.a);
        break;
      case Opcode::LoadOutput: {
        const OutputSym& o = out_.outputs[in.b];
        Sym s = bottom(ctx_, p_, type(in.a));
        if (p_.outputs[in.b].kind == OutputKind::Set) {
          s.absent = lit(ctx_, false);
          s.may = o.may;
          s.sure = o.sure;
        } else {
          s.absent = o.may_be_unknown;
          s.may = o.possible;
        }
        R_[in.a] = std::move(s);
        break;
      }
      case Opcode::Count_:
        break;
    }
  }

  Bits equal(const Sym& x, const Sym& y, Type t) {
    if (t.kind == TypeKind::Bool || t.kind == TypeKind::Enum) {
      // Equal when they may be one member; different unless each is the same single member.
      std::vector<z3::expr> common, same;
      for (std::size_t m = 0; m < std::min(x.may.size(), y.may.size()); ++m) {
        common.push_back(and_(x.may[m], y.may[m]));
        same.push_back(iff(x.may[m], y.may[m]));
      }
      const z3::expr one_each = and_(exactly_one(ctx_, x.may), all_of(ctx_, same));
      return comparison(ctx_, x, y, t, any_of(ctx_, common), not_(one_each));
    }
    if (t.kind == TypeKind::Set) {
      // Sets always have a value: what they hold for sure, and what they may hold.
      std::vector<z3::expr> exact, same;
      for (std::size_t m = 0; m < x.may.size(); ++m) {
        exact.push_back(iff(x.may[m], x.sure[m]));
        exact.push_back(iff(y.may[m], y.sure[m]));
        same.push_back(iff(x.may[m], y.may[m]));
      }
      const z3::expr open = not_(all_of(ctx_, exact)), eq = all_of(ctx_, same);
      return {or_(open, not_(eq)), or_(open, eq), lit(ctx_, false)};
    }
    return exactly_compared(x, y, t, [](const z3::expr& a, const z3::expr& b) {
      std::int64_t i = 0, j = 0;
      if (a.is_numeral_i64(i) && b.is_numeral_i64(j)) return a.ctx().bool_val(i == j);
      if (z3::eq(a, b)) return a.ctx().bool_val(true);
      return a == b;
    });
  }

  Bits ordered(Opcode op, const Sym& x, const Sym& y, Type t) {
    return exactly_compared(x, y, t, [op](const z3::expr& a, const z3::expr& b) {
      std::int64_t i = 0, j = 0;
      if (a.is_numeral_i64(i) && b.is_numeral_i64(j)) {
        const bool r = op == Opcode::Lt ? i < j : op == Opcode::Le ? i <= j : op == Opcode::Gt ? i > j : i >= j;
        return a.ctx().bool_val(r);
      }
      return op == Opcode::Lt ? a < b : op == Opcode::Le ? a <= b : op == Opcode::Gt ? a > b : a >= b;
    });
  }

  // Integers, dates, articles, texts: decided when both values are exact, else either way.
  template <typename Cmp>
  Bits exactly_compared(const Sym& x, const Sym& y, Type t, Cmp cmp) {
    const z3::expr both = and_(x.exact, y.exact);
    const z3::expr r = both.is_false() ? lit(ctx_, true) : cmp(x.value, y.value);
    return comparison(ctx_, x, y, t, or_(not_(both), r), or_(not_(both), not_(r)));
  }

  // In force on the situation's day, the condition true, no proviso false; each may be unknown.
  void fire(std::uint32_t rule, const Sym& condition) {
    const RuleInfo& info = p_.rules[rule];
    Tri t = truth_of(bits_of(condition));
    if ((info.valid_from || info.valid_until) && p_.date_fact) {
      const Sym& day = R_[*p_.date_fact];
      // The day is known when exact and not ⊥; a dated rule is out of force without any day at all.
      const z3::expr known = and_(day.exact, not_(day.absent));
      z3::expr within = lit(ctx_, true);
      if (info.valid_from) within = and_(within, compare_day(day.value, *info.valid_from, true));
      if (info.valid_until) within = and_(within, compare_day(day.value, *info.valid_until, false));
      const Tri in_force{and_(known, within), pick(known, within, day.some)};
      t = tri_and(t, in_force);
    }
    for (std::size_t k = first_proviso_[rule]; k < first_proviso_[rule + 1]; ++k) {
      const Bits& b = provisos_[k];
      const z3::expr false_for_sure = and_(b.f, and_(not_(b.t), not_(b.absent)));
      t = tri_and(t, Tri{not_(false_for_sure), not_(false_for_sure)});
    }
    out_.fires[rule] = t;
    if (codes_[rule].when_slot) out_.when[rule] = condition;
  }

  z3::expr compare_day(const z3::expr& day, std::int64_t bound, bool from) {
    std::int64_t d = 0;
    if (day.is_numeral_i64(d)) return lit(ctx_, from ? d >= bound : d < bound);
    return from ? day >= ctx_.int_val(bound) : day < ctx_.int_val(bound);
  }

  void resolve(std::uint32_t output) {
    const OutputInfo& info = p_.outputs[output];
    OutputSym& o = out_.outputs[output];
    const std::size_t n = o.possible.size();
    if (info.kind == OutputKind::Set) {
      std::vector<std::vector<z3::expr>> sure(n), may(n);
      for (const Writer& w : writers_[output]) {
        const Tri a = applies(w.rule);
        for (std::size_t m = 0; m < n && m < 64; ++m) {
          if (((w.value >> m) & 1U) == 0) continue;
          sure[m].push_back(a.sure);
          may[m].push_back(a.may);
        }
      }
      std::vector<z3::expr> settled;
      for (std::size_t m = 0; m < n; ++m) {
        o.sure[m] = any_of(ctx_, sure[m]);
        o.may[m] = any_of(ctx_, may[m]);
        settled.push_back(iff(o.sure[m], o.may[m]));
      }
      o.settled = all_of(ctx_, settled);
      o.conflict = lit(ctx_, false);
      o.known = lit(ctx_, true);
      o.possible = o.may;
      o.may_be_unknown = lit(ctx_, false);
      return;
    }
    // Per member: some rule applying for sure sets it (S), some rule that may apply sets it (M).
    std::vector<std::vector<z3::expr>> by_sure(n), by_maybe(n);
    for (const Writer& w : writers_[output]) {
      if (w.value >= n) continue;
      const Tri a = applies(w.rule);
      by_sure[w.value].push_back(a.sure);
      by_maybe[w.value].push_back(and_(a.may, not_(a.sure)));
    }
    std::vector<z3::expr> S, M;
    for (std::size_t m = 0; m < n; ++m) {
      S.push_back(any_of(ctx_, by_sure[m]));
      M.push_back(any_of(ctx_, by_maybe[m]));
    }
    const bool has_default = info.has_default && info.default_member < n;
    const std::size_t d = info.default_member;
    const z3::expr conflict = at_least_two(ctx_, S);
    const z3::expr decided = any_of(ctx_, S);
    // Not in conflict: settled on the value that applies for sure unless one that may apply sets
    // another; with none applying for sure, on the default (or on no value) likewise.
    std::vector<z3::expr> only_sure, none_but_default;
    for (std::size_t m = 0; m < n; ++m) {
      only_sure.push_back(leads_to(M[m], S[m]));
      if (!has_default || m != d) none_but_default.push_back(not_(M[m]));
    }
    const z3::expr settled = pick(decided, all_of(ctx_, only_sure), all_of(ctx_, none_but_default));
    for (std::size_t m = 0; m < n; ++m) {
      const z3::expr by_default = has_default && m == d ? not_(decided) : lit(ctx_, false);
      o.possible[m] = and_(not_(conflict), or_(M[m], or_(S[m], by_default)));
    }
    o.conflict = conflict;
    o.settled = or_(conflict, settled);
    // Unknown in some completion: a conflict; a rule that may apply beside the one that does (maybe a
    // conflict); no rule for sure and no default, or two values among those that may apply.
    const z3::expr undecided_unknown =
        pick(settled, lit(ctx_, !has_default), or_(lit(ctx_, !has_default), at_least_two(ctx_, M)));
    o.may_be_unknown = or_(conflict, pick(decided, not_(settled), undecided_unknown));
    z3::expr sure_value = ctx_.int_val(0);
    for (std::size_t m = n; m-- > 0;) sure_value = pick(S[m], ctx_.int_val(static_cast<std::int64_t>(m)), sure_value);
    // While not settled: the first member of `dans le doute` that is possible.
    z3::expr doubt_value = ctx_.int_val(0);
    std::vector<z3::expr> doubt_known;
    for (std::size_t i = info.doubt.size(); i-- > 0;) {
      const std::uint32_t m = info.doubt[i];
      if (m >= n) continue;
      doubt_value = pick(o.possible[m], ctx_.int_val(m), doubt_value);
      doubt_known.push_back(o.possible[m]);
    }
    o.known = and_(not_(conflict), pick(settled, or_(decided, lit(ctx_, has_default)), any_of(ctx_, doubt_known)));
    o.value = pick(settled, pick(decided, sure_value, ctx_.int_val(has_default ? static_cast<std::int64_t>(d) : 0)),
                   doubt_value);
  }

  z3::context& ctx_;
  const Program& p_;
  std::vector<Sym> R_;
  std::vector<RuleCode> codes_;
  std::vector<std::size_t> first_proviso_;
  std::vector<Bits> provisos_;
  std::vector<std::optional<Tri>> aside_;
  std::vector<std::vector<Writer>> writers_;
  ProgramSym out_;
};

}  // namespace

ProgramSym encode(z3::context& ctx, const Program& program, std::vector<Sym> fact_slots) {
  return Encoder(ctx, program).run(std::move(fact_slots));
}

// ----- searching cases ---------------------------------------------------------------------------

Search::Search(z3::context& ctx, const CaseSpace& space, unsigned timeout_ms) : ctx_(ctx), space_(space), solver_(ctx) {
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

z3::expr Search::name(const z3::expr& e) {
  if (e.is_true() || e.is_false() || e.is_numeral()) return e;
  const std::string id = fmt::format("name #{}", names_++);
  const z3::expr n = e.is_bool() ? ctx_.bool_const(id.c_str()) : ctx_.int_const(id.c_str());
  solver_.add(n == e);
  return n;
}

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
  // One pass tries to drop each line. A line that cannot be dropped never can later: the lines left
  // out only grow, so the question only gets harder. The witness is then minimal: without any one of
  // its lines, whatever the other values, the goal no longer holds.
  std::vector<std::size_t> candidates, unreadable;
  for (std::size_t c = 0; c < facts.size(); ++c) {
    if (facts[c].always_written || !written(c)) continue;
    bool everywhere = true;
    for (std::size_t p = 0; p < n_programs; ++p)
      everywhere = everywhere && model.eval(space_.read_by(c, p), true).is_true();
    (everywhere ? candidates : unreadable).push_back(c);
  }
  candidates.insert(candidates.begin(), unreadable.begin(), unreadable.end());
  for (const std::size_t c : candidates) {
    if (!written(c)) continue;  // an earlier step dropped it
    z3::expr_vector assumptions = copy(kept_out);
    assumptions.push_back(!facts[c].given);
    if (solver_.check(assumptions) != z3::sat) continue;
    model = solver_.get_model();
    for (const std::size_t d : candidates) {
      if (!written(d)) kept_out.push_back(!facts[d].given);
    }
  }
  solver_.pop();
  last_ = model;
  return space_.witness(model, keywords);
}

bool Search::holds_on_last_witness(const z3::expr& e) {
  return last_ && last_->eval(e, true).is_true();
}

}  // namespace secretc::smt
