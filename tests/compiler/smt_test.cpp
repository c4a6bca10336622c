// The symbolic encoding of programs (analysis/smt) against the VM: on random cases — facts given, given
// as `?`, or left out —, the formulas Z3 evaluates must give exactly what Machine::evaluate gives: every
// field of every output (value to act on, conflict, settled, possible, may be unknown; for sets, what
// they hold for sure and maybe), the three-valued firing and applying of every rule, the rules that
// decide and those set aside, and the provisos the answer states. Every answer of `diff` and `lint`
// rests on this.
#include <doctest/doctest.h>

#include <random>

#include <fmt/format.h>

#include "analysis/decompile.hpp"
#include "analysis/smt.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

constexpr std::int64_t kToday = 19000;  // 2022-01-08

// Every construct the VM has: Kleene logic, comparisons and chains, ranges of articles, strings,
// `is known`, a slot compared with itself, validity, precedence, conflicts, values in doubt, provisos,
// warnings, outputs and set outputs read by conditions.
const char* kEveryConstruct = R"(
rulebase "smt" version "1" as of 2024-01-01
enum color { red, green, blue }
enum tag { p, q, r }
fact a : bool
fact b : bool = true
fact c : color
fact n : integer
fact cas.date : date = today
fact art : article
fact s : string
fact t : string
fact k : tag
define big = n > 10
define listed = art in { 371/1 .. 377, 380, "405ter" }
output v : enum { keep, may, must } = keep in doubt keep, may
output w : enum { x, y } in doubt y
output tags : set of tag
rule r1 when a and c == red provided n is known "n is given" then v = may, tags += p
rule r2 overrides r1 when b and not big then v = keep, tags += q
rule r3 when c in { green, blue } or listed then v = must, w = x
rule r4 valid from 2020-01-01 until 2022-01-01 when s == "bonjour" then tags += r
rule r5 when s == t and s is known then w = y
rule r6 when k in tags and n is unknown then w = x
rule r7 when v == must and 1 <= n < 5 then tags += r
rule r8 when not (a or b) and c not in { blue } provided n < 3 "few" provided a == a then v = must
rule r9 overrides r3 when n == n and c == c and art in { } then w = y
warning heads_up valid from 2021-06-01 when w is unknown and not a
)";

// Values worth trying: every constant of the program of the right type, a neighbour of it, the bounds
// of the rules' periods, and a few others, so that comparisons fall on both sides of their bounds.
std::vector<std::int64_t> interesting(const Program& p, TypeKind kind) {
  std::vector<std::int64_t> out;
  for (std::size_t k = 0; k < p.constants.size(); ++k) {
    if (p.constant_types[k].kind != kind) continue;
    out.push_back(p.constants[k].payload);
    if (kind != TypeKind::String) {
      out.push_back(p.constants[k].payload - 1);
      out.push_back(p.constants[k].payload + 1);
    }
  }
  if (kind == TypeKind::Date) {
    for (const RuleInfo& r : p.rules) {
      for (const auto& bound : {r.valid_from, r.valid_until}) {
        if (!bound) continue;
        out.push_back(*bound);
        out.push_back(*bound - 1);
      }
    }
    out.push_back(days_from_civil(2024, 5, 1));
  }
  if (kind == TypeKind::Integer) out.push_back(0);
  if (kind == TypeKind::Article) out.push_back(*parse_article("458"));
  return out;
}

using Entries = std::vector<std::pair<std::string, std::string>>;

// A case: each fact left out, written `?`, or given a value; `complete` gives every fact a value.
Entries random_case(const Program& p, std::mt19937& rng, bool complete) {
  Entries c;
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  for (std::size_t f = 0; f < p.facts.size(); ++f) {
    const FactInfo& info = p.facts[f];
    const std::size_t roll = complete ? 9 : pick(10);
    if (roll < 3 && !(complete && info.default_kind == DefaultKind::None)) continue;  // not written
    if (roll == 3) {
      c.emplace_back(info.name, "?");
      continue;
    }
    std::string value;
    switch (info.type.kind) {
      case TypeKind::Bool:
        value = pick(2) == 0 ? "true" : "false";
        break;
      case TypeKind::Enum: {
        const auto& members = p.enums[info.type.enum_id].members;
        value = members[pick(members.size())];
        break;
      }
      case TypeKind::String: {
        const auto ids = interesting(p, TypeKind::String);
        // A text of the program, or one of its own (distinct per fact).
        value = !ids.empty() && pick(3) != 0
                    ? fmt::format("\"{}\"", p.strings[static_cast<std::size_t>(ids[pick(ids.size())])])
                    : fmt::format("\"texte {}\"", f);
        break;
      }
      default: {
        const auto values = interesting(p, info.type.kind);
        const std::int64_t v = values[pick(values.size())];
        if (info.type.kind == TypeKind::Date) value = format_date(v);
        if (info.type.kind == TypeKind::Integer) value = fmt::format("{}", v);
        if (info.type.kind == TypeKind::Article) value = fmt::format("\"{}\"", format_article(v));
        break;
      }
    }
    c.emplace_back(info.name, value);
  }
  return c;
}

// The case as constraints on the case space of one program.
z3::expr pin(z3::context& ctx, const smt::CaseSpace& space, const Program& p, const Entries& c) {
  z3::expr_vector parts(ctx);
  std::vector<std::string> strings;
  for (const std::string& s : p.strings) {
    if (std::find(strings.begin(), strings.end(), s) == strings.end()) strings.push_back(s);
  }
  std::size_t other = 0;
  for (const smt::CaseFact& f : space.facts()) {
    const auto it = std::find_if(c.begin(), c.end(), [&](const auto& e) { return e.first == f.name; });
    const bool is_string = f.type.kind == TypeKind::String;
    if (it == c.end() && f.always_written) {
      // A `today` default: the case space always writes it, as the day the binder gives it.
      parts.push_back(f.given && f.known && f.value == ctx.int_val(kToday));
      continue;
    }
    if (it == c.end()) {
      parts.push_back(!f.given);
      other += is_string ? 1 : 0;
      continue;
    }
    parts.push_back(f.given);
    if (it->second == "?") {
      parts.push_back(!f.known);
      other += is_string ? 1 : 0;
      continue;
    }
    parts.push_back(f.known);
    const std::string& text = it->second;
    const FactInfo& info = p.facts[static_cast<std::size_t>(f.fact_of[0])];
    switch (info.type.kind) {
      case TypeKind::Bool:
        parts.push_back(f.value == ctx.bool_val(text == "true"));
        break;
      case TypeKind::Enum:
        parts.push_back(f.value == ctx.int_val(static_cast<int>(*p.find_member(info.type.enum_id, text))));
        break;
      case TypeKind::Date:
        parts.push_back(f.value == ctx.int_val(*parse_date(text)));
        break;
      case TypeKind::Integer:
        parts.push_back(f.value == ctx.int_val(static_cast<std::int64_t>(std::stoll(text))));
        break;
      case TypeKind::Article:
        parts.push_back(f.value == ctx.int_val(*parse_article(text.substr(1, text.size() - 2))));
        break;
      case TypeKind::String: {
        const std::string inner = text.substr(1, text.size() - 2);
        const auto s = std::find(strings.begin(), strings.end(), inner);
        const std::size_t index =
            s != strings.end() ? static_cast<std::size_t>(s - strings.begin()) : strings.size() + other;
        parts.push_back(f.value == ctx.int_val(static_cast<std::int64_t>(index)));
        ++other;
        break;
      }
      case TypeKind::Set:
        break;
    }
  }
  return z3::mk_and(parts);
}

// The formulas of a program, each named by a fresh constant asserted equal to it, so that a model of
// a pinned case gives every one at once (evaluating each formula in the model would walk it again).
class Probes {
 public:
  Probes(z3::context& ctx, z3::solver& solver) : ctx_(ctx), solver_(solver) {}

  z3::expr operator()(const z3::expr& e) {
    const std::string name = fmt::format("probe {}", count_++);
    const z3::expr probe = e.is_bool() ? ctx_.bool_const(name.c_str()) : ctx_.int_const(name.c_str());
    solver_.add(probe == e);
    return probe;
  }
  smt::Tri operator()(const smt::Tri& t) { return {(*this)(t.sure), (*this)(t.may)}; }
  std::vector<z3::expr> operator()(const std::vector<z3::expr>& xs) {
    std::vector<z3::expr> out;
    for (const auto& x : xs) out.push_back((*this)(x));
    return out;
  }

 private:
  z3::context& ctx_;
  z3::solver& solver_;
  std::size_t count_ = 0;
};

Truth truth(const z3::model& m, const smt::Tri& t) {
  const bool sure = m.eval(t.sure, true).is_true(), may = m.eval(t.may, true).is_true();
  if (sure && !may) return Truth::Unknown;  // impossible: shows as a disagreement below
  return sure ? Truth::True : may ? Truth::Unknown : Truth::False;
}

std::uint64_t mask(const z3::model& m, const std::vector<z3::expr>& bits) {
  std::uint64_t out = 0;
  for (std::size_t b = 0; b < bits.size(); ++b) out |= m.eval(bits[b], true).is_true() ? (1ULL << b) : 0;
  return out;
}

// What the comparisons met: a cross-check of unsettled answers proves nothing if no case had one.
struct Tally {
  std::size_t cases = 0, uncertain = 0, unsettled = 0, maybe_fires = 0, stated = 0, conflicts = 0, doubt_values = 0;
};

// The answer the formulas give on model `m`, as the VM's OutputValue.
OutputValue output_value(const z3::model& m, const Program& p, const smt::OutputSym& o, std::size_t index) {
  OutputValue v;
  v.settled = m.eval(o.settled, true).is_true();
  if (p.outputs[index].kind == OutputKind::Set) {
    v.value = Value::of(static_cast<std::int64_t>(mask(m, o.sure)));
    v.possible = mask(m, o.may);
    return v;
  }
  v.conflict = m.eval(o.conflict, true).is_true();
  if (m.eval(o.known, true).is_true()) v.value = Value::of(m.eval(o.value, true).get_numeral_int64());
  v.possible = mask(m, o.possible);
  v.may_be_unknown = m.eval(o.may_be_unknown, true).is_true();
  return v;
}

void agrees_with_the_vm(const Program& p, int cases, unsigned seed, Tally& tally) {
  z3::context ctx;
  smt::CaseSpace space(ctx, {&p}, kToday);
  const smt::ProgramSym sym = smt::encode(ctx, p, space.fact_slots(0));
  z3::solver solver(ctx);
  solver.add(space.domain());
  Probes probe(ctx, solver);
  std::vector<smt::OutputSym> outputs;
  for (const smt::OutputSym& o : sym.outputs) {
    outputs.push_back({probe(o.conflict), probe(o.settled), probe(o.known), probe(o.value), probe(o.possible),
                       probe(o.may_be_unknown), probe(o.sure), probe(o.may)});
  }
  std::vector<smt::Tri> fires, applies, aside;
  for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
    fires.push_back(probe(sym.fires[rule]));
    applies.push_back(probe(sym.applies[rule]));
    aside.push_back(probe(sym.set_aside[rule]));
  }
  const std::vector<z3::expr> stated_probes = probe(sym.stated);
  Machine machine(p);
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const Entries c = random_case(p, rng, i % 5 == 0);
    std::string shown;
    for (const auto& [name, value] : c) shown += fmt::format("{} = {}\n", name, value);
    CAPTURE(shown);
    const BoundCase bound = secretc::testing::bind(p, c, kToday);
    const Result& r = machine.evaluate(bound.facts, &bound.given);
    solver.push();
    solver.add(pin(ctx, space, p, c));
    REQUIRE(solver.check() == z3::sat);
    const z3::model m = solver.get_model();
    solver.pop();
    ++tally.cases;
    tally.uncertain += r.uncertain ? 1 : 0;
    tally.stated += r.provisos.size();
    tally.conflicts += r.conflicts.size();
    for (std::size_t o = 0; o < p.outputs.size(); ++o) {
      CAPTURE(p.outputs[o].name);
      const OutputValue got = output_value(m, p, outputs[o], o);
      const OutputValue& want = r.outputs[o];
      CHECK(got.settled == want.settled);
      CHECK(got.conflict == want.conflict);
      CHECK(got.value == want.value);
      CHECK(got.possible == want.possible);
      CHECK(got.may_be_unknown == want.may_be_unknown);
      tally.unsettled += want.settled ? 0 : 1;
      tally.doubt_values += !want.settled && want.value.known && p.outputs[o].kind == OutputKind::Scalar ? 1 : 0;
    }
    for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
      CAPTURE(p.rules[rule].name);
      CHECK(truth(m, fires[rule]) == r.conditions[rule]);
      CHECK(truth(m, applies[rule]) == r.applies[rule]);
      tally.maybe_fires += r.conditions[rule] == Truth::Unknown ? 1 : 0;
      const bool fired = std::find(r.fired.begin(), r.fired.end(), rule) != r.fired.end();
      CHECK((truth(m, applies[rule]) == Truth::True) == fired);
      const bool overridden =
          std::any_of(r.overridden.begin(), r.overridden.end(), [&](const Overridden& x) { return x.rule == rule; });
      CHECK((truth(m, fires[rule]) == Truth::True && truth(m, aside[rule]) == Truth::True) == overridden);
    }
    std::vector<std::uint32_t> stated;
    for (std::uint32_t k = 0; k < stated_probes.size(); ++k) {
      if (m.eval(stated_probes[k], true).is_true()) stated.push_back(k);
    }
    CHECK(stated == r.provisos);
  }
}

// ----- random rulebases --------------------------------------------------------------------------

// A random well-typed English rulebase over every construct: facts of every type (with and without
// defaults), definitions, scalar outputs with and without default and `in doubt`, a set output read by
// conditions, precedence, validity, provisos and warnings. Outputs are read only by rules deciding
// later outputs (and the rules overriding those decide outputs no later), so that the order exists.
class RandomRulebase {
 public:
  explicit RandomRulebase(std::mt19937& rng) : rng_(rng) {}

  std::string text() {
    std::string out = "rulebase \"random\" version \"1\"\n";
    out += "enum e0 { m0, m1, m2 }\nenum e1 { k0, k1, k2, k3 }\n";
    out += chance(2) ? "fact cas.date : date = today\n" : "fact cas.date : date\n";
    out += "fact b0 : bool\nfact b1 : bool = false\nfact b2 : bool\n";
    out += chance(2) ? "fact c0 : e0\n" : "fact c0 : e0 = m1\n";
    out += "fact c1 : e1\nfact n : integer\nfact art : article\nfact s : string\nfact t : string\nfact d2 : date\n";
    out += "define set0 = { m0, m2 }\ndefine arts = { 371/1 .. 377, 380 }\n";
    out += fmt::format("define def0 = {}\n", expr(2, 0));
    out += fmt::format("define def1 = {}\n", expr(2, 0));
    defined_ = true;
    // o0, o1 scalar, o2 a set, o3 scalar of a named enumeration: a rule writing o_i reads o_j, j < i.
    out += "output o0 : enum { x, y, z } = x" + std::string(chance(2) ? " in doubt y, x\n" : "\n");
    out += "output o1 : enum { u, w }" + std::string(chance(2) ? " in doubt w\n" : "\n");
    out += "output o2 : set of e0\n";
    out += chance(2) ? "output o3 : e1 = k0 in doubt k3, k1\n" : "output o3 : e1\n";
    const std::size_t rules = 4 + pick(7);
    std::vector<std::size_t> level;
    for (std::size_t r = 0; r < rules; ++r) {
      std::vector<std::size_t> writes;
      for (std::size_t o = 0; o < 4; ++o) {
        if (chance(3)) writes.push_back(o);
      }
      if (writes.empty()) writes.push_back(pick(4));
      level.push_back(writes.front());
      std::string rule = fmt::format("rule r{}", r);
      std::vector<std::string> over;
      for (std::size_t s = 0; s < r; ++s) {
        if (level[s] >= level[r] && pick(4) == 0) over.push_back(fmt::format("r{}", s));
      }
      if (!over.empty()) rule += " overrides " + join(over);
      if (chance(4)) rule += " " + validity();
      if (!chance(8)) rule += " when " + expr(3, writes.front());
      for (std::size_t k = pick(4) == 0 ? 1 + pick(2) : 0; k > 0; --k) {
        rule += fmt::format(" provided {} \"p{}\"", expr(1, writes.front()), k);
      }
      std::vector<std::string> effects;
      for (const std::size_t o : writes) effects.push_back(effect(o));
      out += rule + " then " + join(effects) + "\n";
    }
    for (std::size_t k = pick(3); k > 0; --k) {
      out += fmt::format("warning heads_up{}{} when {}\n", k, chance(3) ? " " + validity() : "", expr(2, 4));
    }
    return out;
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool chance(std::size_t one_in) { return pick(one_in) == 0; }

  static std::string join(const std::vector<std::string>& xs) {
    std::string out;
    for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
    return out;
  }

  std::string validity() {
    static const char* const kDays[] = {"2017-05-17", "2019-03-14", "2021-06-01", "2022-01-08", "2022-01-09"};
    const std::size_t a = pick(4), b = a + 1 + pick(4 - a);
    switch (pick(3)) {
      case 0:
        return fmt::format("valid from {} until {}", kDays[a], kDays[b]);
      case 1:
        return fmt::format("valid from {}", kDays[a]);
      default:
        return fmt::format("valid until {}", kDays[b]);
    }
  }

  std::string effect(std::size_t o) {
    static const char* const kO0[] = {"x", "y", "z"};
    static const char* const kO1[] = {"u", "w"};
    static const char* const kE0[] = {"m0", "m1", "m2"};
    static const char* const kE1[] = {"k0", "k1", "k2", "k3"};
    switch (o) {
      case 0:
        return fmt::format("o0 = {}", kO0[pick(3)]);
      case 1:
        return fmt::format("o1 = {}", kO1[pick(2)]);
      case 2:
        return chance(2) ? fmt::format("o2 += {}", kE0[pick(3)])
                         : fmt::format("o2 += {{ {}, {} }}", kE0[pick(3)], kE0[pick(3)]);
      default:
        return fmt::format("o3 = {}", kE1[pick(4)]);
    }
  }

  // A condition that may read the outputs before `level`.
  std::string expr(std::size_t depth, std::size_t level) {
    if (depth > 0 && !chance(3)) {
      switch (pick(3)) {
        case 0:
          return fmt::format("({} and {})", expr(depth - 1, level), expr(depth - 1, level));
        case 1:
          return fmt::format("({} or {})", expr(depth - 1, level), expr(depth - 1, level));
        default:
          return fmt::format("not ({})", expr(depth - 1, level));
      }
    }
    for (;;) {
      switch (pick(24)) {
        case 0:
          return "b0";
        case 1:
          return "b1";
        case 2:
          return "b2 == b0";
        case 3:
          return "c0 == m1";
        case 4:
          return "c0 != m0";
        case 5:
          return "c0 in { m0, m1 }";
        case 6:
          return "c0 not in set0";
        case 7:
          return "c1 in { k1, k2 }";
        case 8:
          return pick(2) == 0 ? "n > 3" : "1 <= n < 5";
        case 9:
          return "n == n";
        case 10:
          return pick(2) == 0 ? "cas.date >= 2020-01-01" : "d2 < cas.date";
        case 11:
          return pick(2) == 0 ? "art in arts" : "art in { \"405ter\", 458 }";
        case 12:
          return pick(2) == 0 ? "s == \"bonjour\"" : "s == t";
        case 13:
          return pick(2) == 0 ? "s is known" : "n is unknown";
        case 14:
          return "c1 == c1";
        case 15:
          return "art in { }";
        case 16:
          if (!defined_) continue;
          return pick(2) == 0 ? "def0" : "not def1";
        case 17:
          return "c0 is known";
        case 18:
          if (level == 0) continue;
          return pick(2) == 0 ? "o0 == y" : "o0 is known";
        case 19:
          if (level <= 1) continue;
          return pick(2) == 0 ? "o1 != w" : "o1 is unknown";
        case 20:
          if (level <= 2) continue;
          return pick(2) == 0 ? "c0 in o2" : "c0 not in o2";
        case 21:
          if (level <= 3) continue;
          return "o3 in { k1, k3 }";
        case 22:
          return "b0 == true";
        default:
          return "c1 != k2";
      }
    }
  }

  std::mt19937& rng_;
  bool defined_ = false;
};

}  // namespace

TEST_CASE("the symbolic program agrees with the VM on random cases of every construct") {
  const auto c = compile_one(kEveryConstruct);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Tally tally;
  agrees_with_the_vm(*c.program, 1500, 1, tally);
  // The comparisons met every kind of answer.
  CHECK(tally.uncertain > 900);
  CHECK(tally.unsettled > 100);
  CHECK(tally.maybe_fires > 100);
  CHECK(tally.stated > 10);
  CHECK(tally.conflicts > 10);
  CHECK(tally.doubt_values > 10);
}

TEST_CASE("the symbolic program agrees with the VM on random cases of random rulebases") {
  std::mt19937 rng(7);
  Tally tally;
  std::size_t compiled = 0;
  for (int i = 0; i < 60; ++i) {
    const std::string text = RandomRulebase(rng).text();
    CAPTURE(text);
    const auto c = compile_one(text);
    // Every rulebase the generator writes is well typed and ordered: one that does not compile is a
    // generator bug, shown here.
    REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
    ++compiled;
    agrees_with_the_vm(*c.program, 40, static_cast<unsigned>(100 + i), tally);
  }
  CHECK(compiled == 60);
  CHECK(tally.unsettled > 200);
  CHECK(tally.maybe_fires > 200);
  CHECK(tally.stated > 20);
  CHECK(tally.conflicts > 20);
  CHECK(tally.doubt_values > 20);
}

TEST_CASE("the symbolic program agrees with the VM on random cases of the Belgian rulebase") {
  // Whatever its rules are: only the encoding and the VM are compared.
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Tally tally;
  agrees_with_the_vm(*c.program, 1000, 2, tally);
  CHECK(tally.uncertain > 500);
  CHECK(tally.unsettled > 0);
}

TEST_CASE("the symbolic program agrees with the VM on the mini rulebase") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/tests/data/mini"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Tally tally;
  agrees_with_the_vm(*c.program, 1000, 3, tally);
  CHECK(tally.unsettled > 20);
}

TEST_CASE("the symbolic program agrees with the VM on the diff demonstration's rulebase of 13 March 2019") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/tests/data/diff/stdlib_2019-03-13"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Tally tally;
  agrees_with_the_vm(*c.program, 500, 4, tally);
}

// A set compared with itself holds one value, even when it may hold no member (found by this
// encoding's cross-check: `run_abstract` once asked the set for a value it may take).
TEST_CASE("a set compared with itself is true even when it holds no member") {
  const auto c = compile_one(R"(
rulebase "x" version "1"
enum tag { p, q }
fact a : bool
fact z : bool
output tags : set of tag
output v : enum { yes, no } = no
rule r1 when a then tags += p
rule r2 when tags == tags then v = yes
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  Machine machine(p);
  const BoundCase complete = secretc::testing::bind(p, {{"a", "false"}, {"z", "true"}}, kToday);
  REQUIRE(output_of(p, machine.evaluate(complete.facts, &complete.given), "v") == "yes");
  const BoundCase partial = secretc::testing::bind(p, {{"a", "false"}}, kToday);
  CHECK(output_of(p, machine.evaluate(partial.facts, &partial.given), "v") == "yes");
}

TEST_CASE("the encoding compares a set with itself as true, with unknown facts or without") {
  const auto c = compile_one(R"(
rulebase "x" version "1"
enum tag { p, q }
fact a : bool
output tags : set of tag
output v : enum { yes, no } = no
rule r1 when a then tags += p
rule r2 when tags == tags then v = yes
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  z3::context ctx;
  smt::CaseSpace space(ctx, {&*c.program}, kToday);
  const smt::ProgramSym sym = smt::encode(ctx, *c.program, space.fact_slots(0));
  smt::Search search(ctx, space, 10000);
  CHECK(search.exists(!sym.fires[1].sure) == smt::Answer::No);
}

TEST_CASE("a witness is minimal: dropping any of its lines loses what it shows") {
  const auto c = compile_one(kEveryConstruct);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  z3::context ctx;
  smt::CaseSpace space(ctx, {&p}, kToday);
  const smt::ProgramSym sym = smt::encode(ctx, p, space.fact_slots(0));
  smt::Search search(ctx, space, 10000);
  smt::Answer answer = smt::Answer::Unknown;
  const auto w = search.witness(sym.applies[*p.find_rule("r7")].sure, Keywords::English, std::nullopt, answer);
  REQUIRE(answer == smt::Answer::Yes);
  REQUIRE(w.has_value());
  // r7 applies for sure: v must for sure (r3: c green or blue, or a listed article, and r9 not firing
  // — it cannot, `art in { }` never holds), without r2 nor r8 (b false), and 1 <= n < 5.
  Machine machine(p);
  const auto run = [&](const std::vector<smt::WitnessLine>& lines) {
    Entries given;
    for (const auto& l : lines) given.emplace_back(l.name, l.value);
    const BoundCase bound = secretc::testing::bind(p, given, kToday);
    return fired(p, machine.evaluate(bound.facts, &bound.given), "r7");
  };
  CAPTURE(w->file_text({}));
  CHECK(run(w->lines));
  CHECK(w->lines.size() >= 4);  // the date, b, c (or art), n
  for (std::size_t i = 0; i < w->lines.size(); ++i) {
    if (w->lines[i].name == "cas.date") continue;
    auto fewer = w->lines;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
    CHECK_FALSE(run(fewer));
  }
}

TEST_CASE("a witness may write `?` and leave facts out, and the VM confirms it") {
  // `d` may apply while `a` is unknown: the witness leaves `a` out, and `g` to its default.
  const auto c = compile_one(R"(
rulebase "x" version "1"
fact a : bool
fact b : bool
fact g : bool = true
output v : enum { keep, may } = keep in doubt keep
rule d when a and g and not b then v = may
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  z3::context ctx;
  smt::CaseSpace space(ctx, {&p}, kToday);
  const smt::ProgramSym sym = smt::encode(ctx, p, space.fact_slots(0));
  smt::Search search(ctx, space, 10000);
  smt::Answer answer = smt::Answer::Unknown;
  // Not settled, while `b` is written: possible only when `a` is unknown.
  const z3::expr b_written = space.facts()[1].given;
  const auto w = search.witness(!sym.outputs[0].settled && b_written, Keywords::English, std::nullopt, answer);
  REQUIRE(answer == smt::Answer::Yes);
  REQUIRE(w.has_value());
  CAPTURE(w->file_text({}));
  REQUIRE(w->lines.size() == 1);
  CHECK(w->lines[0].name == "b");
  CHECK((w->lines[0].value == "false" || w->lines[0].value == "?"));
  std::string error;
  const auto r = smt::run_witness(p, *w, 0, kToday, error);
  REQUIRE_MESSAGE(r.has_value(), error);
  CHECK_FALSE(r->outputs[0].settled);
  CHECK(r->outputs[0].possible == 3);
  CHECK(r->outputs[0].value == Value::of(0));  // in doubt: keep
  // Asked for `b` written as `?` (then `d` may apply whatever `a`): that one line, and nothing else.
  const z3::expr b_unknown = b_written && !space.facts()[1].known;
  const auto q = search.witness(!sym.outputs[0].settled && b_unknown, Keywords::English, std::nullopt, answer);
  REQUIRE(q.has_value());
  CHECK(q->file_text_for(0) == "b = ?\n");
  const auto rq = smt::run_witness(p, *q, 0, kToday, error);
  REQUIRE(rq.has_value());
  CHECK_FALSE(rq->outputs[0].settled);
}

TEST_CASE("a condition that can never be true has no witness") {
  const auto c = compile_one(R"(
rulebase "x" version "1"
fact n : integer
output v : enum { a, b }
rule never when n < 3 and n > 5 then v = a
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  z3::context ctx;
  smt::CaseSpace space(ctx, {&*c.program});
  const smt::ProgramSym sym = smt::encode(ctx, *c.program, space.fact_slots(0));
  smt::Search search(ctx, space, 10000);
  CHECK(search.exists(sym.fires[0].sure) == smt::Answer::No);
  // With `n` unknown it may fire: the VM's abstraction does not see that no value satisfies both.
  CHECK(search.exists(sym.fires[0].may) == smt::Answer::Yes);
}
