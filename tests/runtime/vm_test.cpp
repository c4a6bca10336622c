#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

using namespace secretc;

namespace {

constexpr Type kBool{TypeKind::Bool, 0};
constexpr Type kInteger{TypeKind::Integer, 0};
constexpr Type kDate{TypeKind::Date, 0};
constexpr Type kArticle{TypeKind::Article, 0};
constexpr Type kString{TypeKind::String, 0};

constexpr Value kUnknown = Value::unknown();
constexpr Value kTrue = Value::of(1);
constexpr Value kFalse = Value::of(0);

// Builds small programs the way lowering would: facts first, then temporaries written by straight-line
// code, each rule fired once and each output resolved once. finish() closes precedence transitively and
// insists that the verifier accepts the result, since the VM runs only verified programs.
class ProgramBuilder {
 public:
  std::uint32_t add_enum(std::string name, std::vector<std::string> members) {
    program_.enums.push_back({std::move(name), std::move(members), {}});
    return static_cast<std::uint32_t>(program_.enums.size() - 1);
  }

  std::int64_t string(std::string text) {
    program_.strings.push_back(std::move(text));
    return static_cast<std::int64_t>(program_.strings.size() - 1);
  }

  std::uint32_t fact(std::string name, Type type) {
    REQUIRE(program_.slot_types.size() == program_.facts.size());  // facts come before any temporary
    FactInfo f;
    f.name = name;
    f.type = type;
    program_.facts.push_back(f);
    program_.slot_types.push_back(type);
    program_.slot_names.push_back(std::move(name));
    return static_cast<std::uint32_t>(program_.facts.size() - 1);
  }

  std::uint32_t output(std::string name, OutputKind kind, std::uint32_t enum_id,
                       std::optional<std::uint32_t> default_member = std::nullopt,
                       std::vector<std::uint32_t> doubt = {}) {
    program_.outputs.push_back(OutputInfo{std::move(name), kind, enum_id, default_member.has_value(),
                                          default_member.value_or(0), std::move(doubt)});
    return static_cast<std::uint32_t>(program_.outputs.size() - 1);
  }

  std::uint32_t rule(std::string name, std::vector<Effect> effects, std::vector<std::uint32_t> facts_read) {
    RuleInfo r;
    r.name = std::move(name);
    r.effects = std::move(effects);
    r.facts_read = std::move(facts_read);
    program_.rules.push_back(std::move(r));
    return static_cast<std::uint32_t>(program_.rules.size() - 1);
  }

  // A warning: no effects, nothing overrides it (`avertissement`).
  std::uint32_t warning(std::string name, std::vector<std::uint32_t> facts_read) {
    const std::uint32_t r = rule(std::move(name), {}, std::move(facts_read));
    program_.rules[r].kind = RuleKind::Warning;
    return r;
  }

  void overrides(std::uint32_t winner, std::uint32_t loser) { program_.rules[winner].overrides.push_back(loser); }

  // `valable du from au until` (days), judged on the date fact.
  void valid(std::uint32_t rule, std::optional<std::int64_t> from, std::optional<std::int64_t> until) {
    program_.rules[rule].valid_from = from;
    program_.rules[rule].valid_until = until;
  }
  void date_fact(std::uint32_t fact) { program_.date_fact = fact; }

  // `pourvu que` the bool in `condition`: weighed here, before the rule fires. Provisos are numbered
  // across the program in rule order, so they are added rule after rule.
  std::uint32_t proviso(std::uint32_t rule, std::uint32_t condition, std::vector<std::uint32_t> facts_read) {
    std::uint32_t number = 0;
    for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
      if (r > rule) REQUIRE(program_.rules[r].provisos.empty());
      if (r <= rule) number += static_cast<std::uint32_t>(program_.rules[r].provisos.size());
    }
    program_.rules[rule].provisos.push_back({"", std::move(facts_read)});
    program_.code.push_back({Opcode::Proviso, number, condition, 0});
    return number;
  }

  // A new temporary computed by `op` from b and c.
  std::uint32_t emit(Opcode op, Type result, std::uint32_t b, std::uint32_t c = 0) {
    const std::uint32_t slot = temporary(result);
    program_.code.push_back({op, slot, b, c});
    return slot;
  }

  std::uint32_t constant(Type type, std::int64_t payload) {
    program_.constants.push_back(Value::of(payload));
    program_.constant_types.push_back(type);
    const std::uint32_t slot = temporary(type);
    program_.code.push_back({Opcode::Const, slot, static_cast<std::uint32_t>(program_.constants.size() - 1), 0});
    return slot;
  }

  void fire(std::uint32_t rule, std::uint32_t condition) {
    program_.code.push_back({Opcode::Fire, rule, condition, 0});
  }
  void resolve(std::uint32_t output) { program_.code.push_back({Opcode::Resolve, output, 0, 0}); }
  std::uint32_t load_output(std::uint32_t output) {
    const OutputInfo& o = program_.outputs[output];
    const Type t{o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id};
    const std::uint32_t slot = temporary(t);
    program_.code.push_back({Opcode::LoadOutput, slot, output, 0});
    return slot;
  }

  Program finish() {
    // Every rule that overrides r, directly or through a chain, as the compiler records it.
    const std::size_t n = program_.rules.size();
    for (std::uint32_t r = 0; r < n; ++r) {
      std::vector<bool> seen(n, false);
      std::vector<std::uint32_t> frontier{r};
      while (!frontier.empty()) {
        const std::uint32_t loser = frontier.back();
        frontier.pop_back();
        for (std::uint32_t w = 0; w < n; ++w) {
          for (const std::uint32_t o : program_.rules[w].overrides) {
            if (o == loser && !seen[w]) {
              seen[w] = true;
              frontier.push_back(w);
            }
          }
        }
      }
      for (std::uint32_t w = 0; w < n; ++w) {
        if (seen[w]) program_.rules[r].overriders.push_back(w);
      }
    }
    const std::string problem = verify_program(program_);
    INFO(problem);
    REQUIRE(problem.empty());
    return program_;
  }

 private:
  std::uint32_t temporary(Type type) {
    program_.slot_types.push_back(type);
    program_.slot_names.emplace_back();
    return static_cast<std::uint32_t>(program_.slot_types.size() - 1);
  }

  Program program_;
};

Value truth_value(Truth t) {
  return t == Truth::Unknown ? kUnknown : Value::of(t == Truth::True ? 1 : 0);
}

// The professional-secrecy example: temoignage lets the confidant speak in court; medecin overrides it;
// avocat contradicts it without an order between them.
struct Secrecy {
  static constexpr std::uint32_t medecin = 0, avocat = 1, autre = 2;
  static constexpr std::uint32_t garder = 0, peut = 1, doit = 2;
  static constexpr std::uint64_t serment = 1, libre = 2;
  std::uint32_t fonction = 0, en_justice = 0;
  std::uint32_t verdict = 0, conditions = 0;
  std::uint32_t temoignage = 0, medecin_rule = 0, avocat_rule = 0;
  Program program;

  Secrecy() {
    ProgramBuilder b;
    const std::uint32_t fonction_enum = b.add_enum("fonction", {"medecin", "avocat", "autre"});
    const std::uint32_t verdict_enum = b.add_enum("verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"});
    const std::uint32_t condition_enum = b.add_enum("condition", {"serment", "libre_de_repondre"});
    const Type fonction_type{TypeKind::Enum, fonction_enum};
    fonction = b.fact("confident.fonction", fonction_type);
    en_justice = b.fact("cas.en_justice", kBool);
    verdict = b.output("verdict", OutputKind::Scalar, verdict_enum, garder);
    conditions = b.output("conditions", OutputKind::Set, condition_enum);
    temoignage = b.rule("temoignage", {{verdict, peut}, {conditions, serment | libre}}, {en_justice});
    medecin_rule = b.rule("medecin", {{verdict, garder}}, {fonction, en_justice});
    avocat_rule = b.rule("avocat", {{verdict, doit}}, {fonction});
    b.overrides(medecin_rule, temoignage);

    b.fire(temoignage, en_justice);
    const std::uint32_t is_medecin = b.emit(Opcode::Eq, kBool, fonction, b.constant(fonction_type, medecin));
    b.fire(medecin_rule, b.emit(Opcode::And, kBool, is_medecin, en_justice));
    b.fire(avocat_rule, b.emit(Opcode::Eq, kBool, fonction, b.constant(fonction_type, avocat)));
    b.resolve(verdict);
    b.resolve(conditions);
    program = b.finish();
  }
};

}  // namespace

// --- three-valued logic --------------------------------------------------------------------------

TEST_CASE("and, or and not follow Kleene's three-valued truth tables") {
  ProgramBuilder b;
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t y = b.fact("y", kBool);
  const std::uint32_t r_and = b.rule("and", {}, {x, y});
  const std::uint32_t r_or = b.rule("or", {}, {x, y});
  const std::uint32_t r_not = b.rule("not", {}, {x});
  b.fire(r_and, b.emit(Opcode::And, kBool, x, y));
  b.fire(r_or, b.emit(Opcode::Or, kBool, x, y));
  b.fire(r_not, b.emit(Opcode::Not, kBool, x));
  const Program program = b.finish();
  Machine machine(program);

  constexpr Truth F = Truth::False, T = Truth::True, U = Truth::Unknown;
  struct Row {
    Truth x, y, x_and_y, x_or_y, not_x;
  };
  const std::vector<Row> table{
      {F, F, F, F, T}, {F, T, F, T, T}, {F, U, F, U, T},  //
      {T, F, F, T, F}, {T, T, T, T, F}, {T, U, U, T, F},  //
      {U, F, F, U, U}, {U, T, U, T, U}, {U, U, U, U, U},
  };
  for (const Row& row : table) {
    CAPTURE(static_cast<int>(row.x));
    CAPTURE(static_cast<int>(row.y));
    const Result& result = machine.evaluate({truth_value(row.x), truth_value(row.y)});
    CHECK(result.conditions[r_and] == row.x_and_y);
    CHECK(result.conditions[r_or] == row.x_or_y);
    CHECK(result.conditions[r_not] == row.not_x);
  }
}

TEST_CASE("comparisons with an unknown operand are unknown") {
  ProgramBuilder b;
  const std::uint32_t x = b.fact("x", kInteger);
  const std::uint32_t y = b.fact("y", kInteger);
  const std::vector<Opcode> ops{Opcode::Eq, Opcode::Ne, Opcode::Lt, Opcode::Le, Opcode::Gt, Opcode::Ge};
  std::vector<std::uint32_t> rules;
  for (const Opcode op : ops) rules.push_back(b.rule(opcode_info(op).mnemonic, {}, {x, y}));
  for (std::size_t i = 0; i < ops.size(); ++i) b.fire(rules[i], b.emit(ops[i], kBool, x, y));
  const Program program = b.finish();
  Machine machine(program);

  const auto expect = [&](Value a, Value c, std::vector<Truth> expected) {
    const Result& result = machine.evaluate({a, c});
    for (std::size_t i = 0; i < ops.size(); ++i) {
      CAPTURE(opcode_info(ops[i]).mnemonic);
      CHECK(result.conditions[rules[i]] == expected[i]);
    }
  };
  constexpr Truth F = Truth::False, T = Truth::True, U = Truth::Unknown;
  //                                  eq ne lt le gt ge
  expect(Value::of(1), Value::of(2), {F, T, T, T, F, F});
  expect(Value::of(2), Value::of(2), {T, F, F, T, F, T});
  expect(Value::of(3), Value::of(2), {F, T, F, F, T, T});
  expect(Value::of(-5), Value::of(2), {F, T, T, T, F, F});
  expect(kUnknown, Value::of(2), {U, U, U, U, U, U});
  expect(Value::of(2), kUnknown, {U, U, U, U, U, U});
  expect(kUnknown, kUnknown, {U, U, U, U, U, U});
}

TEST_CASE("dates and articles compare in calendar and code order") {
  ProgramBuilder b;
  const std::uint32_t day = b.fact("cas.date", kDate);
  const std::uint32_t article = b.fact("infraction.article", kArticle);
  const std::uint32_t before = b.rule("avant_annulation", {}, {day});
  const std::uint32_t in_range = b.rule("article_458bis", {}, {article});
  b.fire(before, b.emit(Opcode::Lt, kBool, day, b.constant(kDate, *parse_date("2019-03-14"))));
  const std::uint32_t low = b.emit(Opcode::Ge, kBool, article, b.constant(kArticle, *parse_article("371/1")));
  const std::uint32_t high = b.emit(Opcode::Le, kBool, article, b.constant(kArticle, *parse_article("377quater")));
  b.fire(in_range, b.emit(Opcode::And, kBool, low, high));
  const Program program = b.finish();
  Machine machine(program);

  const auto evaluate = [&](const char* date, const char* art) {
    return machine.evaluate({Value::of(*parse_date(date)), Value::of(*parse_article(art))}).conditions;
  };
  CHECK(evaluate("2019-03-13", "371/1") == std::vector<Truth>{Truth::True, Truth::True});
  CHECK(evaluate("2019-03-14", "377bis") == std::vector<Truth>{Truth::False, Truth::True});
  CHECK(evaluate("2018-12-31", "377quater") == std::vector<Truth>{Truth::True, Truth::True});
  CHECK(evaluate("2020-01-01", "378") == std::vector<Truth>{Truth::False, Truth::False});
  CHECK(evaluate("2020-01-01", "371") == std::vector<Truth>{Truth::False, Truth::False});
  // An unknown article is unknown on both sides of the range, and so is the conjunction.
  CHECK(machine.evaluate({Value::of(0), kUnknown}).conditions == std::vector<Truth>{Truth::True, Truth::Unknown});
}

TEST_CASE("strings and enum members compare by identity") {
  ProgramBuilder b;
  const std::uint32_t colors = b.add_enum("couleur", {"rouge", "vert"});
  const std::uint32_t city = b.fact("ville", kString);
  const std::uint32_t color = b.fact("couleur", Type{TypeKind::Enum, colors});
  const std::uint32_t is_brussels = b.rule("bruxelles", {}, {city});
  const std::uint32_t is_green = b.rule("vert", {}, {color});
  b.fire(is_brussels, b.emit(Opcode::Eq, kBool, city, b.constant(kString, b.string("Bruxelles"))));
  b.fire(is_green, b.emit(Opcode::Ne, kBool, color, b.constant(Type{TypeKind::Enum, colors}, 0)));
  const Program program = b.finish();
  Machine machine(program);
  CHECK(machine.evaluate({Value::of(0), Value::of(1)}).conditions == std::vector<Truth>{Truth::True, Truth::True});
  // A case string the program does not know gets an id past the program's strings (see bind_case).
  CHECK(machine.evaluate({Value::of(1), Value::of(0)}).conditions == std::vector<Truth>{Truth::False, Truth::False});
}

TEST_CASE("in tests membership of an enum member in a set, unknown if either is unknown") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("qualite", {"juge", "tribunal", "police", "cour"});
  const std::uint32_t member = b.fact("destinataire.qualite", Type{TypeKind::Enum, e});
  const std::uint32_t set = b.fact("qualites", Type{TypeKind::Set, e});
  const std::uint32_t in_fact = b.rule("dans_le_fait", {}, {member, set});
  const std::uint32_t in_constant = b.rule("juridiction", {}, {member});
  b.fire(in_fact, b.emit(Opcode::In, kBool, member, set));
  b.fire(in_constant, b.emit(Opcode::In, kBool, member, b.constant(Type{TypeKind::Set, e}, 0b1011)));
  const Program program = b.finish();
  Machine machine(program);

  const auto conditions = [&](Value m, Value s) { return machine.evaluate({m, s}).conditions; };
  CHECK(conditions(Value::of(1), Value::of(0b0010)) == std::vector<Truth>{Truth::True, Truth::True});
  CHECK(conditions(Value::of(2), Value::of(0b1011)) == std::vector<Truth>{Truth::False, Truth::False});
  CHECK(conditions(Value::of(3), Value::of(0)) == std::vector<Truth>{Truth::False, Truth::True});
  CHECK(conditions(kUnknown, Value::of(0b1111)) == std::vector<Truth>{Truth::Unknown, Truth::Unknown});
  CHECK(conditions(Value::of(0), kUnknown) == std::vector<Truth>{Truth::Unknown, Truth::True});
}

// `x est connu` is never ⊥. Of a fact the case gives, it is true; of one written `?`, true too (the
// fact has some value, not known to the case); of one the case does not write, either: a completion
// may give it a value or leave it without one. (The old semantics said false there: wrong for every
// completion that gives the fact a value.)
TEST_CASE("known is true for a given or `?` fact, and may be either for a fact the case does not write") {
  ProgramBuilder b;
  const std::uint32_t x = b.fact("x", kInteger);
  const std::uint32_t given = b.rule("donne", {}, {});
  const std::uint32_t missing = b.rule("manquant", {}, {});
  const std::uint32_t known = b.emit(Opcode::Known, kBool, x);
  b.fire(given, known);
  b.fire(missing, b.emit(Opcode::Not, kBool, known));
  const Program program = b.finish();
  Machine machine(program);
  const std::vector<bool> written{true};
  CHECK(machine.evaluate({Value::of(0)}).conditions == std::vector<Truth>{Truth::True, Truth::False});
  CHECK(machine.evaluate({kUnknown}, &written).conditions == std::vector<Truth>{Truth::True, Truth::False});
  CHECK(machine.evaluate({kUnknown}).conditions == std::vector<Truth>{Truth::Unknown, Truth::Unknown});
}

TEST_CASE("move copies a value, unknown included") {
  ProgramBuilder b;
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t r = b.rule("copie", {}, {x});
  b.fire(r, b.emit(Opcode::Move, kBool, x));
  const Program program = b.finish();
  Machine machine(program);
  CHECK(machine.evaluate({kTrue}).conditions[r] == Truth::True);
  CHECK(machine.evaluate({kFalse}).conditions[r] == Truth::False);
  CHECK(machine.evaluate({kUnknown}).conditions[r] == Truth::Unknown);
}

// --- rules, precedence and outputs ---------------------------------------------------------------

TEST_CASE("a rule whose condition is true decides its outputs") {
  const Secrecy s;
  Machine machine(s.program);
  const Result& result = machine.evaluate({Value::of(Secrecy::autre), kTrue});
  CHECK(result.fired == std::vector<std::uint32_t>{s.temoignage});
  CHECK(result.overridden.empty());
  CHECK(result.conflicts.empty());
  CHECK(result.outputs[s.verdict].value == Value::of(Secrecy::peut));
  CHECK_FALSE(result.outputs[s.verdict].conflict);
  CHECK(result.outputs[s.conditions].value == Value::of(Secrecy::serment | Secrecy::libre));
  CHECK(result.missing.empty());
}

TEST_CASE("an overridden rule is reported with the rule that overrides it, and its set effects are dropped") {
  const Secrecy s;
  Machine machine(s.program);
  const Result& result = machine.evaluate({Value::of(Secrecy::medecin), kTrue});
  CHECK(result.conditions[s.temoignage] == Truth::True);
  CHECK(result.conditions[s.medecin_rule] == Truth::True);
  CHECK(result.fired == std::vector<std::uint32_t>{s.medecin_rule});
  REQUIRE(result.overridden.size() == 1);
  CHECK(result.overridden[0].rule == s.temoignage);
  CHECK(result.overridden[0].by == s.medecin_rule);
  CHECK(result.conflicts.empty());
  CHECK(result.outputs[s.verdict].value == Value::of(Secrecy::garder));
  CHECK(result.outputs[s.conditions].value == Value::of(0));
}

TEST_CASE("two firing rules without precedence that disagree are a conflict, and the output is unknown") {
  const Secrecy s;
  Machine machine(s.program);
  const Result& result = machine.evaluate({Value::of(Secrecy::avocat), kTrue});
  CHECK(result.fired == std::vector<std::uint32_t>{s.temoignage, s.avocat_rule});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].output == s.verdict);
  CHECK(result.conflicts[0].first == s.temoignage);
  CHECK(result.conflicts[0].second == s.avocat_rule);
  CHECK(result.outputs[s.verdict].conflict);
  CHECK_FALSE(result.outputs[s.verdict].value.known);
  // The conflict is on the verdict only: the set output still collects what temoignage adds.
  CHECK(result.outputs[s.conditions].value == Value::of(Secrecy::serment | Secrecy::libre));
}

// The VM indexes the slots several rules test by their values; a value the type does not have (which
// only an embedding program could bind) is compared as it is, as the straight-line code would.
TEST_CASE("a value outside its type is compared as it is") {
  const Secrecy s;
  Machine machine(s.program);
  const Result& odd = machine.evaluate({Value::of(7), Value::of(5)});
  CHECK(odd.fired == std::vector<std::uint32_t>{s.temoignage});
  CHECK(odd.conditions[s.medecin_rule] == Truth::False);
  CHECK(odd.conditions[s.avocat_rule] == Truth::False);
  CHECK(odd.outputs[s.verdict].value == Value::of(Secrecy::peut));
  const Result& negative = machine.evaluate({Value::of(-1), kTrue});
  CHECK(negative.fired == std::vector<std::uint32_t>{s.temoignage});
  const Result& usual = machine.evaluate({Value::of(Secrecy::avocat), kFalse});
  CHECK(usual.fired == std::vector<std::uint32_t>{s.avocat_rule});
  CHECK(usual.outputs[s.verdict].value == Value::of(Secrecy::doit));
}

TEST_CASE("the default stands when no rule fires") {
  const Secrecy s;
  Machine machine(s.program);
  const Result& result = machine.evaluate({Value::of(Secrecy::autre), kFalse});
  CHECK(result.fired.empty());
  CHECK(result.overridden.empty());
  CHECK(result.conflicts.empty());
  CHECK(result.outputs[s.verdict].value == Value::of(Secrecy::garder));
  CHECK_FALSE(result.outputs[s.verdict].conflict);
  CHECK(result.outputs[s.conditions].value == Value::of(0));
  CHECK(result.missing.empty());
}

TEST_CASE("a scalar output without a default is unknown when no rule fires") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("obligation", {"secret_professionnel", "aucune"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t out = b.output("obligation", OutputKind::Scalar, e);
  const std::uint32_t r = b.rule("secret", {{out, 0}}, {x});
  b.fire(r, x);
  b.resolve(out);
  const Program program = b.finish();
  Machine machine(program);
  CHECK_FALSE(machine.evaluate({kFalse}).outputs[out].value.known);
  CHECK(machine.evaluate({kTrue}).outputs[out].value == Value::of(0));
}

TEST_CASE("overriders are transitive: a rule is set aside by any firing rule above it") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"});
  const std::uint32_t fa = b.fact("a", kBool);
  const std::uint32_t fb = b.fact("b", kBool);
  const std::uint32_t fc = b.fact("c", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t ra = b.rule("general", {{verdict, 1}}, {fa});
  const std::uint32_t rb = b.rule("exception", {{verdict, 2}}, {fb});
  const std::uint32_t rc = b.rule("exception_a_l_exception", {{verdict, 0}}, {fc});
  b.overrides(rb, ra);
  b.overrides(rc, rb);
  b.fire(ra, fa);
  b.fire(rb, fb);
  b.fire(rc, fc);
  b.resolve(verdict);
  const Program program = b.finish();
  CHECK(program.rules[ra].overriders == std::vector<std::uint32_t>{rb, rc});
  Machine machine(program);

  SUBCASE("the top rule sets aside the bottom one even when the middle one does not fire") {
    const Result& result = machine.evaluate({kTrue, kFalse, kTrue});
    CHECK(result.fired == std::vector<std::uint32_t>{rc});
    REQUIRE(result.overridden.size() == 1);
    CHECK(result.overridden[0].rule == ra);
    CHECK(result.overridden[0].by == rc);
    CHECK(result.conflicts.empty());
    CHECK(result.outputs[verdict].value == Value::of(0));
  }
  SUBCASE("with all three firing only the top one applies") {
    const Result& result = machine.evaluate({kTrue, kTrue, kTrue});
    CHECK(result.fired == std::vector<std::uint32_t>{rc});
    REQUIRE(result.overridden.size() == 2);
    CHECK(result.overridden[0].rule == ra);
    CHECK(result.overridden[1].rule == rb);
    CHECK(result.overridden[1].by == rc);
    CHECK(result.conflicts.empty());
    CHECK(result.outputs[verdict].value == Value::of(0));
  }
  SUBCASE("the middle one applies when the top one does not fire") {
    const Result& result = machine.evaluate({kTrue, kTrue, kFalse});
    CHECK(result.fired == std::vector<std::uint32_t>{rb});
    REQUIRE(result.overridden.size() == 1);
    CHECK(result.overridden[0].by == rb);
    CHECK(result.outputs[verdict].value == Value::of(2));
  }
  SUBCASE("an unknown rule set aside by a firing one leaves its facts out of the missing ones") {
    const Result& result = machine.evaluate({kUnknown, kTrue, kFalse});
    CHECK(result.fired == std::vector<std::uint32_t>{rb});
    CHECK(result.missing.empty());
  }
  SUBCASE("a rule that may override the firing one sets it aside maybe, and makes its facts missing") {
    // rb fires, but rc may fire and set it aside: rb applies maybe, not for sure (the old semantics
    // reported rb as applying, which the completions with c true contradict).
    const Result& result = machine.evaluate({kFalse, kTrue, kUnknown});
    CHECK(result.conditions[rb] == Truth::True);
    CHECK(result.applies[rb] == Truth::Unknown);
    CHECK(result.applies[rc] == Truth::Unknown);
    CHECK(result.fired.empty());
    CHECK(result.overridden.empty());
    CHECK_FALSE(result.outputs[verdict].settled);
    CHECK(result.outputs[verdict].possible == 0b101);  // doit_reveler, or garder_le_secret
    CHECK(result.missing == std::vector<std::uint32_t>{fc});
  }
  SUBCASE("a rule set aside for sure by a rule above the one that may fire stays set aside") {
    const Result& result = machine.evaluate({kTrue, kUnknown, kTrue});
    CHECK(result.applies[ra] == Truth::False);
    CHECK(result.applies[rb] == Truth::False);  // rc fires for sure and overrides rb too
    CHECK(result.fired == std::vector<std::uint32_t>{rc});
    CHECK(result.outputs[verdict].settled);
    CHECK(result.outputs[verdict].value == Value::of(0));
    CHECK(result.missing.empty());
  }
}

TEST_CASE("a later rule can read an output once it is resolved") {
  ProgramBuilder b;
  const std::uint32_t verdict_enum = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t advice_enum = b.add_enum("avis", {"informer_le_patient"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, verdict_enum, 0);
  const std::uint32_t advice = b.output("avis", OutputKind::Set, advice_enum);
  const std::uint32_t speak = b.rule("parler", {{verdict, 1}}, {x});
  const std::uint32_t inform = b.rule("informer", {{advice, 1}}, {x});
  b.fire(speak, x);
  b.resolve(verdict);
  const std::uint32_t loaded = b.load_output(verdict);
  b.fire(inform, b.emit(Opcode::Eq, kBool, loaded, b.constant(Type{TypeKind::Enum, verdict_enum}, 1)));
  b.resolve(advice);
  const Program program = b.finish();
  Machine machine(program);
  CHECK(machine.evaluate({kTrue}).outputs[advice].value == Value::of(1));
  CHECK(machine.evaluate({kFalse}).outputs[advice].value == Value::of(0));
  // With x unknown the verdict may be its default or peut_reveler: the rule reading it may fire too.
  // (The old semantics read the default and said inform does not fire — false in every completion
  // with x true.)
  const Result& result = machine.evaluate({kUnknown});
  CHECK(result.conditions[speak] == Truth::Unknown);
  CHECK_FALSE(result.outputs[verdict].settled);
  CHECK(result.outputs[verdict].possible == 0b11);
  CHECK(result.conditions[inform] == Truth::Unknown);
  CHECK(result.outputs[advice].value == Value::of(0));  // held for sure: nothing
  CHECK(result.outputs[advice].possible == 1);          // may hold: informer_le_patient
  CHECK_FALSE(result.outputs[advice].settled);
}

// --- missing facts -------------------------------------------------------------------------------

TEST_CASE("an unknown fact is missing when a rule it leaves undecided could change an output") {
  const Secrecy s;
  Machine machine(s.program);
  SUBCASE("the function decides whether avocat applies") {
    const Result& result = machine.evaluate({kUnknown, kFalse});
    CHECK(result.conditions[s.avocat_rule] == Truth::Unknown);
    CHECK(result.conditions[s.medecin_rule] == Truth::False);  // false and unknown
    CHECK(result.missing == std::vector<std::uint32_t>{s.fonction});
  }
  SUBCASE("whether the case is in court decides temoignage") {
    const Result& result = machine.evaluate({Value::of(Secrecy::autre), kUnknown});
    CHECK(result.conditions[s.temoignage] == Truth::Unknown);
    CHECK(result.missing == std::vector<std::uint32_t>{s.en_justice});
  }
  SUBCASE("only the unknown facts a rule reads are missing, not the known ones") {
    // temoignage fires; medecin may fire and set it aside, so it applies maybe, not for sure.
    const Result& result = machine.evaluate({kUnknown, kTrue});
    CHECK(result.conditions[s.temoignage] == Truth::True);
    CHECK(result.applies[s.temoignage] == Truth::Unknown);
    CHECK(result.fired.empty());
    CHECK(result.missing == std::vector<std::uint32_t>{s.fonction});
  }
  SUBCASE("nothing is missing when every fact is given") {
    CHECK(machine.evaluate({Value::of(Secrecy::medecin), kFalse}).missing.empty());
  }
}

TEST_CASE("an unknown fact is not missing when its rule would leave every output as it is") {
  ProgramBuilder b;
  const std::uint32_t fonction_enum = b.add_enum("fonction", {"medecin", "autre"});
  const std::uint32_t verdict_enum = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t fonction = b.fact("confident.fonction", Type{TypeKind::Enum, fonction_enum});
  const std::uint32_t en_justice = b.fact("cas.en_justice", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, verdict_enum, 0);
  // secret_medical confirms the default: knowing it applies changes nothing.
  const std::uint32_t secret_medical = b.rule("secret_medical", {{verdict, 0}}, {fonction});
  const std::uint32_t temoignage = b.rule("temoignage", {{verdict, 1}}, {en_justice});
  b.fire(secret_medical, b.emit(Opcode::Eq, kBool, fonction, b.constant(Type{TypeKind::Enum, fonction_enum}, 0)));
  b.fire(temoignage, en_justice);
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);

  const Result& quiet = machine.evaluate({kUnknown, kFalse});
  CHECK(quiet.conditions[secret_medical] == Truth::Unknown);
  CHECK(quiet.outputs[verdict].settled);  // whether it applies or not, the verdict is the default
  CHECK(quiet.outputs[verdict].value == Value::of(0));
  CHECK(quiet.missing.empty());

  // Once temoignage has changed the verdict, secret_medical would make it a conflict: the verdict is
  // peut_reveler or a conflict, not settled, and the fact matters. (The old semantics said
  // peut_reveler, which the completions with a médecin contradict.)
  const Result& decisive = machine.evaluate({kUnknown, kTrue});
  CHECK_FALSE(decisive.outputs[verdict].settled);
  CHECK(decisive.outputs[verdict].possible == 0b11);  // the values of the rules that may or do apply
  CHECK(decisive.outputs[verdict].may_be_unknown);
  CHECK_FALSE(decisive.outputs[verdict].value.known);  // no `dans le doute`: nothing to act on
  CHECK(decisive.conflicts.empty());                   // a conflict only maybe
  CHECK(decisive.missing == std::vector<std::uint32_t>{fonction});
}

TEST_CASE("a machine evaluates case after case without carrying anything over") {
  const Secrecy s;
  Machine reused(s.program);
  const std::vector<std::vector<Value>> cases{
      {Value::of(Secrecy::avocat), kTrue},
      {Value::of(Secrecy::medecin), kTrue},
      {kUnknown, kFalse},
      {Value::of(Secrecy::autre), kTrue},
      {kUnknown, kUnknown},
      {Value::of(Secrecy::autre), kFalse},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    Machine fresh(s.program);
    const Result expected = fresh.evaluate(cases[i]);
    CHECK(reused.evaluate(cases[i]) == expected);
  }
}

// --- answers under uncertainty (docs/language.md) --------------------------------------------------

TEST_CASE("a rule fires for sure, not at all, or maybe: three-valued firing") {
  ProgramBuilder b;
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t sure = b.rule("toujours", {}, {x});
  const std::uint32_t never = b.rule("jamais", {}, {x});
  const std::uint32_t maybe = b.rule("peut_etre", {}, {x});
  b.fire(sure, b.emit(Opcode::Or, kBool, x, b.constant(kBool, 1)));    // x ou vrai
  b.fire(never, b.emit(Opcode::And, kBool, x, b.constant(kBool, 0)));  // x et faux
  b.fire(maybe, x);
  const Program program = b.finish();
  Machine machine(program);
  const Result& r = machine.evaluate({kUnknown});
  CHECK(r.uncertain);
  CHECK(r.conditions == std::vector<Truth>{Truth::True, Truth::False, Truth::Unknown});
  CHECK(r.applies == std::vector<Truth>{Truth::True, Truth::False, Truth::Unknown});
  CHECK(r.fired == std::vector<std::uint32_t>{sure});
  // With every fact known, the interpreter is exact: nothing is unknown.
  const Result& known = machine.evaluate({kFalse});
  CHECK_FALSE(known.uncertain);
  CHECK(known.conditions == std::vector<Truth>{Truth::True, Truth::False, Truth::False});
}

TEST_CASE("a fact written `?` has some value of its type, one the case does not write may have none") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("fonction", {"medecin", "autre"});
  const Type t{TypeKind::Enum, e};
  const std::uint32_t f = b.fact("confident.fonction", t);
  const std::uint32_t r = b.rule("tout_membre", {}, {f});
  // fonction dans { medecin, autre }: true whatever the value, unknown without one.
  b.fire(r, b.emit(Opcode::In, kBool, f, b.constant(Type{TypeKind::Set, e}, 0b11)));
  const Program program = b.finish();
  Machine machine(program);
  const std::vector<bool> question{true}, unwritten{false};
  CHECK(machine.evaluate({kUnknown}, &question).conditions[r] == Truth::True);
  CHECK(machine.evaluate({kUnknown}, &unwritten).conditions[r] == Truth::Unknown);
  CHECK(machine.evaluate({kUnknown}).conditions[r] == Truth::Unknown);  // no `written`: not written
  // A fact given a value is that value, whatever `written` says.
  CHECK(machine.evaluate({Value::of(1)}, &unwritten).conditions[r] == Truth::True);
}

TEST_CASE("a scalar output is settled when every completion gives it the same answer") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t y = b.fact("y", kBool);
  const std::uint32_t with_default = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t without = b.output("sans_defaut", OutputKind::Scalar, e);
  const std::uint32_t rx = b.rule("rx", {{with_default, 1}, {without, 1}}, {x});
  const std::uint32_t ry = b.rule("ry", {{with_default, 2}, {without, 1}}, {y});
  b.fire(rx, x);
  b.fire(ry, y);
  b.resolve(with_default);
  b.resolve(without);
  const Program program = b.finish();
  Machine machine(program);

  SUBCASE("two rules that apply for sure with different values: a settled conflict") {
    const Result& r = machine.evaluate({kTrue, kTrue});
    CHECK(r.outputs[with_default].settled);
    CHECK(r.outputs[with_default].conflict);
    CHECK_FALSE(r.outputs[with_default].value.known);
    CHECK(r.outputs[with_default].may_be_unknown);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].output == with_default);
    // Both set the other output alike: no conflict there.
    CHECK(r.outputs[without].settled);
    CHECK(r.outputs[without].value == Value::of(1));
  }
  SUBCASE("one rule applies for sure, another may with another value: not settled, maybe a conflict") {
    const Result& r = machine.evaluate({kTrue, kUnknown});
    const OutputValue& v = r.outputs[with_default];
    CHECK_FALSE(v.settled);
    CHECK_FALSE(v.conflict);
    CHECK(v.possible == 0b110);
    CHECK(v.may_be_unknown);
    CHECK(r.conflicts.empty());
    // On the other output the rule that may apply sets the same value: settled.
    CHECK(r.outputs[without].settled);
    CHECK(r.outputs[without].value == Value::of(1));
    CHECK(r.outputs[without].possible == 0b010);
    CHECK_FALSE(r.outputs[without].may_be_unknown);
  }
  SUBCASE("no rule for sure, one may: the default or its value; without a default, its value or none") {
    const Result& r = machine.evaluate({kUnknown, kFalse});
    CHECK_FALSE(r.outputs[with_default].settled);
    CHECK(r.outputs[with_default].possible == 0b011);
    CHECK_FALSE(r.outputs[with_default].may_be_unknown);
    CHECK_FALSE(r.outputs[without].settled);
    CHECK(r.outputs[without].possible == 0b010);
    CHECK(r.outputs[without].may_be_unknown);
  }
  SUBCASE("no rule may apply: settled on the default, or on no value") {
    const Result& r = machine.evaluate({kFalse, kFalse});
    CHECK(r.outputs[with_default].settled);
    CHECK(r.outputs[with_default].value == Value::of(0));
    CHECK(r.outputs[with_default].possible == 0b001);
    CHECK(r.outputs[without].settled);
    CHECK_FALSE(r.outputs[without].value.known);
    CHECK(r.outputs[without].possible == 0);
    CHECK(r.outputs[without].may_be_unknown);
  }
}

TEST_CASE("while an output is not settled, its value to act on is the first possible member in doubt") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t y = b.fact("y", kBool);
  // dans le doute garder_le_secret, peut_reveler; no default.
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, std::nullopt, {0, 1});
  const std::uint32_t peut = b.rule("peut", {{verdict, 1}}, {x});
  const std::uint32_t doit = b.rule("doit", {{verdict, 2}}, {y});
  const std::uint32_t garder = b.rule("garder", {{verdict, 0}}, {x, y});
  b.overrides(doit, peut);
  b.fire(peut, x);
  b.fire(doit, y);
  b.fire(garder, b.emit(Opcode::And, kBool, b.emit(Opcode::Not, kBool, x), b.emit(Opcode::Not, kBool, y)));
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);

  // x true, y unknown: peut_reveler or doit_reveler. The first in doubt that is possible: peut_reveler.
  const Result& speak = machine.evaluate({kTrue, kUnknown});
  CHECK_FALSE(speak.outputs[verdict].settled);
  CHECK(speak.outputs[verdict].possible == 0b110);
  CHECK(speak.outputs[verdict].value == Value::of(1));
  // Both unknown: garder_le_secret is possible, and comes first.
  const Result& any = machine.evaluate({kUnknown, kUnknown});
  CHECK(any.outputs[verdict].value == Value::of(0));
  // x false, y unknown: doit_reveler, or garder_le_secret (garder applies when y is false), the one
  // to act on.
  const Result& must = machine.evaluate({kFalse, kUnknown});
  CHECK_FALSE(must.outputs[verdict].settled);
  CHECK(must.outputs[verdict].possible == 0b101);
  CHECK(must.outputs[verdict].value == Value::of(0));
  // Settled, the value is the settled one, whatever the doubt list says.
  const Result& settled = machine.evaluate({kTrue, kTrue});
  CHECK(settled.outputs[verdict].settled);
  CHECK(settled.outputs[verdict].value == Value::of(2));
}

TEST_CASE("no member in doubt possible: an unsettled output has no value to act on") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler", "doit_reveler"});
  const std::uint32_t y = b.fact("y", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, std::nullopt, {0, 1});
  const std::uint32_t doit = b.rule("doit", {{verdict, 2}}, {y});
  b.fire(doit, y);
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);
  const Result& r = machine.evaluate({kUnknown});
  CHECK_FALSE(r.outputs[verdict].settled);
  CHECK(r.outputs[verdict].possible == 0b100);
  CHECK(r.outputs[verdict].may_be_unknown);
  CHECK_FALSE(r.outputs[verdict].value.known);
}

TEST_CASE("a set output holds for sure what rules applying for sure add, and may hold what the others add") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("condition", {"strictement_necessaire", "informer", "consentement"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t y = b.fact("y", kBool);
  const std::uint32_t conditions = b.output("conditions", OutputKind::Set, e);
  const std::uint32_t sure = b.rule("toujours", {{conditions, 0b001}}, {x});
  const std::uint32_t maybe = b.rule("parfois", {{conditions, 0b110}}, {y});
  b.fire(sure, x);
  b.fire(maybe, y);
  b.resolve(conditions);
  const Program program = b.finish();
  Machine machine(program);
  const Result& r = machine.evaluate({kTrue, kUnknown});
  CHECK(r.outputs[conditions].value == Value::of(0b001));
  CHECK(r.outputs[conditions].possible == 0b111);
  CHECK_FALSE(r.outputs[conditions].settled);
  const Result& all = machine.evaluate({kTrue, kTrue});
  CHECK(all.outputs[conditions].settled);
  CHECK(all.outputs[conditions].value == Value::of(0b111));
  CHECK(all.outputs[conditions].possible == 0b111);
}

TEST_CASE("an output read while not settled reads every value it may take") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e);  // no default: maybe none
  const std::uint32_t speak = b.rule("parler", {{verdict, 1}}, {x});
  const std::uint32_t reads = b.rule("connu", {}, {});
  const std::uint32_t equal = b.rule("egal", {}, {});
  b.fire(speak, x);
  b.resolve(verdict);
  const std::uint32_t loaded = b.load_output(verdict);
  b.fire(reads, b.emit(Opcode::Known, kBool, loaded));
  b.fire(equal, b.emit(Opcode::Eq, kBool, loaded, b.constant(Type{TypeKind::Enum, e}, 1)));
  const Program program = b.finish();
  Machine machine(program);
  const Result& r = machine.evaluate({kUnknown});
  CHECK(r.conditions[reads] == Truth::Unknown);  // peut_reveler, or no value
  CHECK(r.conditions[equal] == Truth::Unknown);
  const Result& known = machine.evaluate({kFalse});
  CHECK(known.conditions[reads] == Truth::False);
  CHECK(known.conditions[equal] == Truth::False);  // no value is not equal: unknown, so not firing
}

TEST_CASE("a rule that fires for sure with an unknown proviso applies, and the answer states the proviso") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t limit = b.fact("strictement_necessaire", kBool);
  const std::uint32_t z = b.fact("z", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t speak = b.rule("parler", {{verdict, 1}}, {x});
  const std::uint32_t exception = b.rule("exception", {{verdict, 0}}, {z});
  b.overrides(exception, speak);
  const std::uint32_t k = b.proviso(speak, limit, {limit});
  b.fire(speak, x);
  b.fire(exception, z);
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);

  SUBCASE("unknown proviso, the rule fires and is not set aside: stated, and not a doubt") {
    const Result& r = machine.evaluate({kTrue, kUnknown, kFalse});
    CHECK(r.conditions[speak] == Truth::True);
    CHECK(r.fired == std::vector<std::uint32_t>{speak});
    CHECK(r.outputs[verdict].settled);
    CHECK(r.outputs[verdict].value == Value::of(1));
    CHECK(r.provisos == std::vector<std::uint32_t>{k});
    CHECK(r.missing.empty());  // a proviso's facts are limits, not questions
  }
  SUBCASE("a proviso that holds is not stated") {
    const Result& r = machine.evaluate({kTrue, kTrue, kFalse});
    CHECK(r.fired == std::vector<std::uint32_t>{speak});
    CHECK(r.provisos.empty());
  }
  SUBCASE("a proviso that fails stops the rule") {
    const Result& r = machine.evaluate({kTrue, kFalse, kFalse});
    CHECK(r.conditions[speak] == Truth::False);
    CHECK(r.outputs[verdict].value == Value::of(0));
    CHECK(r.provisos.empty());
  }
  SUBCASE("a rule that only may fire states nothing") {
    const Result& r = machine.evaluate({kUnknown, kUnknown, kFalse});
    CHECK(r.conditions[speak] == Truth::Unknown);
    CHECK(r.provisos.empty());
    CHECK(r.missing == std::vector<std::uint32_t>{x});
  }
  SUBCASE("a rule set aside maybe still states its proviso; one set aside for sure does not") {
    const Result& maybe = machine.evaluate({kTrue, kUnknown, kUnknown});
    CHECK(maybe.applies[speak] == Truth::Unknown);
    CHECK(maybe.provisos == std::vector<std::uint32_t>{k});
    const Result& aside = machine.evaluate({kTrue, kUnknown, kTrue});
    CHECK(aside.applies[speak] == Truth::False);
    REQUIRE(aside.overridden.size() == 1);
    CHECK(aside.overridden[0].rule == speak);
    CHECK(aside.provisos.empty());
  }
}

TEST_CASE("a warning holds like a rule and decides nothing, its facts are never questions") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t article = b.fact("infraction.article", kArticle);
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t speak = b.rule("parler", {{verdict, 1}}, {x});
  const std::uint32_t reform = b.warning("reforme", {article});
  b.fire(speak, x);
  b.resolve(verdict);
  b.fire(reform, b.emit(Opcode::Known, kBool, article));
  const Program program = b.finish();
  Machine machine(program);
  const Result& holds = machine.evaluate({Value::of(*parse_article("398")), kFalse});
  CHECK(holds.fired == std::vector<std::uint32_t>{reform});
  CHECK(holds.outputs[verdict].value == Value::of(0));
  const Result& maybe = machine.evaluate({kUnknown, kUnknown});
  CHECK(maybe.conditions[reform] == Truth::Unknown);
  CHECK(maybe.missing == std::vector<std::uint32_t>{x});
}

TEST_CASE("a dated rule is in force maybe when the day is unknown, and not at all outside its period") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "doit_reveler"});
  const std::uint32_t day = b.fact("cas.date", kDate);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t declare = b.rule("declaration_active", {{verdict, 1}}, {day});
  b.date_fact(day);
  b.valid(declare, parse_date("2017-05-17"), parse_date("2019-03-14"));
  b.fire(declare, b.constant(kBool, 1));
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);
  const auto on = [&](const char* date) {
    return machine.evaluate({Value::of(*parse_date(date))}).conditions[declare];
  };
  CHECK(on("2017-05-16") == Truth::False);
  CHECK(on("2017-05-17") == Truth::True);
  CHECK(on("2019-03-13") == Truth::True);
  CHECK(on("2019-03-14") == Truth::False);
  const std::vector<bool> question{true};
  CHECK(machine.evaluate({kUnknown}, &question).conditions[declare] == Truth::Unknown);
  const Result& r = machine.evaluate({kUnknown});
  CHECK(r.conditions[declare] == Truth::Unknown);
  CHECK_FALSE(r.outputs[verdict].settled);
  CHECK(r.missing == std::vector<std::uint32_t>{day});
}

TEST_CASE("conditional answers evaluate the case again with each open question set to each value") {
  const Secrecy s;
  Machine machine(s.program);
  const std::vector<Value> facts{kUnknown, kTrue};
  const Result r = machine.evaluate(facts);
  REQUIRE(r.missing == std::vector<std::uint32_t>{s.fonction});
  const std::vector<Dependence> deps = conditional_answers(machine, facts, nullptr, r);
  REQUIRE(deps.size() == 1);
  const Dependence& d = deps[0];
  CHECK(d.fact == s.fonction);
  // medecin: garder_le_secret; avocat: a conflict; autre: peut_reveler — three answers, in member order.
  REQUIRE(d.branches.size() == 3);
  CHECK(d.branches[0].values == std::vector<std::int64_t>{Secrecy::medecin});
  CHECK(d.branches[0].outputs[s.verdict].value == Value::of(Secrecy::garder));
  CHECK(d.branches[1].values == std::vector<std::int64_t>{Secrecy::avocat});
  CHECK(d.branches[1].outputs[s.verdict].conflict);
  CHECK(d.branches[2].values == std::vector<std::int64_t>{Secrecy::autre});
  CHECK(d.branches[2].outputs[s.verdict].value == Value::of(Secrecy::peut));
  CHECK(d.changes == std::vector<std::uint8_t>{1, 1});  // temoignage's conditions go with its verdict
  for (const Branch& b : d.branches) {
    std::vector<Value> trial = facts;
    trial[s.fonction] = Value::of(b.values[0]);
    CHECK(machine.evaluate(trial).outputs == b.outputs);
  }
}

TEST_CASE("conditional answers keep only the questions whose values lead to different answers") {
  ProgramBuilder b;
  const std::uint32_t e = b.add_enum("verdict", {"garder_le_secret", "peut_reveler"});
  const std::uint32_t x = b.fact("x", kBool);
  const std::uint32_t n = b.fact("n", kInteger);
  const std::uint32_t verdict = b.output("verdict", OutputKind::Scalar, e, 0);
  const std::uint32_t speak = b.rule("parler", {{verdict, 1}}, {x, n});
  b.fire(speak, b.emit(Opcode::And, kBool, x, b.emit(Opcode::Gt, kBool, n, b.constant(kInteger, 17))));
  b.resolve(verdict);
  const Program program = b.finish();
  Machine machine(program);
  // Both are open questions; an integer has too many values to try, the bool is tried true then false.
  const std::vector<Value> facts{kUnknown, kUnknown};
  const Result r = machine.evaluate(facts);
  CHECK(r.missing == std::vector<std::uint32_t>{x, n});
  const std::vector<Dependence> deps = conditional_answers(machine, facts, nullptr, r);
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].fact == x);
  REQUIRE(deps[0].branches.size() == 2);
  CHECK(deps[0].branches[0].values == std::vector<std::int64_t>{1});
  CHECK_FALSE(deps[0].branches[0].outputs[verdict].settled);  // still depends on n
  CHECK(deps[0].branches[1].values == std::vector<std::int64_t>{0});
  CHECK(deps[0].branches[1].outputs[verdict].value == Value::of(0));
  // Once n is known not to exceed 17, x changes nothing: no conditional answer.
  const std::vector<Value> young{kUnknown, Value::of(12)};
  const Result settled = machine.evaluate(young);
  CHECK(settled.outputs[verdict].settled);
  CHECK(settled.missing.empty());
  CHECK(conditional_answers(machine, young, nullptr, settled).empty());
}
