#include "analysis/diff.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "grammar/keywords.hpp"


namespace secretc {

namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string backticked(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(fmt::format("`{}`", n));
  return join(out);
}

// A type as a declaration writes it, in the rulebase's keywords.
TextLang lang_of(Keywords k) { return k == Keywords::French ? TextLang::French : TextLang::English; }
std::string word(Kw id, Keywords k) { return std::string(keyword_text(id, lang_of(k))); }

std::string type_text(const Program& p, Type t, Keywords k) {
  const std::string e = t.enum_id < p.enums.size() ? p.enums[t.enum_id].name : "?";
  switch (t.kind) {
    case TypeKind::Bool: return word(Kw::Bool, k);
    case TypeKind::Integer: return word(Kw::Integer, k);
    case TypeKind::Date: return word(Kw::Date, k);
    case TypeKind::String: return word(Kw::String, k);
    case TypeKind::Article: return word(Kw::Article, k);
    case TypeKind::Enum: return e;
    case TypeKind::Set: return word(Kw::SetOf, k) + " " + e;
  }
  return "?";
}

std::string fact_default(const Program& p, const FactInfo& f, Keywords k) {
  if (f.default_kind == DefaultKind::Today) return word(Kw::Today, k);
  if (f.default_kind == DefaultKind::Constant) return rule_literal(p, f.type, f.default_value, k);
  return {};
}

std::string fact_declaration(const Program& p, const FactInfo& f, Keywords k) {
  std::string out = fmt::format("{} {} : {}", word(Kw::Fact, k), f.name, type_text(p, f.type, k));
  if (const std::string d = fact_default(p, f, k); !d.empty()) out += " = " + d;
  if (!f.question.empty()) out += " " + quoted(f.question);
  return out;
}

std::string output_type(const Program& p, const OutputInfo& o, Keywords k) {
  return type_text(p, {o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id}, k);
}

std::string output_default(const Program& p, const OutputInfo& o) {
  if (!o.has_default || o.enum_id >= p.enums.size()) return {};
  return p.enums[o.enum_id].members.at(o.default_member);
}

// `dans le doute a, b`: the members, from the most cautious.
std::string output_doubt(const Program& p, const OutputInfo& o) {
  std::vector<std::string> members;
  for (const std::uint32_t m : o.doubt) {
    if (o.enum_id < p.enums.size() && m < p.enums[o.enum_id].members.size()) members.push_back(p.enums[o.enum_id].members[m]);
  }
  return join(members);
}

std::string output_declaration(const Program& p, const OutputInfo& o, Keywords k) {
  std::string out = fmt::format("{} {} : {}", word(Kw::Output, k), o.name, output_type(p, o, k));
  if (const std::string d = output_default(p, o); !d.empty()) out += " = " + d;
  if (const std::string d = output_doubt(p, o); !d.empty()) {
    out += fmt::format(" {} {}", word(Kw::InDoubt, k), d);
  }
  return out;
}

std::string enum_declaration(const EnumInfo& e, Keywords k) {
  std::vector<std::string> members;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    const bool labelled = m < e.labels.size() && !e.labels[m].empty();
    members.push_back(labelled ? fmt::format("{} {}", e.members[m], quoted(e.labels[m])) : e.members[m]);
  }
  return fmt::format("{} {} {{ {} }}", word(Kw::Enum, k), e.name, join(members));
}

std::string where(const RuleInfo& r) {
  return r.source_file.empty() ? std::string() : fmt::format("{}:{}", r.source_file, r.source_line);
}

std::vector<std::string> rule_names(const Program& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (const std::uint32_t r : rules) out.push_back(p.rules[r].name);
  std::sort(out.begin(), out.end());
  return out;
}

// The provisos of a rule as its `pourvu que` clauses read, one per line: `EXPR "texte"`.
std::string provisos_text(const Program& p, std::uint32_t r, const Decompiled& d) {
  std::size_t first = 0;
  for (std::uint32_t s = 0; s < r; ++s) first += p.rules[s].provisos.size();
  std::string out;
  for (std::size_t k = 0; k < p.rules[r].provisos.size(); ++k) {
    const std::string& text = p.rules[r].provisos[k].text;
    const std::string& expr = first + k < d.provisos.size() ? d.provisos[first + k] : std::string("?");
    out += (out.empty() ? "" : "\n") + expr + (text.empty() ? "" : " " + quoted(text));
  }
  return out;
}

RuleText rule_text(const Program& p, std::uint32_t r, const Decompiled& d, Keywords k) {
  const RuleInfo& rule = p.rules[r];
  RuleText t{rule.name, where(rule), rule.kind == RuleKind::Warning, {}};
  const auto add = [&](const char* clause, const std::string& text) {
    if (!text.empty()) t.clauses.emplace_back(clause, text);
  };
  add("title", rule.title.empty() ? "" : quoted(rule.title));
  add("cite", rule.cite.empty() ? "" : quoted(rule.cite));
  add("validity", validity_text(rule, k));
  add("overrides", join(rule_names(p, rule.overrides)));
  add("when", d.when[r]);
  add("provided", provisos_text(p, r, d));
  add("then", effects_text(p, rule));
  add("because", rule.because.empty() ? "" : quoted(rule.because));
  add("note", rule.note.empty() ? "" : quoted(rule.note));
  return t;
}

std::string file_word(std::string s) {
  for (char& c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') c = '_';
  }
  return s;
}

}  // namespace

std::string answer_text(const Decision& d, bool provisos) {
  std::string out;
  if (d.conflict) {
    out = "(conflict)";
  } else {
    out = d.value.empty() ? "(unknown)" : d.value;
    if (!d.settled) out += fmt::format(" (not settled: {}{})", join(d.possible), d.may_be_unknown ? " or none" : "");
  }
  for (const std::string& p : provisos ? d.provisos : std::vector<std::string>{}) out += fmt::format(", provided {}", quoted(p));
  return out;
}

namespace {

class Differ {
 public:
  Differ(const Program& o, const Program& n, const DiffOptions& options)
      : old_(o), new_(n), options_(options), space_(ctx_, {&o, &n}),
        old_sym_(smt::encode(ctx_, o, space_.fact_slots(0))), new_sym_(smt::encode(ctx_, n, space_.fact_slots(1))),
        search_(ctx_, space_, options.timeout_ms) {
    report_.keywords = options.keywords.value_or(keywords_of(n));
    old_text_ = decompile(o, report_.keywords);
    new_text_ = decompile(n, report_.keywords);
  }

  std::variant<DiffReport, std::string> run() {
    report_.old_header = header(old_, options_.old_label);
    report_.new_header = header(new_, options_.new_label);
    vocabulary();
    rules();
    if (!behaviour()) return error_;
    return std::move(report_);
  }

 private:
  static ProgramHeader header(const Program& p, const std::string& label) {
    return {label, p.name, p.version, fmt::format("{:016x}", p.source_hash)};
  }

  // ----- text ------------------------------------------------------------------------------------

  void vocabulary() {
    const Keywords k = report_.keywords;
    if (old_.name != new_.name || old_.version != new_.version || old_.law_as_of != new_.law_as_of) {
      VocabularyChange v{"rulebase", new_.name, "changed", {}};
      if (old_.name != new_.name) v.details.push_back({"name", quoted(old_.name), quoted(new_.name), false});
      if (old_.version != new_.version) v.details.push_back({"version", quoted(old_.version), quoted(new_.version), false});
      if (old_.law_as_of != new_.law_as_of) {
        const auto day = [](const std::optional<std::int64_t>& d) { return d ? format_date(*d) : std::string(); };
        v.details.push_back({"as of", day(old_.law_as_of), day(new_.law_as_of), false});
      }
      report_.vocabulary.push_back(std::move(v));
    }
    // Enumerations, by name.
    for (const EnumInfo& e : old_.enums) {
      const auto it = std::find_if(new_.enums.begin(), new_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; });
      if (it == new_.enums.end()) {
        report_.vocabulary.push_back({"enum", e.name, "removed", {{"declaration", enum_declaration(e, k), "", false}}});
        continue;
      }
      std::vector<std::string> gone, came;
      for (const auto& m : e.members) {
        if (std::find(it->members.begin(), it->members.end(), m) == it->members.end()) gone.push_back(m);
      }
      for (const auto& m : it->members) {
        if (std::find(e.members.begin(), e.members.end(), m) == e.members.end()) came.push_back(m);
      }
      VocabularyChange v{"enum", e.name, "changed", {}};
      if (!gone.empty() || !came.empty()) v.details.push_back({"members", join(gone), join(came), false});
      if (enum_declaration(e, k) != enum_declaration(*it, k) && gone.empty() && came.empty()) {
        v.details.push_back({"labels", enum_declaration(e, k), enum_declaration(*it, k), false});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const EnumInfo& e : new_.enums) {
      if (std::none_of(old_.enums.begin(), old_.enums.end(), [&](const EnumInfo& x) { return x.name == e.name; })) {
        report_.vocabulary.push_back({"enum", e.name, "added", {{"declaration", "", enum_declaration(e, k), false}}});
      }
    }
    // Facts, by name.
    for (const FactInfo& f : old_.facts) {
      const auto nf = new_.find_fact(f.name);
      if (!nf) {
        report_.vocabulary.push_back({"fact", f.name, "removed", {{"declaration", fact_declaration(old_, f, k), "", false}}});
        continue;
      }
      const FactInfo& g = new_.facts[*nf];
      VocabularyChange v{"fact", f.name, "changed", {}};
      const std::string ot = type_text(old_, f.type, k), nt = type_text(new_, g.type, k);
      if (ot != nt || f.type.kind != g.type.kind) v.details.push_back({"type", ot, nt, false});
      const std::string od = fact_default(old_, f, k), nd = fact_default(new_, g, k);
      if (od != nd) v.details.push_back({"default", od, nd, false});
      if (f.question != g.question) v.details.push_back({"question", quoted(f.question), quoted(g.question), false});
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const FactInfo& f : new_.facts) {
      if (!old_.find_fact(f.name)) {
        report_.vocabulary.push_back({"fact", f.name, "added", {{"declaration", "", fact_declaration(new_, f, k), false}}});
      }
    }
    // Outputs, by name.
    for (const OutputInfo& o : old_.outputs) {
      const auto no = new_.find_output(o.name);
      if (!no) {
        report_.vocabulary.push_back({"output", o.name, "removed", {{"declaration", output_declaration(old_, o, k), "", false}}});
        continue;
      }
      const OutputInfo& g = new_.outputs[*no];
      VocabularyChange v{"output", o.name, "changed", {}};
      if (o.kind != g.kind || output_type(old_, o, k) != output_type(new_, g, k)) {
        v.details.push_back({"type", output_type(old_, o, k), output_type(new_, g, k), false});
      }
      if (output_default(old_, o) != output_default(new_, g)) {
        v.details.push_back({"default", output_default(old_, o), output_default(new_, g), false});
      }
      if (output_doubt(old_, o) != output_doubt(new_, g)) {
        v.details.push_back({"in doubt", output_doubt(old_, o), output_doubt(new_, g), false});
      }
      if (!v.details.empty()) report_.vocabulary.push_back(std::move(v));
    }
    for (const OutputInfo& o : new_.outputs) {
      if (!old_.find_output(o.name)) {
        report_.vocabulary.push_back({"output", o.name, "added", {{"declaration", "", output_declaration(new_, o, k), false}}});
      }
    }
    definitions();
  }

  void definitions() {
    const std::string define = word(Kw::Define, report_.keywords);
    for (const DefinitionText& d : old_text_.definitions) {
      const auto it = std::find_if(new_text_.definitions.begin(), new_text_.definitions.end(),
                                   [&](const DefinitionText& x) { return x.name == d.name; });
      if (it == new_text_.definitions.end()) {
        report_.vocabulary.push_back(
            {"definition", d.name, "removed", {{"declaration", fmt::format("{} {} = {}", define, d.name, d.body), "", false}}});
        continue;
      }
      if (it->body == d.body) continue;
      bool same = false;
      const Type ot = old_.slot_types[d.slot], nt = new_.slot_types[it->slot];
      if (ot.kind == TypeKind::Bool && nt.kind == TypeKind::Bool) {
        same = search_.exists(!smt::same_values(old_sym_.slots[d.slot], new_sym_.slots[it->slot])) == smt::Answer::No;
      }
      report_.vocabulary.push_back({"definition", d.name, "changed", {{"body", d.body, it->body, same}}});
    }
    for (const DefinitionText& d : new_text_.definitions) {
      if (std::none_of(old_text_.definitions.begin(), old_text_.definitions.end(),
                       [&](const DefinitionText& x) { return x.name == d.name; })) {
        report_.vocabulary.push_back(
            {"definition", d.name, "added", {{"declaration", "", fmt::format("{} {} = {}", define, d.name, d.body), false}}});
      }
    }
  }

  void rules() {
    const Keywords k = report_.keywords;
    for (std::uint32_t r = 0; r < old_.rules.size(); ++r) {
      const auto nr = new_.find_rule(old_.rules[r].name);
      if (!nr) {
        report_.removed.push_back(rule_text(old_, r, old_text_, k));
        continue;
      }
      const RuleText a = rule_text(old_, r, old_text_, k), b = rule_text(new_, *nr, new_text_, k);
      RuleChange change{b.name, b.where, {}};
      if (a.warning != b.warning) {
        const auto kind = [&](bool warning) { return word(warning ? Kw::Warning : Kw::Rule, k); };
        change.changes.push_back({"kind", kind(a.warning), kind(b.warning), false});
      }
      for (const char* clause : {"title", "cite", "validity", "overrides", "when", "provided", "then", "because", "note"}) {
        const auto text_of = [&](const RuleText& t) {
          for (const auto& [c, text] : t.clauses) {
            if (c == clause) return text;
          }
          return std::string();
        };
        const std::string x = text_of(a), y = text_of(b);
        if (x == y) continue;
        bool same = false;
        if (std::string_view(clause) == "when") {
          // No `quand`: the rule fires on the constant true.
          const smt::Sym always{ctx_.bool_val(false), {ctx_.bool_val(false), ctx_.bool_val(true)}, {},
                                ctx_.bool_val(false), ctx_.bool_val(false), ctx_.int_val(0)};
          const smt::Sym& ow = old_sym_.when[r] ? *old_sym_.when[r] : always;
          const smt::Sym& nw = new_sym_.when[*nr] ? *new_sym_.when[*nr] : always;
          same = search_.exists(!smt::same_firing(ow, nw)) == smt::Answer::No;
        }
        change.changes.push_back({clause, x, y, same});
      }
      if (!change.changes.empty()) report_.changed.push_back(std::move(change));
    }
    for (std::uint32_t r = 0; r < new_.rules.size(); ++r) {
      if (!old_.find_rule(new_.rules[r].name)) report_.added.push_back(rule_text(new_, r, new_text_, k));
    }
  }

  // ----- behaviour -------------------------------------------------------------------------------
  //
  // An output's answer is what the user sees of it: for a scalar, conflict or not, settled or not, the
  // value to act on, the values it may still take, whether it may have none, and the provisos it
  // states; for a set, per member, whether it holds it for sure, maybe, or not. A kind of change is a
  // pair (OLD's answer, NEW's answer) that differ; each gets one witness, found by Z3 over every case
  // (facts given, given as `?`, or left out) and confirmed by the VM on the witness case file.

  // A scalar answer over the members of both versions (`members`) and the texts of the provisos of
  // both versions' rules setting it (`texts`): symbolic...
  struct SeenSym {
    z3::expr conflict, settled, known, value;  // value: an index in `members`
    std::vector<z3::expr> possible;            // per member of `members`
    z3::expr may_be_unknown;
    std::vector<z3::expr> stated;              // per text of `texts`
  };
  // ... and as the VM gives it.
  struct Seen {
    bool conflict = false, settled = true, known = false;
    std::int64_t value = 0;
    std::vector<bool> possible;
    bool may_be_unknown = false;
    std::vector<bool> stated;
    friend bool operator==(const Seen&, const Seen&) = default;
  };

  static std::int64_t index_in(const std::vector<std::string>& names, const std::string& n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  }

  // How a proviso is told apart between versions: its text, or its condition when it has none.
  static std::string proviso_key(const Program& p, const Decompiled& d, std::uint32_t k) {
    std::size_t first = 0;
    for (const RuleInfo& r : p.rules) {
      if (k < first + r.provisos.size()) {
        const std::string& text = r.provisos[k - first].text;
        return text.empty() && k < d.provisos.size() ? d.provisos[k] : text;
      }
      first += r.provisos.size();
    }
    return {};
  }

  // The provisos (program-wide numbers) of the rules setting output o, with their keys.
  static std::vector<std::pair<std::uint32_t, std::string>> provisos_of(const Program& p, const Decompiled& d, std::uint32_t o) {
    std::vector<std::pair<std::uint32_t, std::string>> out;
    std::uint32_t k = 0;
    for (const RuleInfo& r : p.rules) {
      const bool sets = std::any_of(r.effects.begin(), r.effects.end(), [&](const Effect& e) { return e.output == o; });
      for (std::size_t i = 0; i < r.provisos.size(); ++i, ++k) {
        if (sets) out.emplace_back(k, proviso_key(p, d, k));
      }
    }
    return out;
  }

  // The answer as formulas; `named`: each through Search::name, for questions.
  SeenSym seen_sym(const Program& p, const smt::ProgramSym& sym, const Decompiled& d, std::uint32_t o,
                   const std::vector<std::string>& members, const std::vector<std::string>& texts, bool named) {
    const smt::OutputSym& out = sym.outputs[o];
    const auto& own = p.enums[p.outputs[o].enum_id].members;
    const auto name = [&](const z3::expr& e) { return named ? search_.name(e) : e; };
    z3::expr value = ctx_.int_val(-1);
    for (std::size_t m = own.size(); m-- > 0;) {
      value = z3::ite(out.value == ctx_.int_val(static_cast<std::int64_t>(m)), ctx_.int_val(index_in(members, own[m])), value);
    }
    SeenSym s{name(out.conflict), name(out.settled), name(out.known), name(value), {}, name(out.may_be_unknown), {}};
    for (const std::string& m : members) {
      const auto it = std::find(own.begin(), own.end(), m);
      s.possible.push_back(it == own.end() ? ctx_.bool_val(false) : name(out.possible[static_cast<std::size_t>(it - own.begin())]));
    }
    const auto provisos = provisos_of(p, d, o);
    for (const std::string& t : texts) {
      z3::expr_vector any(ctx_);
      for (const auto& [k, key] : provisos) {
        if (key == t) any.push_back(sym.stated[k]);
      }
      s.stated.push_back(any.empty() ? ctx_.bool_val(false) : name(any.size() == 1 ? any[0] : z3::mk_or(any)));
    }
    return s;
  }

  // The two versions compute the very same formulas: no case can tell them apart.
  static bool identical(const SeenSym& a, const SeenSym& b) {
    bool same = z3::eq(a.conflict, b.conflict) && z3::eq(a.settled, b.settled) && z3::eq(a.known, b.known) &&
                z3::eq(a.value, b.value) && z3::eq(a.may_be_unknown, b.may_be_unknown);
    for (std::size_t m = 0; same && m < a.possible.size(); ++m) same = z3::eq(a.possible[m], b.possible[m]);
    for (std::size_t t = 0; same && t < a.stated.size(); ++t) same = z3::eq(a.stated[t], b.stated[t]);
    return same;
  }

  Seen seen(const Program& p, const Result& r, const Decompiled& d, std::uint32_t o, const std::vector<std::string>& members,
            const std::vector<std::string>& texts) {
    const OutputValue& v = r.outputs[o];
    const auto& own = p.enums[p.outputs[o].enum_id].members;
    Seen s;
    s.conflict = v.conflict;
    s.settled = v.settled;
    s.known = v.value.known;
    if (v.value.known) s.value = index_in(members, own[static_cast<std::size_t>(v.value.payload)]);
    for (const std::string& m : members) {
      const auto it = std::find(own.begin(), own.end(), m);
      s.possible.push_back(it != own.end() && ((v.possible >> static_cast<std::size_t>(it - own.begin())) & 1U) != 0);
    }
    s.may_be_unknown = v.may_be_unknown;
    const auto provisos = provisos_of(p, d, o);
    for (const std::string& t : texts) {
      s.stated.push_back(std::any_of(provisos.begin(), provisos.end(), [&](const auto& kp) {
        return kp.second == t && std::find(r.provisos.begin(), r.provisos.end(), kp.first) != r.provisos.end();
      }));
    }
    return s;
  }

  // The value to act on is the same (a conflict is no value, and unlike any).
  z3::expr same_value(const SeenSym& a, const SeenSym& b) {
    return a.conflict == b.conflict && a.known == b.known && z3::implies(a.known, a.value == b.value);
  }

  // The same answer; `provisos`: stating the same provisos too.
  z3::expr same(const SeenSym& a, const SeenSym& b, bool provisos) {
    z3::expr_vector all(ctx_);
    all.push_back(same_value(a, b));
    all.push_back(a.settled == b.settled);
    all.push_back(a.may_be_unknown == b.may_be_unknown);
    for (std::size_t m = 0; m < a.possible.size(); ++m) all.push_back(a.possible[m] == b.possible[m]);
    for (std::size_t t = 0; provisos && t < a.stated.size(); ++t) all.push_back(a.stated[t] == b.stated[t]);
    return z3::mk_and(all);
  }

  // The symbolic answer is this one (`provisos`: stating the same provisos too).
  z3::expr is(const SeenSym& a, const Seen& x, bool provisos) {
    z3::expr_vector all(ctx_);
    const auto b = [&](bool v) { return ctx_.bool_val(v); };
    all.push_back(a.conflict == b(x.conflict));
    all.push_back(a.settled == b(x.settled));
    all.push_back(a.known == b(x.known));
    if (x.known) all.push_back(a.value == ctx_.int_val(x.value));
    all.push_back(a.may_be_unknown == b(x.may_be_unknown));
    for (std::size_t m = 0; m < a.possible.size(); ++m) all.push_back(a.possible[m] == b(x.possible[m]));
    for (std::size_t t = 0; provisos && t < a.stated.size(); ++t) all.push_back(a.stated[t] == b(x.stated[t]));
    return z3::mk_and(all);
  }

  std::optional<Result> run_case(const Program& p, const smt::Witness& w, std::size_t index) {
    return smt::run_witness(p, w, index, options_.today, error_);
  }

  static bool touches(const Effect& e, std::uint32_t o, std::optional<std::uint32_t> member) {
    return e.output == o && (!member || ((e.value >> *member) & 1U) != 0);
  }

  static Decision decision(const Program& p, const Decompiled& text, const Result& r, std::uint32_t o,
                           std::optional<std::uint32_t> member) {
    Decision d;
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = r.outputs[o];
    const auto rule_touches = [&](std::uint32_t rule) {
      if (info.kind == OutputKind::Set && !member) return false;  // a member this version does not have
      return std::any_of(p.rules[rule].effects.begin(), p.rules[rule].effects.end(),
                         [&](const Effect& e) { return touches(e, o, member); });
    };
    const auto& members = p.enums[info.enum_id].members;
    d.settled = v.settled;
    if (info.kind == OutputKind::Set) {
      d.value = p.format_value({TypeKind::Set, info.enum_id}, v.value);
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (((v.possible >> m) & 1U) != 0) d.possible.push_back(members[m]);
      }
      if (member) {
        const bool sure = ((static_cast<std::uint64_t>(v.value.payload) >> *member) & 1U) != 0;
        d.holds = sure ? "yes" : ((v.possible >> *member) & 1U) != 0 ? "maybe" : "no";
      } else {
        d.holds = "no";
      }
    } else {
      d.conflict = v.conflict;
      if (v.value.known) d.value = members[static_cast<std::size_t>(v.value.payload)];
      if (!v.settled) {
        for (std::size_t m = 0; m < members.size(); ++m) {
          if (((v.possible >> m) & 1U) != 0) d.possible.push_back(members[m]);
        }
        d.may_be_unknown = v.may_be_unknown;
      }
    }
    for (const std::uint32_t f : r.fired) {
      if (rule_touches(f)) d.decided_by.push_back(p.rules[f].name);
    }
    for (std::uint32_t rule = 0; rule < p.rules.size(); ++rule) {
      if (r.applies[rule] == Truth::Unknown && rule_touches(rule)) d.may_decide.push_back(p.rules[rule].name);
    }
    for (const Overridden& x : r.overridden) {
      if (rule_touches(x.rule)) d.set_aside.emplace_back(p.rules[x.rule].name, p.rules[x.by].name);
    }
    for (const Conflict& c : r.conflicts) {
      if (c.output == o) d.conflicting = {p.rules[c.first].name, p.rules[c.second].name};
    }
    if (info.kind == OutputKind::Scalar) {
      for (const auto& [k, key] : provisos_of(p, text, o)) {
        if (std::find(r.provisos.begin(), r.provisos.end(), k) != r.provisos.end() &&
            std::find(d.provisos.begin(), d.provisos.end(), key) == d.provisos.end()) {
          d.provisos.push_back(key);
        }
      }
    }
    d.by_default = info.kind == OutputKind::Scalar && !d.conflict && d.settled && d.decided_by.empty() && info.has_default;
    return d;
  }

  static std::string grounds(const Decision& d, const BehaviourChange& c) {
    std::string out;
    if (c.set) {
      out = !d.decided_by.empty() ? fmt::format("`{}` added by {}", c.member, backticked(d.decided_by))
            : !d.may_decide.empty() ? fmt::format("`{}` maybe added by {}", c.member, backticked(d.may_decide))
                                    : fmt::format("no rule adds `{}`", c.member);
    } else if (d.conflict) {
      out = fmt::format("`{}` and `{}` set it to different values and neither overrides the other",
                        d.conflicting.size() > 0 ? d.conflicting[0] : "?", d.conflicting.size() > 1 ? d.conflicting[1] : "?");
    } else if (!d.decided_by.empty()) {
      out = fmt::format("decided by {}", backticked(d.decided_by));
    } else {
      out = d.by_default ? "no rule decides: the default stands" : "no rule decides for sure";
    }
    if (!d.may_decide.empty() && !(c.set && d.decided_by.empty())) out += fmt::format("; {} may apply", backticked(d.may_decide));
    for (const auto& [rule, by] : d.set_aside) out += fmt::format("; `{}` is set aside by `{}`", rule, by);
    return out;
  }

  static std::string holds_words(const Decision& d, const std::string& member) {
    if (d.holds == "yes") return fmt::format("holds `{}`", member);
    return d.holds == "maybe" ? fmt::format("may hold `{}` (not settled)", member) : fmt::format("does not hold `{}`", member);
  }

  // The case file of a witness, with comments saying what it shows and how to check it.
  std::string case_file(const BehaviourChange& c, std::size_t number) const {
    std::vector<std::string> comments;
    const std::string what =
        c.set ? fmt::format("`{}` {} with OLD and {} with NEW", c.output, holds_words(c.old_side, c.member),
                            holds_words(c.new_side, c.member))
        : !c.proviso.empty()
            ? fmt::format("`{}` is {} in both, provided {} with {} only", c.output, answer_text(c.new_side, false),
                          quoted(c.proviso), c.proviso_added ? "NEW" : "OLD")
            : fmt::format("`{}` is {} with OLD and {} with NEW", c.output, answer_text(c.old_side), answer_text(c.new_side));
    comments.push_back(fmt::format("secretc diff, witness {}: {}", number, what));
    const auto side = [&](const char* word, const std::string& label, const Program& p, const Decision& d) {
      comments.push_back(fmt::format("{}: {} (rulebase \"{}\" version \"{}\")", word, label, p.name, p.version));
      comments.push_back(fmt::format("  {} = {}: {}", c.output, c.set ? d.value : answer_text(d), grounds(d, c)));
    };
    side("OLD", options_.old_label, old_, c.old_side);
    side("NEW", options_.new_label, new_, c.new_side);
    for (const smt::WitnessLine& l : c.witness.lines) {
      for (std::size_t p = 0; p < l.readable.size(); ++p) {
        if (l.readable[p]) continue;
        const char* word = p == 0 ? "OLD" : "NEW";
        comments.push_back(fmt::format("`{} = {}` means nothing to {} (a fact, type or member it does not know): {} answers as",
                                       l.name, l.value, word, word));
        comments.push_back(fmt::format("  without the line; remove it to run this file with {}", word));
      }
    }
    comments.push_back("check it:");
    comments.push_back(fmt::format("  {} FILE", options_.old_check));
    comments.push_back(fmt::format("  {} FILE", options_.new_check));
    comments.emplace_back();
    return c.witness.file_text(comments);
  }

  // A scalar answer as a file name word: `peut_reveler`, `conflict`, `unknown`, and while not settled
  // the value to act on then the other possible values: `garder_le_secret_or_peut_reveler_or_none`.
  static std::string answer_word(const Decision& d) {
    if (d.conflict) return "conflict";
    if (d.settled) return d.value.empty() ? "unknown" : d.value;
    std::string out = d.value.empty() ? "unknown" : d.value;
    for (const std::string& m : d.possible) {
      if (m != d.value) out += "_or_" + m;
    }
    return d.may_be_unknown ? out + "_or_none" : out;
  }

  // Records a witness once the VM, run on the case file, confirms what the solver claims.
  void record(BehaviourChange c, const smt::Witness& w, std::uint32_t old_o, std::uint32_t new_o,
              std::optional<std::uint32_t> old_member, std::optional<std::uint32_t> new_member, const Result& a,
              const Result& b) {
    c.witness = w;
    c.old_side = decision(old_, old_text_, a, old_o, old_member);
    c.new_side = decision(new_, new_text_, b, new_o, new_member);
    const std::size_t number = report_.behaviour.size() + 1;
    if (c.set) {
      const bool sure = c.old_side.holds != "maybe" && c.new_side.holds != "maybe";
      c.file_name = sure ? fmt::format("{}_{}_{}_{}.fact", number, file_word(c.output), file_word(c.member),
                                       c.member_added ? "added" : "removed")
                         : fmt::format("{}_{}_{}_{}_to_{}.fact", number, file_word(c.output), file_word(c.member),
                                       c.old_side.holds, c.new_side.holds);
    } else if (!c.proviso.empty()) {
      c.file_name = fmt::format("{}_{}_proviso_{}.fact", number, file_word(c.output), c.proviso_added ? "added" : "removed");
    } else {
      c.file_name = fmt::format("{}_{}_{}_to_{}.fact", number, file_word(c.output), file_word(answer_word(c.old_side)),
                                file_word(answer_word(c.new_side)));
    }
    c.case_file = case_file(c, number);
    report_.behaviour.push_back(std::move(c));
  }

  void gave_up(const std::string& what) {
    if (std::find(report_.inconclusive.begin(), report_.inconclusive.end(), what) == report_.inconclusive.end()) {
      report_.inconclusive.push_back(what);
    }
  }

  bool scalar(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    std::vector<std::string> texts;
    for (const auto& [k, key] : provisos_of(old_, old_text_, o)) {
      if (std::find(texts.begin(), texts.end(), key) == texts.end()) texts.push_back(key);
    }
    for (const auto& [k, key] : provisos_of(new_, new_text_, no)) {
      if (std::find(texts.begin(), texts.end(), key) == texts.end()) texts.push_back(key);
    }
    if (identical(seen_sym(old_, old_sym_, old_text_, o, members, texts, false),
                  seen_sym(new_, new_sym_, new_text_, no, members, texts, false))) {
      return true;
    }
    const SeenSym a = seen_sym(old_, old_sym_, old_text_, o, members, texts, true);
    const SeenSym b = seen_sym(new_, new_sym_, new_text_, no, members, texts, true);
    // The most telling changes first: settled answers that differ, then another value to act on, then
    // any other difference in the answer (settledness, the values still possible). A kind is a pair of
    // answers, each shown with the provisos it states on its witness.
    const z3::expr other_value = !same_value(a, b), other_answer = !same(a, b, false);
    const std::vector<z3::expr> tiers{a.settled && b.settled && other_value, other_value, other_answer};
    z3::expr open = ctx_.bool_val(true);  // not a pair of answers already shown
    std::size_t found = 0;
    // The proviso kinds, per text and direction; shown ones leave the list.
    std::vector<std::tuple<std::size_t, bool, z3::expr>> provisos;
    for (std::size_t t = 0; t < texts.size(); ++t) {
      for (const bool added : {true, false}) {
        provisos.emplace_back(t, added, same(a, b, false) && (added ? !a.stated[t] && b.stated[t] : a.stated[t] && !b.stated[t]));
      }
    }
    std::vector<bool> shown(provisos.size(), false);
    const auto full = [&] {
      if (found < options_.max_changes_per_output) return false;
      z3::expr_vector more(ctx_);
      more.push_back(other_answer && open);
      for (std::size_t k = 0; k < provisos.size(); ++k) {
        if (!shown[k]) more.push_back(std::get<2>(provisos[k]));
      }
      if (search_.exists(z3::mk_or(more)) != smt::Answer::No) report_.truncated.push_back(oi.name);
      return true;
    };
    for (const z3::expr& tier : tiers) {
      for (;;) {
        if (full()) return true;
        smt::Answer answer = smt::Answer::Unknown;
        const auto w = search_.witness(tier && open, report_.keywords, options_.today, answer);
        if (answer == smt::Answer::Unknown) gave_up(oi.name);
        if (!w) break;
        const auto ra = run_case(old_, *w, 0);
        const auto rb = run_case(new_, *w, 1);
        if (!ra || !rb) return false;
        Seen x = seen(old_, *ra, old_text_, o, members, texts), y = seen(new_, *rb, new_text_, no, members, texts);
        x.stated.assign(texts.size(), false);
        y.stated.assign(texts.size(), false);
        if (x == y) {
          error_ = fmt::format("internal error: the solver claims `{}` differs on a case where the VM answers alike:\n{}",
                               oi.name, w->file_text({}));
          return false;
        }
        record({oi.name, false, {}, false, {}, false, {}, {}, {}, {}, {}}, *w, o, no, std::nullopt, std::nullopt, *ra, *rb);
        ++found;
        open = open && !(is(a, x, false) && is(b, y, false));
      }
    }
    // The same answer, resting on a proviso in one version and not in the other: one kind per proviso
    // and direction.
    for (std::size_t k = 0; k < provisos.size(); ++k) {
      const auto& [t, added, goal] = provisos[k];
      if (full()) return true;
      shown[k] = true;
      smt::Answer answer = smt::Answer::Unknown;
      const auto w = search_.witness(goal, report_.keywords, options_.today, answer);
      if (answer == smt::Answer::Unknown) gave_up(oi.name);
      if (!w) continue;
      const auto ra = run_case(old_, *w, 0);
      const auto rb = run_case(new_, *w, 1);
      if (!ra || !rb) return false;
      const Seen x = seen(old_, *ra, old_text_, o, members, texts), y = seen(new_, *rb, new_text_, no, members, texts);
      if (x.stated[t] != !added || y.stated[t] != added) {
        error_ = fmt::format("internal error: the solver claims `{}` rests on \"{}\" in one version only on a case where the VM "
                             "says otherwise:\n{}", oi.name, texts[t], w->file_text({}));
        return false;
      }
      record({oi.name, false, {}, false, texts[t], added, {}, {}, {}, {}, {}}, *w, o, no, std::nullopt, std::nullopt, *ra, *rb);
      ++found;
    }
    return true;
  }

  // Per member of a set: held for sure (2), maybe (1), or not (0).
  z3::expr holding(const smt::OutputSym& out, std::optional<std::uint32_t> m) {
    if (!m) return ctx_.int_val(0);
    return z3::ite(out.sure[*m], ctx_.int_val(2), z3::ite(out.may[*m], ctx_.int_val(1), ctx_.int_val(0)));
  }

  static int holding(const Result& r, std::uint32_t o, std::optional<std::uint32_t> m) {
    if (!m) return 0;
    if (((static_cast<std::uint64_t>(r.outputs[o].value.payload) >> *m) & 1U) != 0) return 2;
    return ((r.outputs[o].possible >> *m) & 1U) != 0 ? 1 : 0;
  }

  bool set(std::uint32_t o, std::uint32_t no, const std::vector<std::string>& members) {
    const OutputInfo& oi = old_.outputs[o];
    const OutputInfo& ni = new_.outputs[no];
    std::vector<z3::expr> open;  // per member: not a kind already shown
    std::vector<z3::expr> in_old, in_new;
    std::vector<std::optional<std::uint32_t>> old_member, new_member;
    for (const std::string& m : members) {
      open.push_back(ctx_.bool_val(true));
      old_member.push_back(old_.find_member(oi.enum_id, m));
      new_member.push_back(new_.find_member(ni.enum_id, m));
      in_old.push_back(holding(old_sym_.outputs[o], old_member.back()));
      in_new.push_back(holding(new_sym_.outputs[no], new_member.back()));
      // The same formula in both versions: no case tells them apart; else named, for questions.
      if (z3::eq(in_old.back(), in_new.back())) {
        open.back() = ctx_.bool_val(false);
      } else {
        in_old.back() = search_.name(in_old.back());
        in_new.back() = search_.name(in_new.back());
      }
    }
    std::size_t found = 0;
    // Members held for sure by one version and not at all by the other first, then any other change.
    for (const bool sure_only : {true, false}) {
      for (std::size_t u = 0; u < members.size(); ++u) {
        const std::string& m = members[u];
        const auto om = old_member[u], nm = new_member[u];
        if (open[u].is_false()) continue;
        const z3::expr tier =
            sure_only ? (in_old[u] == 2 && in_new[u] == 0) || (in_old[u] == 0 && in_new[u] == 2) : in_old[u] != in_new[u];
        for (;;) {
          if (found == options_.max_changes_per_output) {
            z3::expr_vector more(ctx_);
            for (std::size_t v = 0; v < members.size(); ++v) more.push_back(in_old[v] != in_new[v] && open[v]);
            if (search_.exists(z3::mk_or(more)) != smt::Answer::No) report_.truncated.push_back(oi.name);
            return true;
          }
          smt::Answer answer = smt::Answer::Unknown;
          const auto w = search_.witness(tier && open[u], report_.keywords, options_.today, answer);
          if (answer == smt::Answer::Unknown) gave_up(fmt::format("{} ({})", oi.name, m));
          if (!w) break;
          const auto ra = run_case(old_, *w, 0);
          const auto rb = run_case(new_, *w, 1);
          if (!ra || !rb) return false;
          const int x = holding(*ra, o, om), y = holding(*rb, no, nm);
          if (x == y) {
            error_ = fmt::format("internal error: the solver claims `{}` differs on `{}` on a case where the VM answers alike:\n{}",
                                 oi.name, m, w->file_text({}));
            return false;
          }
          record({oi.name, true, m, y > x, {}, false, {}, {}, {}, {}, {}}, *w, o, no, om, nm, *ra, *rb);
          ++found;
          open[u] = open[u] && !(in_old[u] == x && in_new[u] == y);
        }
      }
    }
    return true;
  }

  bool behaviour() {
    for (std::uint32_t o = 0; o < old_.outputs.size(); ++o) {
      const OutputInfo& oi = old_.outputs[o];
      const auto no = new_.find_output(oi.name);
      if (!no) continue;
      const OutputInfo& ni = new_.outputs[*no];
      if (oi.kind != ni.kind) {
        report_.incomparable.push_back(oi.name);
        continue;
      }
      std::vector<std::string> members = old_.enums[oi.enum_id].members;
      for (const std::string& m : new_.enums[ni.enum_id].members) {
        if (std::find(members.begin(), members.end(), m) == members.end()) members.push_back(m);
      }
      if (!(oi.kind == OutputKind::Set ? set(o, *no, members) : scalar(o, *no, members))) return false;
    }
    return true;
  }

  const Program& old_;
  const Program& new_;
  const DiffOptions& options_;
  z3::context ctx_;
  smt::CaseSpace space_;
  smt::ProgramSym old_sym_, new_sym_;
  smt::Search search_;
  Decompiled old_text_, new_text_;
  DiffReport report_;
  std::string error_;
};

}  // namespace

std::variant<DiffReport, std::string> diff_programs(const Program& old_program, const Program& new_program,
                                                   const DiffOptions& options) {
  try {
    Differ differ(old_program, new_program, options);
    return differ.run();
  } catch (const z3::exception& e) {
    return fmt::format("internal error: the solver failed: {}", e.msg());
  }
}

}  // namespace secretc
