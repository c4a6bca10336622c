#include "analysis/lint.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "analysis/decompile.hpp"
#include "grammar/keywords.hpp"

namespace secretc {

namespace {

constexpr std::array<std::pair<LintCheck, std::string_view>, 9> kCheckNames{{
    {LintCheck::Conflict, "conflict"},
    {LintCheck::NeverFires, "never-fires"},
    {LintCheck::AlwaysOverridden, "always-overridden"},
    {LintCheck::UnusedFact, "unused-fact"},
    {LintCheck::UnusedDefinition, "unused-definition"},
    {LintCheck::NoCite, "no-cite"},
    {LintCheck::NoExplanation, "no-explanation"},
    {LintCheck::ValidityOverlap, "validity-overlap"},
    {LintCheck::Directive, "directive"},
}};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string backticked(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

// The declaration a finding or a directive belongs to.
struct DeclRef {
  enum class Kind : std::uint8_t { Rule, Fact, Definition } kind = Kind::Rule;
  std::uint32_t index = 0;
  friend bool operator<(const DeclRef& a, const DeclRef& b) {
    return std::pair{a.kind, a.index} < std::pair{b.kind, b.index};
  }
  friend bool operator==(const DeclRef&, const DeclRef&) = default;
};

// `# lint: ignore conflict(a, b), no-cite — reason`
struct Directive {
  Location at;
  DeclRef decl;
  std::vector<std::pair<std::string, std::vector<std::string>>> checks;  // as written, with their names
  std::string reason;
  bool used = false;
};

// Parses the text of one comment (after `#`); nullopt when it is no lint directive.
std::optional<Directive> parse_directive(std::string_view comment) {
  std::string text = trim(comment);
  if (text.rfind("lint:", 0) != 0) return std::nullopt;
  text = trim(std::string_view(text).substr(5));
  Directive d;
  if (text.rfind("ignore", 0) != 0) {
    d.checks.push_back({"?" + text, {}});
    return d;
  }
  text = text.substr(6);
  // The reason follows the first separator: an em or en dash, `--`, or `:`.
  std::size_t cut = std::string::npos, skip = 0;
  for (const std::string_view sep : {"—", "–", "--", ":"}) {
    const auto at = text.find(sep);
    if (at != std::string::npos && at < cut) {
      cut = at;
      skip = sep.size();
    }
  }
  const std::string spec = cut == std::string::npos ? text : text.substr(0, cut);
  d.reason = cut == std::string::npos ? std::string() : trim(std::string_view(text).substr(cut + skip));
  std::size_t i = 0;
  while (i < spec.size()) {
    while (i < spec.size() && (spec[i] == ' ' || spec[i] == ',' || spec[i] == '\t')) ++i;
    std::string name;
    while (i < spec.size() && spec[i] != ' ' && spec[i] != ',' && spec[i] != '(' && spec[i] != '\t') name += spec[i++];
    std::vector<std::string> args;
    while (i < spec.size() && spec[i] == ' ') ++i;
    if (i < spec.size() && spec[i] == '(') {
      const auto close = spec.find(')', i);
      const std::string inside = spec.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      std::size_t from = 0;
      while (from <= inside.size()) {
        const auto comma = inside.find(',', from);
        const std::string arg =
            trim(std::string_view(inside).substr(from, comma == std::string::npos ? std::string::npos : comma - from));
        if (!arg.empty()) args.push_back(arg);
        if (comma == std::string::npos) break;
        from = comma + 1;
      }
      i = close == std::string::npos ? spec.size() : close + 1;
    }
    if (!name.empty()) d.checks.emplace_back(name, std::move(args));
  }
  return d;
}

// Where a `#` comment starts on a line, outside string literals; npos when none.
std::size_t comment_start(std::string_view line) {
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (in_string && line[i] == '\\') {
      ++i;
    } else if (line[i] == '"') {
      in_string = !in_string;
    } else if (!in_string && line[i] == '#') {
      return i;
    }
  }
  return std::string_view::npos;
}

// The 1-based column of a byte of a line, counted in characters as diagnostics count them.
std::uint32_t column_of(std::string_view line, std::size_t byte) {
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0U) != 0x80U) ++column;
  }
  return column;
}

// The stem of a rule's name, without what marks one version of a provision: `art_12_v2` → `art_12`,
// `o2_apres_annulation` → `o2`, `regle_2019` → `regle`.
std::string stem(std::string name) {
  static constexpr std::array<std::string_view, 16> kMarks{
      "avant", "apres", "après",  "depuis",   "jusqu",   "jusque",   "before", "after",
      "since", "until", "ancien", "ancienne", "nouveau", "nouvelle", "old",    "new"};
  std::size_t cut = name.size();
  for (const auto mark : kMarks) {
    for (std::size_t at = name.find(fmt::format("_{}", mark)); at != std::string::npos && at > 0;
         at = name.find(fmt::format("_{}", mark), at + 1)) {
      const std::size_t end = at + 1 + mark.size();
      if (end == name.size() || name[end] == '_') cut = std::min(cut, at);
    }
  }
  name = name.substr(0, cut);
  // A trailing number or `vN`: `_2019`, `_v2`.
  for (;;) {
    const auto at = name.rfind('_');
    if (at == std::string::npos || at == 0) break;
    std::string_view tail = std::string_view(name).substr(at + 1);
    if (!tail.empty() && tail[0] == 'v') tail.remove_prefix(1);
    if (tail.empty() || tail.find_first_not_of("0123456789") != std::string_view::npos) break;
    name = name.substr(0, at);
  }
  return name;
}

class Linter {
 public:
  Linter(const Compilation& c, const LintOptions& o)
      : c_(c),
        m_(*c.model),
        p_(*c.program),
        o_(o),
        space_(ctx_, {&p_}, o.today),
        sym_(smt::encode(ctx_, p_, space_.fact_slots(0))),
        search_(ctx_, space_, o.timeout_ms),
        keywords_(keywords_of(p_)) {
    if (c.sources.size() > 0) keywords_ = keywords_of_source(c.sources.text(0)).value_or(keywords_);
    // What the questions ask of a rule, named once in the solver: a rule fires (applies) for sure.
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      fires_.push_back(search_.name(sym_.fires[r].sure));
      applies_.push_back(search_.name(sym_.applies[r].sure));
    }
  }

  LintReport run() {
    directives();
    conflicts();
    firing();
    validity();
    unused();
    citations();
    justify();
    std::stable_sort(report_.findings.begin(), report_.findings.end(), [](const LintFinding& a, const LintFinding& b) {
      return std::tuple{a.at.file, a.at.line, a.at.column} < std::tuple{b.at.file, b.at.line, b.at.column};
    });
    return std::move(report_);
  }

 private:
  // ----- directives ------------------------------------------------------------------------------

  void directives() {
    for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) attach(m_.ast.rules[r].at, {DeclRef::Kind::Rule, r});
    for (std::uint32_t f = 0; f < m_.ast.facts.size(); ++f) attach(m_.ast.facts[f].at, {DeclRef::Kind::Fact, f});
    for (std::uint32_t d = 0; d < m_.ast.defines.size(); ++d)
      attach(m_.ast.defines[d].at, {DeclRef::Kind::Definition, d});
    // A directive anywhere else justifies nothing: say so rather than ignore it silently.
    for (std::uint32_t file = 0; file < c_.sources.size(); ++file) {
      const std::string& text = c_.sources.text(file);
      std::uint32_t line = 1;
      for (std::size_t pos = 0; pos <= text.size(); ++line) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view l = std::string_view(text).substr(pos, end - pos);
        pos = end + 1;
        const std::size_t hash = comment_start(l);
        if (hash == std::string_view::npos || !parse_directive(l.substr(hash + 1))) continue;
        const bool attached = std::any_of(directives_.begin(), directives_.end(),
                                          [&](const Directive& d) { return d.at.file == file && d.at.line == line; });
        if (!attached) {
          add({LintCheck::Directive,
               {file, line, column_of(l, hash)},
               msg(Msg::LintDirectiveOrphan),
               msg(Msg::LintDirectiveOrphanHint),
               {},
               {},
               {},
               false,
               {}});
        }
      }
    }
  }

  // The directives of one declaration: in the comment block right above it, or on its first line. A
  // reason may go on over the comment lines that follow its directive.
  void attach(Location at, DeclRef decl) {
    if (at.file >= c_.sources.size() || at.line == 0) return;
    std::uint32_t first = at.line;
    while (first > 1) {
      const std::string t = trim(c_.sources.line_text(at.file, first - 1));
      if (t.empty() || t[0] != '#') break;
      --first;
    }
    Directive* open = nullptr;
    for (std::uint32_t line = first; line <= at.line; ++line) {
      const std::string_view text = c_.sources.line_text(at.file, line);
      const std::size_t hash = comment_start(text);
      if (hash == std::string_view::npos) continue;
      const std::string_view comment = text.substr(hash + 1);
      if (auto d = parse_directive(comment)) {
        d->at = {at.file, line, column_of(text, hash)};
        d->decl = decl;
        directives_.push_back(std::move(*d));
        open = line < at.line && !directives_.back().reason.empty() ? &directives_.back() : nullptr;
      } else if (open != nullptr && line < at.line) {
        open->reason += " " + trim(comment);
      }
    }
  }

  void justify() {
    for (LintFinding& f : report_.findings) {
      for (Directive& d : directives_) {
        if (!about(f, d.decl)) continue;
        for (const auto& [name, args] : d.checks) {
          if (name != lint_check_name(f.check)) continue;
          // `conflict(x)` justifies the conflicts with x only.
          const bool named = args.empty() || std::any_of(args.begin(), args.end(), [&](const std::string& a) {
                               return std::find(f.rules.begin(), f.rules.end(), a) != f.rules.end();
                             });
          if (!named || d.reason.empty()) continue;
          f.justified = true;
          f.reason = d.reason;
          d.used = true;
        }
      }
    }
    for (const Directive& d : directives_) {
      std::vector<std::string> unknown;
      for (const auto& [name, args] : d.checks) {
        if (std::none_of(kCheckNames.begin(), kCheckNames.end(), [&](const auto& c) { return c.second == name; })) {
          unknown.push_back(name);
        }
      }
      std::vector<std::string> all;
      for (const auto& [check, name] : kCheckNames) all.emplace_back(name);
      if (d.checks.empty() || !unknown.empty()) {
        add({LintCheck::Directive,
             d.at,
             unknown.empty() ? msg(Msg::LintDirectiveNoCheck)
                             : msg(Msg::LintDirectiveUnknownCheck, backticked(unknown)),
             msg(Msg::LintDirectiveChecksHint, backticked(all)),
             {},
             {},
             {},
             false,
             {}});
      } else if (d.reason.empty()) {
        add({LintCheck::Directive,
             d.at,
             msg(Msg::LintDirectiveNoReason),
             msg(Msg::LintDirectiveNoReasonHint),
             {},
             {},
             {},
             false,
             {}});
      } else if (!d.used) {
        add({LintCheck::Directive,
             d.at,
             msg(Msg::LintDirectiveUnused),
             msg(Msg::LintDirectiveUnusedHint),
             {},
             {},
             {},
             false,
             {}});
      }
    }
  }

  [[nodiscard]] bool about(const LintFinding& f, const DeclRef& d) const {
    if (f.check == LintCheck::UnusedFact)
      return d.kind == DeclRef::Kind::Fact && m_.ast.facts[d.index].name == f.rules.at(0);
    if (f.check == LintCheck::UnusedDefinition) {
      return d.kind == DeclRef::Kind::Definition && m_.ast.defines[d.index].name == f.rules.at(0);
    }
    if (d.kind != DeclRef::Kind::Rule) return false;
    return std::find(f.rules.begin(), f.rules.end(), m_.ast.rules[d.index].name) != f.rules.end();
  }

  // ----- questions about cases -------------------------------------------------------------------

  void add(LintFinding f) { report_.findings.push_back(std::move(f)); }

  [[nodiscard]] Location rule_at(std::uint32_t r) const { return m_.ast.rules[r].at; }

  [[nodiscard]] std::string where(std::uint32_t r) const {
    const Location at = rule_at(r);
    return at.file < c_.sources.size() ? fmt::format("{}:{}", c_.sources.name(at.file), at.line) : std::string();
  }

  [[nodiscard]] bool overrides(std::uint32_t a, std::uint32_t b) const {
    const auto& by = p_.rules[b].overriders;
    return std::find(by.begin(), by.end(), a) != by.end();
  }

  // A witness the VM confirms; nullopt (recorded as inconclusive) when the solver gives up.
  std::optional<smt::Witness> witness(const z3::expr& goal, Message question, smt::Answer& answer) {
    auto w = search_.witness(goal, keywords_, o_.today, answer);
    if (answer == smt::Answer::Unknown) report_.inconclusive.push_back(std::move(question));
    return w;
  }

  // Every pair of rules that can set one output to different values at once. The VM reports one
  // conflict per output, so pairs are read from the rules that apply on each witness, and a pair once
  // found leaves the question: a pair that only ever conflicts alongside another is found too.
  void conflicts() {
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> found;  // pair → finding
    for (std::uint32_t o = 0; o < p_.outputs.size(); ++o) {
      if (p_.outputs[o].kind != OutputKind::Scalar) continue;
      std::map<std::uint32_t, std::uint64_t> value;  // writer → the value it sets
      for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
        if (p_.rules[r].kind == RuleKind::Warning) continue;  // it decides nothing (and has no effects)
        for (const Effect& e : p_.rules[r].effects) {
          if (e.output == o) value[r] = e.value;
        }
      }
      std::set<std::pair<std::uint32_t, std::uint32_t>> open;
      for (const auto& [a, va] : value) {
        for (const auto& [b, vb] : value) {
          if (a < b && va != vb && !overrides(a, b) && !overrides(b, a)) open.insert({a, b});
        }
      }
      const auto member = [&](std::uint32_t r) { return p_.enums[p_.outputs[o].enum_id].members[value.at(r)]; };
      for (std::size_t n = 0; !open.empty(); ++n) {
        if (n == o_.max_conflicts_per_output) {
          report_.inconclusive.push_back(msg(Msg::LintAskConflictsBeyond, p_.outputs[o].name, n));
          break;
        }
        std::vector<z3::expr> any;
        for (const auto& [a, b] : open) any.push_back(applies_[a] && applies_[b]);
        z3::expr_vector goal(ctx_);
        for (const auto& x : any) goal.push_back(x);
        smt::Answer answer = smt::Answer::Unknown;
        const auto w = witness(z3::mk_or(goal), msg(Msg::LintAskConflicts, p_.outputs[o].name), answer);
        if (!w) break;
        std::string error;
        const auto result = smt::run_witness(p_, *w, 0, o_.today.value_or(0), error);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        if (result) {
          for (const auto& pair : open) {
            const auto applied = [&](std::uint32_t r) {
              return std::find(result->fired.begin(), result->fired.end(), r) != result->fired.end();
            };
            if (applied(pair.first) && applied(pair.second)) pairs.push_back(pair);
          }
        }
        if (pairs.empty()) {
          report_.error =
              fmt::format("internal error: the solver claims a conflict on `{}` the VM does not confirm: {}\n{}",
                          p_.outputs[o].name, error, w->file_text({}));
          return;
        }
        for (const auto& [a, b] : pairs) {
          open.erase({a, b});
          if (const auto it = found.find({a, b}); it != found.end()) {
            // The same two rules differ on another output: one finding lists the outputs.
            Message& text = report_.findings[it->second].text;
            if (text.id == Msg::LintConflict) {
              text = msg(Msg::LintConflictSeveral, text.args[0], text.args[1],
                         fmt::format("`{}` ({} / {})", text.args[2], text.args[3], text.args[4]));
            }
            const bool here_is_a = text.args[0] == p_.rules[a].name;
            text.args[2] += fmt::format(", `{}` ({} / {})", p_.outputs[o].name, member(here_is_a ? a : b),
                                        member(here_is_a ? b : a));
            continue;
          }
          // Reported at the rule written last; the other is a note.
          const bool b_last =
              std::tuple{rule_at(b).file, rule_at(b).line} >= std::tuple{rule_at(a).file, rule_at(a).line};
          const std::uint32_t here = b_last ? b : a, other = b_last ? a : b;
          found[{a, b}] = report_.findings.size();
          add({LintCheck::Conflict,
               rule_at(here),
               msg(Msg::LintConflict, p_.rules[here].name, p_.rules[other].name, p_.outputs[o].name, member(here),
                   member(other)),
               msg(Msg::LintConflictHint, p_.rules[here].name, p_.rules[other].name, keyword(Kw::Overrides)),
               {p_.rules[here].name, p_.rules[other].name},
               {{rule_at(other), msg(Msg::LintIsHere, p_.rules[other].name)}},
               *w,
               false,
               {}});
        }
      }
    }
  }

  // Firing and applying for sure: a case where a rule may fire only because facts are unknown shows
  // nothing (every case that completes it decides), so the questions ask for sure — over cases that
  // give every fact, or leave some unknown, alike.
  void firing() {
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const RuleInfo& rule = p_.rules[r];
      const bool warning = rule.kind == RuleKind::Warning;
      const smt::Answer fires = search_.exists(fires_[r]);
      if (fires == smt::Answer::Unknown) report_.inconclusive.push_back(msg(Msg::LintAskFires, rule.name));
      if (fires == smt::Answer::No) {
        const bool dated = rule.valid_from || rule.valid_until, provisos = !rule.provisos.empty();
        static constexpr Msg kNever[2][2][2] = {// [warning][dated][provisos]
                                                {{Msg::LintNeverFires, Msg::LintNeverFiresProvisos},
                                                 {Msg::LintNeverFiresInForce, Msg::LintNeverFiresInForceProvisos}},
                                                {{Msg::LintNeverHolds, Msg::LintNeverHoldsProvisos},
                                                 {Msg::LintNeverHoldsInForce, Msg::LintNeverHoldsInForceProvisos}}};
        add({LintCheck::NeverFires,
             rule_at(r),
             msg(kNever[warning ? 1 : 0][dated ? 1 : 0][provisos ? 1 : 0], rule.name),
             provisos ? msg(Msg::LintNeverFiresProvisosHint, keyword(Kw::When), keyword(Kw::Provided))
                      : msg(Msg::LintNeverFiresHint, keyword(Kw::When)),
             {rule.name},
             {},
             {},
             false,
             {}});
        continue;
      }
      // A warning decides nothing and nothing overrides it.
      if (fires != smt::Answer::Yes || rule.overriders.empty() || warning) continue;
      const smt::Answer applies = search_.exists(applies_[r]);
      if (applies == smt::Answer::Unknown) report_.inconclusive.push_back(msg(Msg::LintAskApplies, rule.name));
      if (applies != smt::Answer::No) continue;
      std::vector<std::string> by;
      for (const std::uint32_t s : rule.overriders) by.push_back(p_.rules[s].name);
      add({LintCheck::AlwaysOverridden,
           rule_at(r),
           msg(Msg::LintAlwaysOverridden, rule.name, backticked(by)),
           msg(Msg::LintAlwaysOverriddenHint),
           {rule.name},
           {},
           {},
           false,
           {}});
    }
  }

  // Two versions of one provision: at least one is dated, and they share a stem, or they cite the same
  // source and decide the same. (Deciding the same alone is no sign: many rules keep the secret.)
  void validity() {
    const auto effects = [&](std::uint32_t r) {
      std::vector<std::pair<std::uint32_t, std::uint64_t>> e;
      for (const Effect& x : p_.rules[r].effects) e.emplace_back(x.output, x.value);
      std::sort(e.begin(), e.end());
      return e;
    };
    constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
    for (std::uint32_t a = 0; a < p_.rules.size(); ++a) {
      for (std::uint32_t b = a + 1; b < p_.rules.size(); ++b) {
        const RuleInfo &ra = p_.rules[a], &rb = p_.rules[b];
        const bool dated = ra.valid_from || ra.valid_until || rb.valid_from || rb.valid_until;
        // A rule and a warning are never versions of one provision: one decides, the other tells.
        if (!dated || overrides(a, b) || overrides(b, a) || ra.kind != rb.kind) continue;
        const bool same_source = !ra.cite.empty() && ra.cite == rb.cite && effects(a) == effects(b);
        if (stem(ra.name) != stem(rb.name) && !same_source) continue;
        const std::int64_t from = std::max(ra.valid_from.value_or(-kNever), rb.valid_from.value_or(-kNever));
        const std::int64_t until = std::min(ra.valid_until.value_or(kNever), rb.valid_until.value_or(kNever));
        if (from >= until) continue;
        if (reported_conflict(ra.name, rb.name)) continue;
        smt::Answer answer = smt::Answer::Unknown;
        const auto w = witness(applies_[a] && applies_[b], msg(Msg::LintAskOverlap, ra.name, rb.name), answer);
        if (!w) continue;
        const Message text =
            until == kNever ? (from == -kNever ? msg(Msg::LintValidityOverlapAlways, rb.name, ra.name)
                                               : msg(Msg::LintValidityOverlapFrom, rb.name, ra.name, format_date(from)))
            : from == -kNever
                ? msg(Msg::LintValidityOverlapUntil, rb.name, ra.name, format_date(until))
                : msg(Msg::LintValidityOverlapFromUntil, rb.name, ra.name, format_date(from), format_date(until));
        add({LintCheck::ValidityOverlap,
             rule_at(b),
             text,
             msg(Msg::LintValidityOverlapHint, keyword(Kw::ValidFrom), keyword(Kw::Until), keyword(Kw::Overrides)),
             {rb.name, ra.name},
             {{rule_at(a), msg(Msg::LintIsHere, ra.name)}},
             *w,
             false,
             {}});
      }
    }
  }

  [[nodiscard]] bool reported_conflict(const std::string& a, const std::string& b) const {
    return std::any_of(report_.findings.begin(), report_.findings.end(), [&](const LintFinding& f) {
      return f.check == LintCheck::Conflict && std::find(f.rules.begin(), f.rules.end(), a) != f.rules.end() &&
             std::find(f.rules.begin(), f.rules.end(), b) != f.rules.end();
    });
  }

  // ----- the model -------------------------------------------------------------------------------

  static void definitions_named(const ast::Expr& e, std::set<std::uint32_t>& out) {
    if (e.kind == ast::ExprKind::Name && e.name_kind == ast::NameKind::Definition) out.insert(e.target);
    for (const auto& x : e.operands) {
      if (x) definitions_named(*x, out);
    }
    for (const auto& item : e.set_items) {
      if (item.lo) definitions_named(*item.lo, out);
      if (item.hi) definitions_named(*item.hi, out);
    }
  }

  void unused() {
    // Conditions and provisos read facts (a proviso's facts are not its rule's: they are limits, not
    // questions, but a fact a proviso reads is used).
    std::set<std::uint32_t> facts;
    for (const auto& read : m_.facts_read) facts.insert(read.begin(), read.end());
    for (const auto& provisos : m_.provisos) {
      for (const ProvisoInfo& p : provisos) facts.insert(p.facts_read.begin(), p.facts_read.end());
    }
    for (std::uint32_t f = 0; f < m_.ast.facts.size(); ++f) {
      const std::string& name = m_.ast.facts[f].name;
      // The facts the tool itself reads, whatever the rules do: the report shows the day and the title.
      const auto named = [&](std::optional<std::uint32_t> fact) { return fact && p_.facts[*fact].name == name; };
      if (facts.count(f) != 0 || named(p_.date_fact) || named(p_.title_fact())) continue;
      add({LintCheck::UnusedFact,
           m_.ast.facts[f].at,
           msg(Msg::LintUnusedFact, name),
           msg(Msg::LintUnusedFactHint),
           {name},
           {},
           {},
           false,
           {}});
    }
    // Definitions reachable from the rules' conditions.
    std::set<std::uint32_t> used, todo;
    for (const auto& r : m_.ast.rules) {
      if (r.when) definitions_named(*r.when, todo);
      for (const auto& p : r.provisos) {
        if (p.condition) definitions_named(*p.condition, todo);
      }
    }
    while (!todo.empty()) {
      const std::uint32_t d = *todo.begin();
      todo.erase(todo.begin());
      if (!used.insert(d).second) continue;
      if (m_.ast.defines[d].value) definitions_named(*m_.ast.defines[d].value, todo);
    }
    for (std::uint32_t d = 0; d < m_.ast.defines.size(); ++d) {
      if (used.count(d) != 0) continue;
      const std::string& name = m_.ast.defines[d].name;
      add({LintCheck::UnusedDefinition,
           m_.ast.defines[d].at,
           msg(Msg::LintUnusedDefinition, name),
           msg(Msg::LintUnusedDefinitionHint),
           {name},
           {},
           {},
           false,
           {}});
    }
  }

  void citations() {
    for (std::uint32_t r = 0; r < m_.ast.rules.size(); ++r) {
      const auto& rule = m_.ast.rules[r];
      if (rule.cite.empty()) {
        add({LintCheck::NoCite,
             rule.at,
             msg(Msg::LintNoCite, rule.name),
             msg(Msg::LintNoCiteHint, keyword(Kw::Cite)),
             {rule.name},
             {},
             {},
             false,
             {}});
      }
      if (rule.because.empty()) {
        add({LintCheck::NoExplanation,
             rule.at,
             msg(Msg::LintNoExplanation, rule.name),
             msg(Msg::LintNoExplanationHint, keyword(Kw::Because)),
             {rule.name},
             {},
             {},
             false,
             {}});
      }
    }
  }

  // A keyword as the rule files write it, for the hints.
  [[nodiscard]] std::string keyword(Kw id) const {
    return std::string(keyword_text(id, keywords_ == Keywords::French ? TextLang::French : TextLang::English));
  }

  const Compilation& c_;
  const Model& m_;
  const Program& p_;
  const LintOptions& o_;
  z3::context ctx_;
  smt::CaseSpace space_;
  smt::ProgramSym sym_;
  smt::Search search_;
  std::vector<z3::expr> fires_, applies_;  // per rule, named in search_: it fires (applies) for sure
  Keywords keywords_;
  std::vector<Directive> directives_;
  LintReport report_;
};

}  // namespace

std::string_view lint_check_name(LintCheck check) {
  for (const auto& [c, name] : kCheckNames) {
    if (c == check) return name;
  }
  return "?";
}

std::size_t LintReport::unjustified() const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [](const LintFinding& f) { return !f.justified; }));
}

LintReport lint_rulebase(const Compilation& compilation, const LintOptions& options) {
  try {
    Linter linter(compilation, options);
    return linter.run();
  } catch (const z3::exception& e) {
    LintReport r;
    r.error = fmt::format("internal error: the solver failed: {}", e.msg());
    return r;
  }
}

}  // namespace secretc
