// Checking a rulebase (check_internal.hpp): precedence (the rules that set each rule aside, and their
// cycles), then the evaluation order of definitions, rules and outputs (and the cycles of dependency).
#include "compiler/check_internal.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace secretc::check_detail {

// ----- precedence ------------------------------------------------------------------------------

// Transitive closure of `overrides`; a cycle of precedence is an error naming it.
void Checker::precedence() {
  const std::size_t n = m_.ast.rules.size();
  m_.overriders.assign(n, {});
  std::vector<std::vector<std::uint32_t>> overridden_by(n);  // direct: who overrides r
  for (std::uint32_t r = 0; r < n; ++r) {
    for (const std::uint32_t target : m_.overrides[r]) overridden_by[target].push_back(r);
  }
  std::vector<std::uint8_t> in_reported_cycle(n, 0);  // one error per cycle, not one per rule on it
  // seen_by[s] == r: the search from r has reached s. One array for every search, so that a rule
  // nobody overrides costs nothing, and the others cost what they reach.
  std::vector<std::uint32_t> seen_by(n, std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t r = 0; r < n; ++r) {
    std::vector<std::uint32_t> reached;
    std::vector<std::uint32_t> stack(overridden_by[r].begin(), overridden_by[r].end());
    while (!stack.empty() && reached.size() <= kMaxOverriders) {
      const std::uint32_t s = stack.back();
      stack.pop_back();
      if (seen_by[s] == r) continue;
      seen_by[s] = r;
      reached.push_back(s);
      for (const std::uint32_t t : overridden_by[s]) stack.push_back(t);
    }
    if (reached.size() > kMaxOverriders) {
      diags_.error(m_.ast.rules[r].at, msg(Msg::TooManyOverriders, m_.ast.rules[r].name, kMaxOverriders),
                   msg(Msg::TooManyOverridersHint));
      continue;
    }
    if (seen_by[r] == r) {
      const std::vector<std::uint32_t> cycle = precedence_cycle(r, overridden_by);
      if (in_reported_cycle[r] == 0) {
        std::string text;
        for (std::size_t i = 0; i < cycle.size(); ++i) {
          text += (i == 0 ? "`" : " is overridden by `") + m_.ast.rules[cycle[i]].name + "`";
          in_reported_cycle[cycle[i]] = 1;
        }
        diags_.error(m_.ast.rules[r].at, msg(Msg::PrecedenceCycle, m_.ast.rules[r].name, text),
                     msg(Msg::PrecedenceCycleHint));
      }
    }
    reached.erase(std::remove(reached.begin(), reached.end(), r), reached.end());
    std::sort(reached.begin(), reached.end());
    m_.overriders[r] = std::move(reached);
  }
}

// The rules of the shortest precedence cycle through `start`, from start back to start.
std::vector<std::uint32_t> Checker::precedence_cycle(std::uint32_t start,
                                                     const std::vector<std::vector<std::uint32_t>>& overridden_by) {
  // Breadth-first search for the shortest path of `overridden_by` from start back to start.
  const std::size_t n = overridden_by.size();
  std::vector<std::int64_t> parent(n, -1);
  std::vector<std::uint32_t> queue{start};
  for (std::size_t qi = 0; qi < queue.size(); ++qi) {
    const std::uint32_t s = queue[qi];
    for (const std::uint32_t t : overridden_by[s]) {
      if (t == start) {
        std::vector<std::uint32_t> path{start};
        for (std::int64_t x = s; x != -1 && static_cast<std::uint32_t>(x) != start;
             x = parent[static_cast<std::size_t>(x)]) {
          path.push_back(static_cast<std::uint32_t>(x));
        }
        std::reverse(path.begin() + 1, path.end());
        path.push_back(start);
        return path;
      }
      if (parent[t] == -1 && t != start) {
        parent[t] = s;
        queue.push_back(t);
      }
    }
  }
  return {start};
}

// ----- evaluation order ------------------------------------------------------------------------

// Nodes: definitions, rules, outputs. A rule waits for what its condition reads; an output waits
// for the rules that set it and for the rules that override those; a definition for what it reads.
void Checker::order() {
  if (diags_.has_errors()) return;
  const std::size_t nd = m_.ast.defines.size(), nr = m_.ast.rules.size(), no = m_.ast.outputs.size();
  enum Color : std::uint8_t { White, Grey, Black };
  std::vector<std::uint8_t> color(nd + nr + no, White);
  std::vector<std::size_t> path;
  writers_.assign(no, {});
  for (std::uint32_t r = 0; r < nr; ++r) {
    for (const Effect& e : m_.effects[r]) writers_[e.output].push_back(r);
  }
  // Depth-first, each node after its dependencies. The stack is explicit: a chain of rules reading
  // outputs that other rules decide may be as long as the rulebase, too long for the call stack.
  struct Frame {
    std::size_t node;
    std::vector<std::size_t> deps;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < nd + nr + no; ++root) {
    if (color[root] != White) continue;
    color[root] = Grey;
    path.push_back(root);
    stack.push_back({root, dependencies(root, nd, nr)});
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next < top.deps.size()) {
        const std::size_t dep = top.deps[top.next++];
        if (color[dep] == Black) continue;
        if (color[dep] == Grey) {
          report_cycle(dep, path);
          return;
        }
        color[dep] = Grey;
        path.push_back(dep);
        stack.push_back({dep, dependencies(dep, nd, nr)});
        continue;
      }
      const std::size_t node = top.node;
      stack.pop_back();
      path.pop_back();
      color[node] = Black;
      if (node < nd) {
        if (!m_.defines[node].constant_set)
          m_.order.push_back({EvalStep::Kind::Define, static_cast<std::uint32_t>(node)});
      } else if (node < nd + nr) {
        m_.order.push_back({EvalStep::Kind::Rule, static_cast<std::uint32_t>(node - nd)});
      } else {
        m_.order.push_back({EvalStep::Kind::Resolve, static_cast<std::uint32_t>(node - nd - nr)});
      }
    }
  }
}

std::vector<std::size_t> Checker::dependencies(std::size_t node, std::size_t nd, std::size_t nr) const {
  std::vector<std::size_t> deps;
  const auto add_reads = [&](const Reads& r) {
    for (const std::uint32_t d : r.defines) deps.push_back(d);
    for (const std::uint32_t o : r.outputs) deps.push_back(nd + nr + o);
  };
  if (node < nd) {
    add_reads(define_deps_[node]);
  } else if (node < nd + nr) {
    add_reads(rule_reads_[node - nd]);
  } else {
    const std::size_t o = node - nd - nr;
    for (const std::uint32_t r : writers_[o]) {
      deps.push_back(nd + r);
      for (const std::uint32_t s : m_.overriders[r]) deps.push_back(nd + s);
    }
  }
  return deps;
}

void Checker::report_cycle(std::size_t node, const std::vector<std::size_t>& path) {
  const std::size_t nd = m_.ast.defines.size(), nr = m_.ast.rules.size();
  const auto describe = [&](std::size_t x) {
    if (x < nd) return fmt::format("definition `{}`", m_.ast.defines[x].name);
    if (x < nd + nr) return fmt::format("rule `{}`", m_.ast.rules[x - nd].name);
    return fmt::format("output `{}`", m_.ast.outputs[x - nd - nr].name);
  };
  const auto start = std::find(path.begin(), path.end(), node);
  std::vector<std::string> names;
  for (auto it = start; it != path.end(); ++it) names.push_back(describe(*it));
  names.push_back(describe(node));
  Location at;
  if (node < nd)
    at = m_.ast.defines[node].at;
  else if (node < nd + nr)
    at = m_.ast.rules[node - nd].at;
  else
    at = m_.ast.outputs[node - nd - nr].at;
  diags_.error(at, msg(Msg::DependencyCycle, join(names, " needs ")), msg(Msg::DependencyCycleHint));
}

}  // namespace secretc::check_detail
