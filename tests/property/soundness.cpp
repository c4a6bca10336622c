#include "tests/property/soundness.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "tests/differential/agreement.hpp"

namespace secretc::property {

namespace {

// The day bound to facts that default to `today`: fixed, so that a reproducer reproduces.
constexpr std::int64_t kToday = 19844;  // 2024-05-01

std::string case_text(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  return text;
}

const char* truth_name(Truth t) {
  return t == Truth::True ? "true" : t == Truth::False ? "false" : "unknown";
}

// One completion of a case, and its answer.
struct Completion {
  const std::vector<Value>* facts = nullptr;
  const Concrete* answer = nullptr;
};

bool same_answer(const Concrete::Output& a, const Concrete::Output& b) {
  return a.conflict == b.conflict && a.value == b.value;
}

// Judges one abstract answer against completions of its case.
class Judge {
 public:
  Judge(const Program& p, const ConcreteEvaluator& truth) : p_(p), truth_(truth) {}

  // "" when the answer holds in every completion among `among` that respects the provisos it states;
  // otherwise what fails, and the first completion where it fails. `facts` is the case judged.
  std::string run(const Result& a, const std::vector<Value>& facts, const std::vector<Completion>& among,
                  Tally* tally) {
    a_ = &a;
    facts_ = &facts;
    const std::size_t nr = p_.rules.size();
    if (a.outputs.size() != p_.outputs.size() || a.conditions.size() != nr || a.applies.size() != nr) {
      return "the result does not have one entry per output and per rule";
    }
    bool unknown = false;
    for (const Value& v : facts) unknown = unknown || !v.known;
    if (a.uncertain != unknown)
      return fmt::format("`uncertain` is {}, but {}", a.uncertain,
                         unknown ? "some fact is unknown" : "every fact is known");
    if (std::string s = stated_provisos(); !s.empty()) return s;

    // Soundness is judged over the completions that respect the provisos the answer states.
    std::vector<Completion> kept;
    for (const Completion& c : among) {
      const bool respects = std::all_of(a.provisos.begin(), a.provisos.end(),
                                        [&](std::uint32_t k) { return c.answer->provisos[k] != Truth::False; });
      if (respects) kept.push_back(c);
    }
    if (kept.empty()) {
      if (tally != nullptr) ++tally->vacuous;
      return {};
    }
    for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
      std::string s = p_.outputs[o].kind == OutputKind::Set ? set_output(o, kept) : scalar_output(o, kept);
      if (!s.empty()) return s;
    }
    if (std::string s = rules(kept); !s.empty()) return s;
    if (std::string s = conflicts(kept); !s.empty()) return s;
    if (std::string s = provisos_left_unstated(kept); !s.empty()) return s;
    for (std::size_t i = 0; i < a.missing.size(); ++i) {
      const std::uint32_t f = a.missing[i];
      if (f >= facts.size() || facts[f].known || (i > 0 && a.missing[i - 1] >= f)) {
        return "`missing` holds a fact that is known, or is not in fact order";
      }
    }
    if (tally != nullptr) count_precision(kept, among, *tally);
    return {};
  }

 private:
  // The unknown facts of the case, as the completion sets them.
  std::string where(const Completion& c) const {
    std::string out = "  in the completion\n";
    for (std::size_t f = 0; f < p_.facts.size(); ++f) {
      if ((*facts_)[f].known) continue;
      const Value& v = (*c.facts)[f];
      out +=
          fmt::format("    {} = {}\n", p_.facts[f].name, v.known ? p_.format_value(p_.facts[f].type, v) : "(no value)");
    }
    return out;
  }

  std::string answer_text(std::uint32_t o, const Concrete::Output& v) const {
    const OutputInfo& info = p_.outputs[o];
    if (v.conflict) return "a conflict";
    if (!v.value.known) return "no value";
    return p_.format_value({info.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, info.enum_id}, v.value);
  }

  std::string members(std::uint32_t o, std::uint64_t mask) const {
    return p_.format_value({TypeKind::Set, p_.outputs[o].enum_id}, Value::of(static_cast<std::int64_t>(mask)));
  }

  std::string stated_provisos() const {
    const auto& stated = a_->provisos;
    for (std::size_t i = 0; i < stated.size(); ++i) {
      const std::uint32_t k = stated[i];
      if (k >= p_.proviso_count() || (i > 0 && stated[i - 1] >= k))
        return "`provisos` is not a sorted list of provisos";
      const std::uint32_t r = rule_of_proviso(k);
      if (a_->conditions[r] != Truth::True || a_->applies[r] == Truth::False) {
        return fmt::format("proviso {} of `{}` is stated, but the rule does not fire for sure or is set aside for sure",
                           k, p_.rules[r].name);
      }
    }
    return {};
  }

  std::uint32_t rule_of_proviso(std::uint32_t k) const {
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const auto [first, last] = truth_.provisos_of(r);
      if (k >= first && k < last) return r;
    }
    return 0;
  }

  std::string scalar_output(std::uint32_t o, const std::vector<Completion>& kept) const {
    const OutputInfo& info = p_.outputs[o];
    const OutputValue& v = a_->outputs[o];
    const std::string name = info.name;
    if (v.settled) {
      // The answer's own bookkeeping: a settled output may take one answer only.
      const std::uint64_t one = v.value.known ? std::uint64_t{1} << v.value.payload : 0;
      if (v.possible != one || v.may_be_unknown == v.value.known || (v.conflict && v.value.known)) {
        return fmt::format("output `{}` is settled, but its possible values {} (or none: {}) are not its one answer",
                           name, members(o, v.possible), v.may_be_unknown);
      }
      const Concrete::Output said{v.conflict, v.value};
      for (const Completion& c : kept) {
        const Concrete::Output& got = c.answer->outputs[o];
        if (!same_answer(got, said)) {
          return fmt::format("output `{}` is settled on {}, but a completion gives {}\n{}", name, answer_text(o, said),
                             answer_text(o, got), where(c));
        }
      }
      return {};
    }
    if (v.conflict) return fmt::format("output `{}` is a conflict, but not settled", name);
    std::optional<std::uint32_t> act;
    for (const std::uint32_t m : info.doubt) {
      if (((v.possible >> m) & 1U) != 0) {
        act = m;
        break;
      }
    }
    if (v.value != (act ? Value::of(*act) : Value::unknown())) {
      return fmt::format(
          "output `{}` is not settled; its value to act on is {}, not the first member of its doubt list "
          "among {}",
          name, answer_text(o, {false, v.value}), members(o, v.possible));
    }
    for (const Completion& c : kept) {
      const Concrete::Output& got = c.answer->outputs[o];
      if (got.value.known ? ((v.possible >> got.value.payload) & 1U) == 0 : !v.may_be_unknown) {
        return fmt::format("output `{}` may be {}{}, but a completion gives {}\n{}", name, members(o, v.possible),
                           v.may_be_unknown ? " or none" : "", answer_text(o, got), where(c));
      }
    }
    return {};
  }

  std::string set_output(std::uint32_t o, const std::vector<Completion>& kept) const {
    const OutputValue& v = a_->outputs[o];
    const std::string& name = p_.outputs[o].name;
    const auto sure = static_cast<std::uint64_t>(v.value.payload);
    if (!v.value.known || v.conflict || (sure & ~v.possible) != 0 || v.settled != (sure == v.possible)) {
      return fmt::format("set output `{}`: it holds {} for sure and may hold {}, settled {}: inconsistent", name,
                         members(o, sure), members(o, v.possible), v.settled);
    }
    for (const Completion& c : kept) {
      const auto got = static_cast<std::uint64_t>(c.answer->outputs[o].value.payload);
      if ((sure & ~got) != 0 || (got & ~v.possible) != 0) {
        return fmt::format("set output `{}` holds {} for sure and may hold {}, but a completion gives {}\n{}", name,
                           members(o, sure), members(o, v.possible), members(o, got), where(c));
      }
    }
    return {};
  }

  std::string rules(const std::vector<Completion>& kept) const {
    const Result& a = *a_;
    std::vector<std::uint32_t> fired, overridden;
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const std::string& name = p_.rules[r].name;
      const Truth fires = a.conditions[r], applies = a.applies[r];
      if ((applies == Truth::True && fires != Truth::True) || (fires == Truth::False && applies != Truth::False)) {
        return fmt::format("rule `{}` fires {} but applies {}", name, truth_name(fires), truth_name(applies));
      }
      if (applies == Truth::True) fired.push_back(r);
      if (fires == Truth::True && applies == Truth::False) overridden.push_back(r);
      for (const Completion& c : kept) {
        const Concrete& x = *c.answer;
        if (applies != Truth::Unknown && (x.applies[r] != 0) != (applies == Truth::True)) {
          return fmt::format("rule `{}` applies {}, but not in a completion\n{}", name, truth_name(applies), where(c));
        }
        if (fires == Truth::False && x.fires[r] != 0) {
          return fmt::format("rule `{}` does not fire, but fires in a completion\n{}", name, where(c));
        }
        // A rule set aside for sure has its unknown provisos unstated: that it fires "for sure" then
        // says only that it is in force and its condition holds.
        if (fires == Truth::True && (x.holds[r] == 0 || (applies != Truth::False && x.fires[r] == 0))) {
          return fmt::format("rule `{}` fires for sure, but not in a completion\n{}", name, where(c));
        }
        if (fires == Truth::True && applies == Truth::False) {
          const auto& over = truth_.overriders(r);
          const bool aside = std::any_of(over.begin(), over.end(), [&](std::uint32_t s) { return x.fires[s] != 0; });
          if (!aside)
            return fmt::format("rule `{}` is set aside for sure, but not in a completion\n{}", name, where(c));
        }
      }
    }
    if (a.fired != fired) return "`fired` is not the list of the rules that apply for sure";
    if (a.overridden.size() != overridden.size()) {
      return "`overridden` is not the list of the rules that fire for sure and are set aside for sure";
    }
    for (std::size_t i = 0; i < overridden.size(); ++i) {
      const Overridden& o = a.overridden[i];
      const auto& over = truth_.overriders(o.rule);
      if (o.rule != overridden[i] || std::find(over.begin(), over.end(), o.by) == over.end() ||
          a.conditions[o.by] != Truth::True) {
        return fmt::format("`{}` is reported set aside by a rule that does not override it or does not fire for sure",
                           p_.rules[o.rule].name);
      }
    }
    return {};
  }

  std::string conflicts(const std::vector<Completion>& kept) const {
    const Result& a = *a_;
    std::vector<std::uint8_t> reported(p_.outputs.size(), 0);
    for (const Conflict& k : a.conflicts) {
      if (k.output >= p_.outputs.size() || k.first >= p_.rules.size() || k.second >= p_.rules.size() ||
          !a.outputs[k.output].conflict || reported[k.output] != 0) {
        return "a conflict is reported on an output that is not a conflict, or twice";
      }
      reported[k.output] = 1;
      for (const Completion& c : kept) {
        if (c.answer->applies[k.first] == 0 || c.answer->applies[k.second] == 0 ||
            !c.answer->outputs[k.output].conflict) {
          return fmt::format("`{}` and `{}` conflict on `{}`, but not in a completion\n{}", p_.rules[k.first].name,
                             p_.rules[k.second].name, p_.outputs[k.output].name, where(c));
        }
      }
    }
    for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
      if (a.outputs[o].conflict && reported[o] == 0)
        return fmt::format("output `{}` is a conflict no entry reports", p_.outputs[o].name);
    }
    return {};
  }

  // A rule the answer lets apply (it fires for sure, and is not set aside for sure) rests on each of
  // its provisos: one the answer does not state must hold, or at least not be false.
  std::string provisos_left_unstated(const std::vector<Completion>& kept) const {
    const Result& a = *a_;
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      if (a.conditions[r] != Truth::True || a.applies[r] == Truth::False) continue;
      const auto [first, last] = truth_.provisos_of(r);
      for (std::uint32_t k = first; k < last; ++k) {
        if (std::binary_search(a.provisos.begin(), a.provisos.end(), k)) continue;
        for (const Completion& c : kept) {
          if (c.answer->provisos[k] == Truth::False) {
            return fmt::format("proviso {} of `{}` is not stated, but a completion makes it false\n{}", k,
                               p_.rules[r].name, where(c));
          }
        }
      }
    }
    return {};
  }

  void count_precision(const std::vector<Completion>& kept, const std::vector<Completion>& among, Tally& t) const {
    const Result& a = *a_;
    for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
      Tally::Precision& kind = p_.outputs[o].kind == OutputKind::Set ? t.set : t.scalar;
      bool agree = true;
      for (const Completion& c : kept) agree = agree && same_answer(c.answer->outputs[o], kept[0].answer->outputs[o]);
      ++kind.outputs;
      kind.agreeing += agree ? 1 : 0;
      if (a.outputs[o].settled) continue;
      ++kind.unsettled;
      kind.spurious += agree ? 1 : 0;
    }
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      if (a.applies[r] != Truth::Unknown) continue;
      bool agree = true;
      for (const Completion& c : kept) agree = agree && c.answer->applies[r] == kept[0].answer->applies[r];
      ++t.rules_maybe;
      t.rules_maybe_spurious += agree ? 1 : 0;
    }
    for (const std::uint32_t k : a.provisos) {
      ++t.provisos_stated;
      const bool always = std::all_of(among.begin(), among.end(),
                                      [&](const Completion& c) { return c.answer->provisos[k] == Truth::True; });
      t.provisos_needless += always ? 1 : 0;
    }
  }

  const Program& p_;
  const ConcreteEvaluator& truth_;
  const Result* a_ = nullptr;
  const std::vector<Value>* facts_ = nullptr;
};

// The values of a fact that conditional answers try, in their order: true then false, or the members.
std::vector<std::int64_t> tried_values(const Program& p, std::uint32_t f) {
  const Type t = p.facts[f].type;
  if (t.kind == TypeKind::Bool) return {1, 0};
  std::vector<std::int64_t> out;
  if (t.kind == TypeKind::Enum) {
    for (std::size_t m = 0; m < p.enums[t.enum_id].members.size(); ++m) out.push_back(static_cast<std::int64_t>(m));
  }
  return out;
}

}  // namespace

// --- one compiled rulebase -------------------------------------------------------------------------

std::unique_ptr<Subject> Subject::build(const Files& files, const Mutation& mutate, std::string& error) {
  auto s = std::unique_ptr<Subject>(new Subject());
  s->compilation_ = compile_texts(files);
  if (!s->compilation_.program) {
    error = render_all(s->compilation_.diags, s->compilation_.sources);
    return nullptr;
  }
  s->tested_ = std::make_unique<Program>(*s->compilation_.program);
  if (mutate) mutate(*s->tested_);
  if (const std::string problem = verify_program(*s->tested_); !problem.empty()) {
    error = "the program does not verify: " + problem;
    return nullptr;
  }
  s->vm_ = std::make_unique<Machine>(*s->tested_);
  s->truth_ = std::make_unique<ConcreteEvaluator>(*s->compilation_.program);
  return s;
}

Outcome Subject::check(const std::vector<std::string>& lines, std::size_t limit, Tally* tally) {
  const Program& p = *compilation_.program;
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", case_text(lines));
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  const BoundCase bound = diags.has_errors() ? BoundCase{} : bind_case(p, entries, kToday, diags);
  if (diags.has_errors()) return {Outcome::Kind::CaseRejected, render_all(diags, sources)};

  const auto every = completions(p, bound, limit);
  if (!every) {
    if (tally != nullptr) ++tally->too_many;
    return {Outcome::Kind::TooMany, {}};
  }
  std::vector<Concrete> answers;
  answers.reserve(every->size());
  for (const std::vector<Value>& c : *every) answers.push_back(truth_->evaluate(c));
  std::vector<Completion> all;
  for (std::size_t i = 0; i < every->size(); ++i) all.push_back({&(*every)[i], &answers[i]});

  Judge judge(p, *truth_);
  const std::vector<bool>* written = &bound.given;
  const Result answer = vm_->evaluate(bound.facts, written);  // a copy: the machine is used again below
  const auto unsound = [&](const std::string& what, const Result& r) {
    return Outcome{Outcome::Kind::Unsound,
                   fmt::format("{}\nthe VM's answer:\n{}", what, differential::describe_result(p, r))};
  };
  if (std::string v = judge.run(answer, bound.facts, all, tally); !v.empty()) return unsound(v, answer);

  // Conditional answers: each branch is the answer of the case with the fact set, and is sound on the
  // completions that give the fact that value.
  const std::vector<Dependence> deps = conditional_answers(*vm_, bound.facts, written, answer);
  std::vector<std::uint8_t> depends(p.facts.size(), 0);
  for (std::size_t i = 0; i < deps.size(); ++i) {
    const Dependence& d = deps[i];
    const std::string& name = d.fact < p.facts.size() ? p.facts[d.fact].name : std::string("?");
    if (d.fact >= p.facts.size() || !std::binary_search(answer.missing.begin(), answer.missing.end(), d.fact) ||
        (i > 0 && deps[i - 1].fact >= d.fact)) {
      return unsound(fmt::format("the answer depends on `{}`, which is no open question (or out of order)", name),
                     answer);
    }
    depends[d.fact] = 1;
    std::vector<std::int64_t> seen;
    for (const Branch& b : d.branches) seen.insert(seen.end(), b.values.begin(), b.values.end());
    std::sort(seen.begin(), seen.end());
    std::vector<std::int64_t> domain = tried_values(p, d.fact);
    std::sort(domain.begin(), domain.end());
    if (seen != domain || d.branches.size() < 2) {
      return unsound(fmt::format("the branches on `{}` do not split its values in two or more answers", name), answer);
    }
    for (std::size_t b = 0; b < d.branches.size(); ++b) {
      for (std::size_t c = b + 1; c < d.branches.size(); ++c) {
        if (d.branches[b].outputs == d.branches[c].outputs) {
          return unsound(fmt::format("two branches on `{}` give the same answer", name), answer);
        }
      }
    }
    for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
      bool changes = false;
      for (const Branch& b : d.branches) changes = changes || !(b.outputs[o] == d.branches[0].outputs[o]);
      if (o >= d.changes.size() || (d.changes[o] != 0) != changes) {
        return unsound(fmt::format("the branches on `{}` say wrongly whether `{}` changes", name, p.outputs[o].name),
                       answer);
      }
    }
    for (const Branch& b : d.branches) {
      for (const std::int64_t v : b.values) {
        std::vector<Value> facts = bound.facts;
        facts[d.fact] = Value::of(v);
        const Result sub = vm_->evaluate(facts, written);
        const std::string with = fmt::format("with {} = {}", name, p.format_value(p.facts[d.fact].type, Value::of(v)));
        if (!(sub.outputs == b.outputs)) {
          return unsound(fmt::format("the branch {} is not the answer of the case with that value", with), sub);
        }
        std::vector<Completion> among;
        for (const Completion& c : all) {
          if ((*c.facts)[d.fact] == Value::of(v)) among.push_back(c);
        }
        if (std::string s = judge.run(sub, facts, among, nullptr); !s.empty()) {
          return unsound(fmt::format("the conditional answer {}: {}", with, s), sub);
        }
        if (tally != nullptr) ++tally->branches;
      }
    }
    if (tally != nullptr) ++tally->dependences;
  }
  // An open question left out of the conditional answers changes no answer, whatever its value.
  for (const std::uint32_t f : answer.missing) {
    const std::vector<std::int64_t> values = tried_values(p, f);
    if (depends[f] != 0 || values.empty()) continue;
    std::vector<Value> facts = bound.facts;
    std::vector<OutputValue> first;
    for (const std::int64_t v : values) {
      facts[f] = Value::of(v);
      const std::vector<OutputValue>& outputs = vm_->evaluate(facts, written).outputs;
      if (first.empty()) {
        first = outputs;
      } else if (!(outputs == first)) {
        return unsound(fmt::format("the open question `{}` changes the answer, but no conditional answer says so",
                                   p.facts[f].name),
                       answer);
      }
    }
  }

  // The ground truth against the VM itself, on completions that give every fact a value (where the VM
  // runs its exact interpreter).
  for (std::size_t i = 0; i < every->size(); ++i) {
    const std::vector<Value>& c = (*every)[i];
    if (!std::all_of(c.begin(), c.end(), [](const Value& v) { return v.known; })) continue;
    const Result& exact = vm_->evaluate(c);
    const Concrete& t = answers[i];
    std::string differs;
    if (exact.uncertain) differs = "the VM finds a fact unknown";
    for (std::uint32_t o = 0; o < p.outputs.size() && differs.empty(); ++o) {
      const OutputValue& v = exact.outputs[o];
      if (!v.settled || v.conflict != t.outputs[o].conflict || v.value != t.outputs[o].value) {
        differs = fmt::format("output `{}`", p.outputs[o].name);
      }
    }
    for (std::uint32_t r = 0; r < p.rules.size() && differs.empty(); ++r) {
      if (exact.conditions[r] != (t.fires[r] != 0 ? Truth::True : Truth::False) ||
          exact.applies[r] != (t.applies[r] != 0 ? Truth::True : Truth::False)) {
        differs = fmt::format("rule `{}`", p.rules[r].name);
      }
    }
    if (!differs.empty()) {
      std::string text;
      for (std::size_t f = 0; f < p.facts.size(); ++f)
        text += fmt::format("    {} = {}\n", p.facts[f].name, p.format_value(p.facts[f].type, c[f]));
      return {Outcome::Kind::Disagree,
              fmt::format("on a completion giving every fact a value, the VM and the ground truth differ on {}\n{}the "
                          "VM's answer:\n{}",
                          differs, text, differential::describe_result(p, exact))};
    }
    if (tally != nullptr) ++tally->exact_checked;
  }

  if (tally != nullptr) {
    ++tally->cases;
    tally->completions += every->size();
    tally->conflicts += answer.conflicts.empty() ? 0 : 1;
    bool doubt = false, unwritten = false, questioned = false, warning = false, dated = false;
    for (std::uint32_t o = 0; o < p.outputs.size(); ++o) {
      doubt = doubt ||
              (!answer.outputs[o].settled && answer.outputs[o].value.known && p.outputs[o].kind == OutputKind::Scalar);
    }
    for (std::size_t f = 0; f < p.facts.size(); ++f) {
      unwritten = unwritten || (!bound.facts[f].known && !bound.given[f]);
      questioned = questioned || (!bound.facts[f].known && bound.given[f]);
    }
    for (const std::uint32_t r : answer.fired) warning = warning || p.rules[r].kind == RuleKind::Warning;
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      dated = dated || ((p.rules[r].valid_from || p.rules[r].valid_until) && !bound.facts[*p.date_fact].known &&
                        answer.conditions[r] == Truth::Unknown);
    }
    tally->values_in_doubt += doubt ? 1 : 0;
    tally->unwritten += unwritten ? 1 : 0;
    tally->questioned += questioned ? 1 : 0;
    tally->warnings += warning ? 1 : 0;
    tally->dated_unknown += dated ? 1 : 0;
  }
  return {};
}

// --- tallies -----------------------------------------------------------------------------------------

namespace {

std::string share(std::size_t part, std::size_t whole) {
  return whole == 0 ? std::string("-")
                    : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string precision_line(const char* kind, const Tally::Precision& p) {
  return fmt::format(
      "  {} outputs: {} judged, {} answered alike by every completion; {} reported unsettled, {} of "
      "them answered alike ({} of the unsettled, {} of those answered alike)\n",
      kind, p.outputs, p.agreeing, p.unsettled, p.spurious, share(p.spurious, p.unsettled),
      share(p.spurious, p.agreeing));
}

}  // namespace

std::string Tally::render() const {
  std::string out = fmt::format(
      "  {} cases judged on {} completions ({} cases with more than the limit left out, {} "
      "where no completion respects the stated provisos)\n",
      cases, completions, too_many, vacuous);
  out += precision_line("scalar", scalar);
  out += precision_line("set", set);
  Precision both{scalar.outputs + set.outputs, scalar.agreeing + set.agreeing, scalar.unsettled + set.unsettled,
                 scalar.spurious + set.spurious};
  out += precision_line("all", both);
  out += fmt::format("  rules that may apply: {}, of which every completion agrees on {} ({})\n", rules_maybe,
                     rules_maybe_spurious, share(rules_maybe_spurious, rules_maybe));
  out += fmt::format("  provisos stated: {}, of which true in every completion {} ({})\n", provisos_stated,
                     provisos_needless, share(provisos_needless, provisos_stated));
  out += fmt::format(
      "  conditional answers: {} questions, {} branches judged; the VM's exact answer checked on {} "
      "completions\n",
      dependences, branches, exact_checked);
  out += fmt::format(
      "  cases with a conflict {}, a value in doubt {}, an unwritten fact {}, a `?` fact {}, a warning "
      "that holds {}, a dated rule in force or not {}\n",
      conflicts, values_in_doubt, unwritten, questioned, warnings, dated_unknown);
  return out;
}

double Tally::spurious_share() const {
  const std::size_t unsettled = scalar.unsettled + set.unsettled;
  return unsettled == 0 ? 0.0 : static_cast<double>(scalar.spurious + set.spurious) / static_cast<double>(unsettled);
}

std::string Tally::lacking() const {
  std::vector<std::pair<const char*, std::size_t>> seen{{"an unsettled scalar output", scalar.unsettled},
                                                        {"an unsettled set output", set.unsettled},
                                                        {"a stated proviso", provisos_stated},
                                                        {"a conditional answer", branches},
                                                        {"a conflict", conflicts},
                                                        {"a value in doubt", values_in_doubt},
                                                        {"an unwritten fact", unwritten},
                                                        {"a `?` fact", questioned},
                                                        {"a warning that holds", warnings},
                                                        {"a dated rule in force or not", dated_unknown},
                                                        {"a completion the VM answers exactly", exact_checked}};
  std::string out;
  for (const auto& [what, n] : seen) {
    if (n == 0) out += fmt::format("{}{}", out.empty() ? "" : ", ", what);
  }
  return out;
}

// --- one input, and its minimisation ------------------------------------------------------------------

Outcome run_case(const Files& files, const std::vector<std::string>& lines, std::size_t limit, const Mutation& mutate) {
  std::string error;
  const std::unique_ptr<Subject> s = Subject::build(files, mutate, error);
  if (!s) return {Outcome::Kind::NotCompiled, error};
  return s->check(lines, limit);
}

std::string Reproducer::render() const {
  std::string out;
  for (const auto& [name, text] : rulebase.files()) out += fmt::format("----- {}\n{}", name, text);
  out += fmt::format("----- case.fact\n{}", case_text(lines));
  out += fmt::format("----- what fails\n{}", outcome.detail);
  return out;
}

Reproducer minimise(differential::GeneratedRulebase rulebase, std::vector<std::string> lines, std::size_t limit,
                    const Mutation& mutate) {
  const Outcome::Kind kind = run_case(rulebase.files(), lines, limit, mutate).kind;
  const auto fails = [&](const differential::GeneratedRulebase& rb, const std::vector<std::string>& l) {
    return run_case(rb.files(), l, limit, mutate).kind == kind;
  };
  // Greedy deletion to a fixed point: a fact can go only once the case line giving it is gone, and a
  // rule only once no other rule overrides it, so one pass is not enough.
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = rulebase.declarations.size(); i-- > 0;) {
      differential::GeneratedRulebase smaller = rulebase;
      smaller.declarations.erase(smaller.declarations.begin() + static_cast<std::ptrdiff_t>(i));
      if (fails(smaller, lines)) {
        rulebase = std::move(smaller);
        changed = true;
      }
    }
    for (std::size_t i = lines.size(); i-- > 0;) {
      std::vector<std::string> fewer = lines;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      if (fails(rulebase, fewer)) {
        lines = std::move(fewer);
        changed = true;
      }
    }
  }
  // Files left empty only distract the reader.
  differential::GeneratedRulebase compact;
  for (std::size_t f = 0; f < rulebase.english.size(); ++f) {
    bool used = false;
    for (const auto& d : rulebase.declarations) used = used || d.file == f;
    if (!used) continue;
    for (const auto& d : rulebase.declarations) {
      if (d.file == f) compact.declarations.push_back({compact.english.size(), d.text});
    }
    compact.english.push_back(rulebase.english[f]);
  }
  if (fails(compact, lines)) rulebase = std::move(compact);
  Reproducer r{std::move(rulebase), std::move(lines), {}};
  r.outcome = run_case(r.rulebase.files(), r.lines, limit, mutate);
  return r;
}

}  // namespace secretc::property
