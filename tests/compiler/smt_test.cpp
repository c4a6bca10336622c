// The symbolic encoding of programs (analysis/smt) against the VM: on random cases, the formulas Z3
// evaluates must give exactly what Machine::evaluate gives — outputs, conflicts, firing and applying
// rules. Every answer of `diff` and `lint` rests on this.
#include <doctest/doctest.h>

#include <random>

#include <fmt/format.h>

#include "analysis/decompile.hpp"
#include "analysis/smt.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

// Every construct the VM has: Kleene logic, comparisons and chains, ranges of articles, strings,
// `est connu`, validity, precedence, conflicts, outputs and set outputs read by conditions.
const char* kEveryConstruct = R"(
rulebase "smt" version "1"
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
output v : enum { keep, may, must } = keep
output w : enum { x, y }
output tags : set of tag
rule r1 when a and c == red then v = may, tags += p
rule r2 overrides r1 when b and not big then v = keep, tags += q
rule r3 when c in { green, blue } or listed then v = must, w = x
rule r4 valid from 2020-01-01 until 2022-01-01 when s == "bonjour" then tags += r
rule r5 when s == t and s is known then w = y
rule r6 when k in tags and n is unknown then w = x
rule r7 when v == must and 1 <= n < 5 then tags += r
rule r8 when not (a or b) and c not in { blue } then v = must
)";

struct RandomCase {
  std::vector<std::pair<std::string, std::string>> entries;  // as a case file writes them
};

// Values worth trying: every constant of the program of the right type, a neighbour of it, and a few
// others, so that comparisons fall on both sides of their bounds.
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
  if (kind == TypeKind::Date) out.push_back(days_from_civil(2024, 5, 1));
  if (kind == TypeKind::Integer) out.push_back(0);
  if (kind == TypeKind::Article) out.push_back(*parse_article("458"));
  return out;
}

RandomCase random_case(const Program& p, std::mt19937& rng) {
  RandomCase c;
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  for (std::size_t f = 0; f < p.facts.size(); ++f) {
    const FactInfo& info = p.facts[f];
    const std::size_t roll = pick(10);
    if (roll < 3) continue;  // not written
    if (roll == 3) {
      c.entries.emplace_back(info.name, "?");
      continue;
    }
    std::string value;
    switch (info.type.kind) {
      case TypeKind::Bool: value = pick(2) == 0 ? "true" : "false"; break;
      case TypeKind::Enum: {
        const auto& members = p.enums[info.type.enum_id].members;
        value = members[pick(members.size())];
        break;
      }
      case TypeKind::String: {
        const auto ids = interesting(p, TypeKind::String);
        // A text of the program, or one of its own (distinct per fact).
        value = !ids.empty() && pick(3) != 0 ? fmt::format("\"{}\"", p.strings[static_cast<std::size_t>(ids[pick(ids.size())])])
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
    c.entries.emplace_back(info.name, value);
  }
  return c;
}

// The case as constraints on the case space of one program.
z3::expr pin(z3::context& ctx, const smt::CaseSpace& space, const Program& p, const RandomCase& c) {
  z3::expr_vector parts(ctx);
  std::size_t other = 0;
  std::vector<std::string> strings;
  for (const std::string& s : p.strings) {
    if (std::find(strings.begin(), strings.end(), s) == strings.end()) strings.push_back(s);
  }
  std::size_t string_facts = 0;
  for (const smt::CaseFact& f : space.facts()) string_facts += f.type.kind == TypeKind::String ? 1 : 0;
  for (const smt::CaseFact& f : space.facts()) {
    const auto it = std::find_if(c.entries.begin(), c.entries.end(), [&](const auto& e) { return e.first == f.name; });
    const bool is_string = f.type.kind == TypeKind::String;
    if (it == c.entries.end() && f.always_written) {
      // A `today` default: the case space always writes it; the VM's today is 19000.
      parts.push_back(f.given && f.known && f.value == ctx.int_val(static_cast<std::int64_t>(19000)));
      continue;
    }
    if (it == c.entries.end()) {
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
      case TypeKind::Bool: parts.push_back(f.value == ctx.bool_val(text == "true")); break;
      case TypeKind::Enum: parts.push_back(f.value == ctx.int_val(static_cast<int>(*p.find_member(info.type.enum_id, text)))); break;
      case TypeKind::Date: parts.push_back(f.value == ctx.int_val(*parse_date(text))); break;
      case TypeKind::Integer: parts.push_back(f.value == ctx.int_val(static_cast<std::int64_t>(std::stoll(text)))); break;
      case TypeKind::Article: parts.push_back(f.value == ctx.int_val(*parse_article(text.substr(1, text.size() - 2)))); break;
      case TypeKind::String: {
        const std::string inner = text.substr(1, text.size() - 2);
        const auto s = std::find(strings.begin(), strings.end(), inner);
        const std::size_t index = s != strings.end() ? static_cast<std::size_t>(s - strings.begin()) : strings.size() + other;
        parts.push_back(f.value == ctx.int_val(static_cast<std::int64_t>(index)));
        ++other;
        break;
      }
      case TypeKind::Set: break;
    }
  }
  (void)string_facts;
  return z3::mk_and(parts);
}

void agrees_with_the_vm(const Program& p, int cases, unsigned seed) {
  z3::context ctx;
  smt::CaseSpace space(ctx, {&p});
  const smt::ProgramSym sym = smt::encode(ctx, p, space.fact_slots(0));
  z3::solver solver(ctx);
  solver.add(space.domain());
  solver.add(ctx.int_const("today") == ctx.int_val(static_cast<std::int64_t>(19000)));
  Machine machine(p);
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const RandomCase c = random_case(p, rng);
    std::string shown;
    for (const auto& [name, value] : c.entries) shown += fmt::format("{} = {}\n", name, value);
    CAPTURE(shown);
    const Result& r = machine.evaluate(secretc::testing::bind(p, c.entries, 19000).facts);
    solver.push();
    solver.add(pin(ctx, space, p, c));
    REQUIRE(solver.check() == z3::sat);
    const z3::model m = solver.get_model();
    solver.pop();
    for (std::size_t o = 0; o < p.outputs.size(); ++o) {
      CAPTURE(p.outputs[o].name);
      const smt::OutputSym& out = sym.outputs[o];
      if (p.outputs[o].kind == OutputKind::Set) {
        std::uint64_t mask = 0;
        for (std::size_t b = 0; b < out.bits.size(); ++b) mask |= m.eval(out.bits[b], true).is_true() ? (1ULL << b) : 0;
        CHECK(mask == static_cast<std::uint64_t>(r.outputs[o].value.payload));
        continue;
      }
      CHECK(m.eval(out.conflict, true).is_true() == r.outputs[o].conflict);
      const bool known = m.eval(out.known, true).is_true();
      CHECK(known == r.outputs[o].value.known);
      if (known && r.outputs[o].value.known) CHECK(m.eval(out.value, true).get_numeral_int64() == r.outputs[o].value.payload);
    }
    for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
      CAPTURE(p.rules[rule].name);
      CHECK(m.eval(sym.fires[rule], true).is_true() == (r.conditions[rule] == Truth::True));
      const bool applied = std::find(r.fired.begin(), r.fired.end(), rule) != r.fired.end();
      CHECK(m.eval(sym.applies[rule], true).is_true() == applied);
    }
  }
}

}  // namespace

TEST_CASE("the symbolic program agrees with the VM on random cases of every construct") {
  const auto c = compile_one(kEveryConstruct);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  agrees_with_the_vm(*c.program, 400, 1);
}

TEST_CASE("the symbolic program agrees with the VM on random cases of the Belgian rulebase") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  agrees_with_the_vm(*c.program, 150, 2);
}

TEST_CASE("the symbolic program agrees with the VM on the mini rulebase") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/tests/data/mini"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  agrees_with_the_vm(*c.program, 200, 3);
}

TEST_CASE("a witness is minimal: dropping any of its lines loses what it shows") {
  const auto c = compile_one(kEveryConstruct);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  z3::context ctx;
  smt::CaseSpace space(ctx, {&p});
  const smt::ProgramSym sym = smt::encode(ctx, p, space.fact_slots(0));
  smt::Search search(ctx, space, 10000);
  smt::Answer answer = smt::Answer::Unknown;
  const auto w = search.witness(sym.applies[*p.find_rule("r7")], Keywords::English, std::nullopt, answer);
  REQUIRE(answer == smt::Answer::Yes);
  REQUIRE(w.has_value());
  // r7 needs v == must (r3: c green or blue, or a listed article) without r2 (b false), and 1 <= n < 5;
  // the date is always written.
  Machine machine(p);
  const auto run = [&](const std::vector<smt::WitnessLine>& lines) {
    std::vector<std::pair<std::string, std::string>> given;
    for (const auto& l : lines) given.emplace_back(l.name, l.value);
    const Result& r = machine.evaluate(secretc::testing::bind(p, given, 19000).facts);
    return fired(p, r, "r7");
  };
  CAPTURE(w->file_text({}));
  CHECK(run(w->lines));
  CHECK(w->lines.size() >= 4);  // d, b, c (or art), n
  for (std::size_t i = 0; i < w->lines.size(); ++i) {
    if (w->lines[i].name == "cas.date") continue;
    auto fewer = w->lines;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
    CHECK_FALSE(run(fewer));
  }
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
  CHECK(search.exists(sym.fires[0]) == smt::Answer::No);
}
