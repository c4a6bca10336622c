#include "runtime/explain.hpp"

#include <algorithm>
#include <optional>

namespace secretc {

std::vector<Dependence> conditional_answers(Machine& machine, const std::vector<Value>& facts,
                                            const std::vector<bool>* written, const Result& result) {
  const Program& program = machine.program();
  std::vector<Dependence> out;
  std::vector<Value> trial = facts;
  trial.resize(program.facts.size());
  for (const std::uint32_t f : result.missing) {
    const Type t = program.facts[f].type;
    std::size_t domain = 0;
    if (t.kind == TypeKind::Bool) domain = 2;
    if (t.kind == TypeKind::Enum) domain = program.enums[t.enum_id].members.size();
    if (domain == 0) continue;  // integers, dates, texts, articles: too many values to try
    Dependence d;
    d.fact = f;
    for (std::size_t v = 0; v < domain; ++v) {
      // A bool's values in the order a reader expects them: true, then false.
      const auto value = static_cast<std::int64_t>(t.kind == TypeKind::Bool ? 1 - v : v);
      trial[f] = Value::of(value);
      const std::vector<OutputValue>& outputs = machine.evaluate(trial, written).outputs;
      Branch* same = nullptr;
      for (Branch& b : d.branches) {
        if (b.outputs == outputs) same = &b;
      }
      if (same == nullptr) {
        d.branches.push_back(Branch{{}, outputs});
        same = &d.branches.back();
      }
      same->values.push_back(value);
    }
    trial[f] = facts.size() > f ? facts[f] : Value::unknown();
    if (d.branches.size() < 2) continue;
    d.changes.assign(program.outputs.size(), 0);
    for (std::size_t o = 0; o < program.outputs.size(); ++o) {
      for (const Branch& b : d.branches) {
        if (!(b.outputs[o] == d.branches[0].outputs[o])) d.changes[o] = 1;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace secretc

namespace secretc {

std::vector<OpenQuestion> open_questions(const Program& program, const Result& result,
                                         const std::vector<Dependence>& dependences) {
  const std::optional<std::uint32_t> verdict = program.find_output("verdict");
  std::vector<OpenQuestion> out;
  for (const std::uint32_t f : result.missing) {
    OpenQuestion q;
    q.fact = f;
    for (const Dependence& d : dependences) {
      if (d.fact != f) continue;
      for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
        if (d.changes[o] == 0) continue;
        const QuestionRank r = verdict && o == *verdict                        ? QuestionRank::Verdict
                               : program.outputs[o].kind == OutputKind::Scalar ? QuestionRank::Answer
                                                                               : QuestionRank::Limits;
        q.rank = std::min(q.rank, r);
      }
      if (verdict) {
        for (const Branch& b : d.branches) {
          if (b.outputs[*verdict].settled) q.answers_settling_verdict += b.values.size();
        }
      }
    }
    out.push_back(q);
  }
  const auto theme = [&](std::uint32_t f) {
    const std::optional<std::uint32_t> t = program.theme_of(f);
    return t ? *t : static_cast<std::uint32_t>(program.themes.size());
  };
  std::stable_sort(out.begin(), out.end(), [&](const OpenQuestion& a, const OpenQuestion& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.answers_settling_verdict != b.answers_settling_verdict)
      return a.answers_settling_verdict > b.answers_settling_verdict;
    if (theme(a.fact) != theme(b.fact)) return theme(a.fact) < theme(b.fact);
    return a.fact < b.fact;
  });
  return out;
}

}  // namespace secretc

namespace secretc {

namespace {

// The values a bool or enumeration fact can take, in a reader's order (true first); none for others.
std::vector<std::int64_t> domain_of(const Program& p, std::uint32_t f) {
  const Type t = p.facts[f].type;
  if (t.kind == TypeKind::Bool) return {1, 0};
  std::vector<std::int64_t> out;
  if (t.kind == TypeKind::Enum) {
    for (std::size_t m = 0; m < p.enums[t.enum_id].members.size(); ++m) out.push_back(static_cast<std::int64_t>(m));
  }
  return out;
}

}  // namespace

std::vector<NearMiss> near_misses(Machine& machine, const std::vector<Value>& facts, const std::vector<bool>* written,
                                  const Result& result, std::size_t limit) {
  const Program& p = machine.program();
  const std::optional<std::uint32_t> verdict = p.find_output("verdict");
  if (!verdict || result.outputs.size() <= *verdict) return {};
  const OutputValue now = result.outputs[*verdict];
  std::vector<Value> trial = facts;
  trial.resize(p.facts.size());
  // Written facts keep their `written` flag; a changed fact is treated as written.
  std::vector<bool> given = written != nullptr ? *written : std::vector<bool>(p.facts.size(), true);
  given.resize(p.facts.size(), false);
  const auto original = [&](std::uint32_t f) { return f < facts.size() ? facts[f] : Value::unknown(); };

  // Evaluates with `trial`; whether rule r then fires (or may) and the verdict is no longer what it is now.
  const auto fires_and_changes = [&](std::uint32_t r, bool& sure) {
    const Result& after = machine.evaluate(trial, &given);
    if (after.conditions[r] == Truth::False) return false;
    const OutputValue& v = after.outputs[*verdict];
    if (v == now) return false;
    sure = after.conditions[r] == Truth::True;
    return true;
  };

  std::vector<NearMiss> one, two;
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
    const RuleInfo& rule = p.rules[r];
    if (rule.kind != RuleKind::Rule || result.conditions[r] != Truth::False) continue;
    // An exception: it grants another answer than the cautious one (the verdict's first value in
    // doubt), and another than the verdict's now.
    const std::vector<std::uint32_t>& doubt = p.outputs[*verdict].doubt;
    bool writes_other = false;
    for (const Effect& e : rule.effects) {
      if (e.output != *verdict || (!doubt.empty() && e.value == doubt[0])) continue;
      writes_other =
          writes_other || !now.settled || !now.value.known || static_cast<std::uint64_t>(now.value.payload) != e.value;
    }
    if (!writes_other) continue;
    std::vector<std::uint32_t> candidates;
    for (const std::uint32_t f : rule.facts_read) {
      if (p.date_fact && f == *p.date_fact) continue;  // a period is no condition a reader can change
      if (!domain_of(p, f).empty()) candidates.push_back(f);
    }
    // One fact changed.
    NearMiss single;
    single.rule = r;
    for (const std::uint32_t f : candidates) {
      NearMiss::Change change{f, {}};
      const bool was_given = given[f];
      for (const std::int64_t v : domain_of(p, f)) {
        if (original(f).known && original(f).payload == v) continue;
        trial[f] = Value::of(v);
        given[f] = true;
        bool sure = false;
        if (fires_and_changes(r, sure)) {
          change.values.push_back(v);
          single.would_be_settled = single.would_be_settled || sure;
        }
      }
      trial[f] = original(f);
      given[f] = was_given;
      if (!change.values.empty()) single.changes.push_back(std::move(change));
    }
    if (!single.changes.empty()) {
      // Each of these facts alone would do: the reader learns every condition that failed.
      one.push_back(std::move(single));
      continue;
    }
    // Two facts changed together, within a budget: rules reading many facts are not near.
    if (candidates.size() > 8) continue;
    bool found = false;
    for (std::size_t i = 0; i < candidates.size() && !found; ++i) {
      for (std::size_t j = i + 1; j < candidates.size() && !found; ++j) {
        const std::uint32_t a = candidates[i], b = candidates[j];
        const bool a_given = given[a], b_given = given[b];
        for (const std::int64_t va : domain_of(p, a)) {
          if (found) break;
          if (original(a).known && original(a).payload == va) continue;
          for (const std::int64_t vb : domain_of(p, b)) {
            if (original(b).known && original(b).payload == vb) continue;
            trial[a] = Value::of(va);
            trial[b] = Value::of(vb);
            given[a] = given[b] = true;
            bool sure = false;
            if (fires_and_changes(r, sure)) {
              NearMiss pair;
              pair.rule = r;
              pair.changes = {{a, {va}}, {b, {vb}}};
              pair.would_be_settled = sure;
              two.push_back(std::move(pair));
              found = true;
              break;
            }
          }
        }
        trial[a] = original(a);
        trial[b] = original(b);
        given[a] = a_given;
        given[b] = b_given;
      }
    }
  }
  std::vector<NearMiss> out = std::move(one);
  for (NearMiss& m : two) out.push_back(std::move(m));
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace secretc
