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
        const QuestionRank r = verdict && o == *verdict                               ? QuestionRank::Verdict
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
    if (a.answers_settling_verdict != b.answers_settling_verdict) return a.answers_settling_verdict > b.answers_settling_verdict;
    if (theme(a.fact) != theme(b.fact)) return theme(a.fact) < theme(b.fact);
    return a.fact < b.fact;
  });
  return out;
}

}  // namespace secretc
